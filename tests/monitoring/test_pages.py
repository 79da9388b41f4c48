"""The listening pages: open alerts (in the social team's menu), one alert with its chart,
watch rules with their form; who may open them; typed text stays text."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import ApplicationError
from monitoring import services
from monitoring.models import Alert, WatchRule

from ..conftest import client_for
from ..xss import assert_inert, payloads

ALERTS = "/listening/alerts/"
RULES = "/listening/rules/"


def _alert(department=None, key="tag:complaint", title="Questions tagged “Complaint”") -> Alert:
    now = timezone.now()
    return Alert.objects.create(
        key=key if department is None else f"department:{department.pk}",
        kind=Alert.Kind.TAG if department is None else Alert.Kind.DEPARTMENT,
        title=title,
        trigger=Alert.Trigger.SURGE,
        department=department,
        observed=18,
        expected=1.5,
        p_value=1e-8,
        window_minutes=15,
        opened_at=now - dt.timedelta(minutes=5),
        updated_at=now,
        last_activity_at=now,
    )


def test_the_social_team_has_alerts_in_the_menu_and_others_do_not(social, employee, leader):
    assert f'href="{ALERTS}"' in client_for(social).get("/").content.decode()
    assert f'href="{ALERTS}"' not in client_for(employee).get("/").content.decode()
    assert f'href="{ALERTS}"' not in client_for(leader).get("/").content.decode()


def test_who_may_open_the_pages(social, leader, employee, finance):
    alert = _alert(finance)
    other = _alert()
    for url in (ALERTS, RULES, alert.get_absolute_url()):
        assert client_for(social).get(url).status_code == 200
        assert client_for(leader).get(url).status_code == 200
        assert client_for(employee).get(url).status_code == 403
    assert client_for(leader).get(other.get_absolute_url()).status_code == 404


def test_the_alert_page_draws_volume_beside_the_baseline_and_acts(social, finance):
    alert = _alert(finance)
    client = client_for(social)
    page = client.get(alert.get_absolute_url()).content.decode()
    assert 'class="q-chart"' in page or "No questions in these hours." in page
    assert "about 1.5" in page and "p = 1.0e-08" in page
    response = client.post(f"{ALERTS}{alert.pk}/acknowledge/")
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    client.post(f"{ALERTS}{alert.pk}/resolve/")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED


def test_the_open_list_fragment_is_what_the_live_page_fetches(social):
    alert = _alert()
    fragment = client_for(social).get(f"{ALERTS}list/?status=open").content.decode()
    assert f'data-alert="{alert.pk}"' in fragment and "<html" not in fragment


def test_the_alerts_page_costs_the_same_queries_for_more_alerts(social, finance):
    client = client_for(social)
    _alert()
    client.get(ALERTS)
    with CaptureQueriesContext(connection) as one:
        client.get(ALERTS)
    for i in range(8):
        _alert(key=f"tag:t{i}")
    _alert(finance)
    with CaptureQueriesContext(connection) as many:
        client.get(ALERTS)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_rule_form_saves_and_names_the_field_it_refuses(social, finance):
    client = client_for(social)
    response = client.post(
        RULES,
        {
            "name": "Recall",
            "terms": "recall\nproduct recall",
            "severity": "high",
            "department": "finance",
            "channel": "",
        },
    )
    assert response.status_code == 302
    rule = WatchRule.objects.get()
    assert rule.terms == ["recall", "product recall"] and rule.department == finance
    response = client.post(RULES, {"name": "Broad", "terms": "the", "severity": "medium"})
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert WatchRule.objects.count() == 1
    client.post(f"{RULES}{rule.pk}/", {"active": "0"})
    rule.refresh_from_db()
    assert not rule.active
    client.post(f"{RULES}{rule.pk}/delete/")
    assert not WatchRule.objects.exists()


def test_leaders_read_rules_but_cannot_write_them(social, leader):
    rule = services.create_rule(actor=social, name="Recall", terms=["recall"])
    page = client_for(leader).get(RULES).content.decode()
    assert "Recall" in page and "New rule" not in page
    assert (
        client_for(leader)
        .post(RULES, {"name": "X", "terms": "boycott", "severity": "medium"})
        .status_code
        == 403
    )
    assert client_for(leader).post(f"{RULES}{rule.pk}/delete/").status_code == 403
    assert WatchRule.objects.count() == 1


def test_typed_text_stays_text(social):
    for i, payload in enumerate(payloads()[:40]):
        try:
            services.create_rule(
                actor=social, name=payload[:100], terms=[f"word{i}", payload[:100]]
            )
        except ApplicationError:  # a payload without letters is no term: refused, fine
            services.create_rule(actor=social, name=payload[:100], terms=[f"word{i}"])
        _alert(key=f"rule:{i}", title=f"Watch rule “{payload[:100]}”")
    assert_inert(client_for(social).get(RULES).content.decode())
    assert_inert(client_for(social).get(ALERTS).content.decode())
