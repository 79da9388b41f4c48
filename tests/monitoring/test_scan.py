"""The surge scan: volume per department, insight tag and watch rule against that key's
own baseline; one alert per key, updated while the surge lasts and resolved by itself
when volume is normal again; a fixed number of queries whatever the history."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring import services
from monitoring.models import Alert, RuleMatch
from monitoring.services import scan as scan_module
from people.models import Department
from routing.models import Channel, CustomerQuestion, InsightTag

NOW = dt.datetime(2026, 3, 3, 10, 30, tzinfo=dt.UTC)  # a Tuesday morning


def _questions(department, times, *, text="a question"):
    rows = CustomerQuestion.objects.bulk_create(
        [
            CustomerQuestion(
                channel=Channel.EMAIL,
                external_id=f"q-{department.pk if department else 0}-{i}-{t.timestamp()}",
                text=text,
                received_at=t,
                department=department,
                status="triaged",
            )
            for i, t in enumerate(times)
        ]
    )
    return rows


def _history(department, *, weeks=4, per_hour=2):
    """`per_hour` questions an hour around this hour of the week, for `weeks` weeks back,
    and through the last day (so both baselines have something to go on)."""
    times = []
    for k in range(1, weeks + 1):
        base = NOW - dt.timedelta(weeks=k)
        for minutes in range(-120, 120, 60 // per_hour):
            times.append(base + dt.timedelta(minutes=minutes))
    return _questions(department, times)


def _surge(department, n, *, minutes=10):
    return _questions(
        department, [NOW - dt.timedelta(seconds=i * minutes * 60 / n) for i in range(n)]
    )


def test_a_surge_opens_one_alert_updated_while_it_lasts_then_resolved(finance):
    _history(finance)
    assert services.scan_volumes(now=NOW).opened == []  # a steady hour
    _surge(finance, 25)
    result = services.scan_volumes(now=NOW)
    (alert,) = Alert.objects.all()
    assert result.opened == [alert.pk]
    assert alert.key == f"department:{finance.pk}" and alert.trigger == Alert.Trigger.SURGE
    assert alert.baseline_method == "seasonal"
    assert alert.observed >= 25 and alert.expected < 5 and alert.p_value < 1e-6
    assert alert.title == "Questions for Finance"

    later = NOW + dt.timedelta(minutes=5)
    _questions(finance, [later - dt.timedelta(minutes=1)] * 5)
    result = services.scan_volumes(now=later)
    assert result.opened == [] and result.updated == [alert.pk]
    alert.refresh_from_db()
    assert alert.peak_observed >= 30 and alert.status == Alert.Status.OPEN

    quiet = NOW + dt.timedelta(hours=3)
    result = services.scan_volumes(now=quiet)
    assert result.resolved == [alert.pk]
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED and alert.resolved_by is None
    assert Alert.objects.count() == 1


def test_a_short_history_uses_the_ewma(finance):
    _questions(
        finance, [NOW - dt.timedelta(hours=h, minutes=m) for h in range(1, 30) for m in (5, 35)]
    )
    _surge(finance, 20)
    services.scan_volumes(now=NOW)
    alert = Alert.objects.get()
    assert alert.baseline_method == "ewma"
    assert 0.9 <= alert.expected <= 2.5


def test_a_count_below_the_minimum_is_no_surge(finance):
    _surge(finance, settings.MONITORING_MIN_COUNT - 1)
    services.scan_volumes(now=NOW)
    assert not Alert.objects.exists()


def test_surges_per_insight_tag_and_per_watch_rule(social, finance):
    rule = services.create_rule(actor=social, name="Delivery", terms=["delivery"], severity="low")
    rule.created_at = NOW - dt.timedelta(days=60)
    rule.save()
    questions = _surge(None, 12)
    InsightTag.objects.bulk_create(
        [InsightTag(question=q, tag=InsightTag.Tag.COMPLAINT) for q in questions]
    )
    RuleMatch.objects.bulk_create(
        [RuleMatch(rule=rule, question=q, received_at=q.received_at) for q in questions]
    )
    services.scan_volumes(now=NOW)
    assert set(Alert.objects.values_list("key", flat=True)) == {"tag:complaint", f"rule:{rule.pk}"}
    assert Alert.objects.get(kind="tag").title == "Questions tagged “Complaint”"


def _scan_cost(now) -> int:
    with CaptureQueriesContext(connection) as ctx:
        services.scan_volumes(now=now)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("weeks", "reads"), [(4, 5), (1, 7)])
def test_the_scan_costs_the_same_queries_whatever_the_volume(finance, engineering, weeks, reads):
    """Reads: the lock on open alerts, the first question, the rules, one count per kind
    of key (departments and tags here: no rule, no rule query), and (while the history is
    shorter than the seasonal baseline needs) one hourly count per kind. Writes: the new
    alerts (insert, read back, department names), the updated ones; plus the savepoint of
    the scan's transaction."""
    _history(finance, weeks=weeks)
    _surge(finance, 20)
    services.scan_volumes(now=NOW)  # opens one
    small = _scan_cost(NOW)
    for i in range(12):
        department = Department.objects.create(name=f"Dept {i}", slug=f"dept-{i}")
        _history(department, weeks=weeks, per_hour=4)
        _surge(department, 3)
    _history(engineering, weeks=weeks, per_hour=6)
    _surge(engineering, 40)
    # Many more keys and questions; an alert to open, one to update.
    big = _scan_cost(NOW)
    assert small == reads + 1 + 2  # + the update of the open alert, + SAVEPOINT/RELEASE
    assert big == small + 3  # the new alert: insert, read back, department names


def test_a_scan_that_dies_halfway_leaves_no_alert(finance, monkeypatch):
    _history(finance)
    _surge(finance, 25)

    def boom(**kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(scan_module, "schedule_announcement", boom)
    with pytest.raises(RuntimeError):
        services.scan_volumes(now=NOW)
    assert not Alert.objects.exists()


def test_the_command_and_the_schedule_run_the_same_scan(finance, monkeypatch):
    from celery import current_app

    from monitoring import tasks

    _surge(finance, 25)
    monkeypatch.setattr(scan_module.timezone, "now", lambda: NOW)
    out = io.StringIO()
    call_command("monitoring_scan", stdout=out)
    assert "1 alert opened, 0 updated, 0 resolved" in out.getvalue()
    entry = settings.CELERY_BEAT_SCHEDULE["monitoring-scan"]
    assert entry["task"] == "monitoring.scan" and entry["schedule"] == 60.0
    assert current_app.tasks["monitoring.scan"].name == tasks.scan.name
    assert tasks.scan() == 0  # the same alert stays the one alert
    assert Alert.objects.count() == 1


def test_an_intake_starts_a_scan_at_most_every_so_often(
    finance, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from monitoring.services.intake import SCAN_SOON_KEY
    from routing import services as routing
    from routing.models import KeywordRule

    settings.MONITORING_SCAN_ON_INTAKE_SECONDS = 60
    KeywordRule.objects.create(keyword="invoice", department=finance)
    for i in range(7):
        with django_capture_on_commit_callbacks(execute=True):
            routing.receive_question(channel=Channel.EMAIL, text=f"invoice {i}")
    assert not Alert.objects.exists()  # one scan, after the first question
    cache.delete(SCAN_SOON_KEY)  # a minute later
    with django_capture_on_commit_callbacks(execute=True):
        routing.receive_question(channel=Channel.EMAIL, text="invoice again")
    assert Alert.objects.get().key == f"department:{finance.pk}"
