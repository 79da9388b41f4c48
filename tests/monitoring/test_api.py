"""The listening API: watch rules (the social team writes; leaders read) and alerts
(list, detail with chart and questions, acknowledge, resolve), with 400s naming the field."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from monitoring import services
from monitoring.models import Alert, WatchRule
from routing import services as routing
from routing.models import Channel

from ..conftest import client_for

RULES = "/api/v1/monitoring/rules/"
ALERTS = "/api/v1/monitoring/alerts/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _alert(department=None, **kw) -> Alert:
    now = timezone.now()
    fields = {
        "key": f"department:{department.pk}" if department else "tag:complaint",
        "kind": Alert.Kind.DEPARTMENT if department else Alert.Kind.TAG,
        "title": "Questions for X",
        "trigger": Alert.Trigger.SURGE,
        "department": department,
        "tag": "" if department else "complaint",
        "observed": 20,
        "expected": 2.0,
        "p_value": 1e-9,
        "window_minutes": 15,
        "opened_at": now - dt.timedelta(minutes=10),
        "updated_at": now,
        "last_activity_at": now,
    }
    fields.update(kw)
    return Alert.objects.create(**fields)


# --- Rules -----------------------------------------------------------------------------------


def test_the_social_team_creates_lists_changes_and_deletes_a_rule(social, finance):
    body = {
        "name": "Recall",
        "terms": ["recall", "product recall"],
        "department": "finance",
        "channel": "twitter",
        "severity": "high",
    }
    response = api(social).post(RULES, body, format="json")
    assert response.status_code == 201, response.json()
    rule = response.json()
    assert rule["terms"] == ["recall", "product recall"] and rule["department"]["slug"] == "finance"
    assert [r["name"] for r in api(social).get(RULES).json()] == ["Recall"]
    response = api(social).patch(f"{RULES}{rule['id']}/", {"department": None}, format="json")
    assert response.status_code == 200 and response.json()["department"] is None
    assert response.json()["channel"] == "twitter"
    assert api(social).delete(f"{RULES}{rule['id']}/").status_code == 204
    assert not WatchRule.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "terms": ["recall"]}, "name"),
        ({"name": "   ", "terms": ["recall"]}, "name"),
        ({"name": "x" * 101, "terms": ["recall"]}, "name"),
        ({"name": "A\x00", "terms": ["recall"]}, "name"),
        ({"name": "R", "terms": []}, "terms"),
        ({"name": "R", "terms": ["ok"]}, "terms"),
        ({"name": "R", "terms": ["the"]}, "terms"),
        ({"name": "R", "terms": ["???"]}, "terms"),
        ({"name": "R", "terms": "recall"}, "terms"),
        ({"name": "R", "terms": [["nested"]]}, "terms"),
        ({"name": "R", "terms": ["x" * 50_000]}, "terms"),
        ({"name": "R"}, "terms"),
        ({"terms": ["recall"]}, "name"),
        ({"name": "R", "terms": ["recall"], "department": "nope"}, "department"),
        ({"name": "R", "terms": ["recall"], "channel": "pigeon"}, "channel"),
        ({"name": "R", "terms": ["recall"], "severity": "apocalyptic"}, "severity"),
        ({"name": "R", "terms": ["recall"], "active": "maybe"}, "active"),
        ({"name": "R", "terms": ["recall"], "colour": "red"}, "colour"),
    ],
)
def test_a_bad_rule_is_a_400_naming_the_field(social, body, field):
    response = api(social).post(RULES, body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not WatchRule.objects.exists()


def test_a_bad_patch_is_a_400_and_changes_nothing(social):
    rule = services.create_rule(actor=social, name="Recall", terms=["recall"])
    response = api(social).patch(f"{RULES}{rule.pk}/", {"terms": ["a"]}, format="json")
    assert response.status_code == 400 and "terms" in response.json()
    rule.refresh_from_db()
    assert rule.terms == ["recall"]


def test_who_reads_and_who_writes_rules(social, leader, outsider, admin_user):
    rule = services.create_rule(actor=social, name="Recall", terms=["recall"])
    assert api(leader).get(RULES).status_code == 200
    assert api(admin_user).get(RULES).status_code == 200
    assert api(outsider).get(RULES).status_code == 403
    assert api(outsider).get(f"{RULES}{rule.pk}/").status_code == 404
    body = {"name": "Mine", "terms": ["boycott"]}
    assert api(leader).post(RULES, body, format="json").status_code == 403
    assert api(outsider).post(RULES, body, format="json").status_code == 403
    assert api(leader).delete(f"{RULES}{rule.pk}/").status_code == 403
    assert api(admin_user).post(RULES, body, format="json").status_code == 201
    assert APIClient().get(RULES).status_code in (401, 403)


# --- Alerts ----------------------------------------------------------------------------------


def test_alert_list_detail_acknowledge_resolve(social, finance):
    q, _ = routing.receive_question(channel=Channel.EMAIL, text="invoice wrong")
    q.department = finance
    q.save()
    alert = _alert(finance)
    page = api(social).get(ALERTS + "?status=open").json()
    assert [a["id"] for a in page["results"]] == [alert.pk]
    detail = api(social).get(f"{ALERTS}{alert.pk}/").json()
    assert len(detail["series"]) == 24 and detail["questions"][0]["id"] == q.pk
    response = api(social).post(f"{ALERTS}{alert.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
    assert response.json()["acknowledged_by"]["username"] == "sam.social"
    response = api(social).post(f"{ALERTS}{alert.pk}/resolve/")
    assert response.json()["status"] == "resolved"
    assert api(social).post(f"{ALERTS}{alert.pk}/acknowledge/").status_code == 409
    assert api(social).get(ALERTS + "?status=open").json()["results"] == []
    assert api(social).get(ALERTS + "?status=maybe").status_code == 400


def test_leaders_see_their_departments_alerts_only(leader, other_leader, outsider, finance):
    finance_alert = _alert(finance)
    tag_alert = _alert(None)
    ids = [a["id"] for a in api(leader).get(ALERTS).json()["results"]]
    assert ids == [finance_alert.pk]
    assert api(other_leader).get(f"{ALERTS}{finance_alert.pk}/").status_code == 404
    assert api(leader).get(f"{ALERTS}{tag_alert.pk}/").status_code == 404
    assert api(other_leader).post(f"{ALERTS}{finance_alert.pk}/resolve/").status_code == 404
    assert api(outsider).get(ALERTS).status_code == 403
    assert api(outsider).post(f"{ALERTS}{finance_alert.pk}/acknowledge/").status_code == 404
    assert api(leader).post(f"{ALERTS}{finance_alert.pk}/acknowledge/").status_code == 200


def test_the_questions_behind_an_alert_hide_the_customer_from_leaders(social, leader, finance):
    q, _ = routing.receive_question(
        channel=Channel.EMAIL,
        text="My invoice is wrong. Regards, Zelda Quux",
        customer_name="Zelda Quux",
        customer_email="zelda@example.com",
    )
    q.department = finance
    q.save()
    alert = _alert(finance)
    as_leader = api(leader).get(f"{ALERTS}{alert.pk}/").content.decode()
    assert "Zelda" not in as_leader and "zelda@" not in as_leader
    assert "Zelda" not in client_for(leader).get(alert.get_absolute_url()).content.decode()
    as_social = api(social).get(f"{ALERTS}{alert.pk}/").content.decode()
    assert "Zelda Quux" in as_social


def test_the_alert_list_costs_the_same_queries_for_more_alerts(social, finance, engineering):
    _alert(finance)
    client = api(social)
    client.get(ALERTS)
    with CaptureQueriesContext(connection) as one:
        client.get(ALERTS)
    for i in range(10):
        _alert(None, key=f"tag:t{i}", tag=f"t{i}")
    _alert(engineering)
    with CaptureQueriesContext(connection) as many:
        client.get(ALERTS)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_schema_lists_the_monitoring_endpoints_under_their_tag(social):
    schema = api(social).get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/monitoring/rules/",
        "/api/v1/monitoring/rules/{rule_id}/",
        "/api/v1/monitoring/alerts/",
        "/api/v1/monitoring/alerts/{alert_id}/",
        "/api/v1/monitoring/alerts/{alert_id}/acknowledge/",
        "/api/v1/monitoring/alerts/{alert_id}/resolve/",
    ):
        for operation in schema["paths"][path].values():
            assert operation["tags"] == ["monitoring"]
