"""The surge scan: every minute (beat) and `manage.py monitoring_scan`, the same function.

For every key (department, insight tag, active watch rule) it counts questions in each
window of MONITORING_WINDOWS minutes ending now, and the same windows at the same hour of
the previous MONITORING_BASELINE_WEEKS weeks, and the key's hourly counts over the last
MONITORING_EWMA_HOURS hours; monitoring.stats turns those into an expectation and a Poisson
tail probability. Aggregate queries only: the number of queries is the same whatever the
number of questions, keys or alerts (pinned in tests/monitoring/test_scan.py); the hourly
counts are read only while some key is too young for the seasonal baseline.

The whole scan is one transaction: a scan that dies halfway leaves nothing behind. Open
alerts are locked first, so overlapping scans take turns; new alerts are inserted with ON
CONFLICT DO NOTHING against `one_open_alert_per_key`, so a key never gets two.
"""

import datetime as dt
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncHour
from django.utils import timezone

from people.models import Department
from routing.models import CustomerQuestion, InsightTag

from ..models import SEVERITY_RANK, Alert, RuleMatch, Severity, WatchRule
from .alerts import schedule_announcement
from .baseline import Figures, back_to_normal, ewma_hours, key_figures, needs_ewma, surging


@dataclass
class ScanResult:
    keys: int = 0
    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    seconds: float = 0.0


# (kind, queryset, group field, time field)
def _sources(rule_ids: list[int]):
    return (
        (
            Alert.Kind.DEPARTMENT,
            CustomerQuestion.objects.filter(department__isnull=False),
            "department_id",
            "received_at",
        ),
        (Alert.Kind.TAG, InsightTag.objects.all(), "tag", "question__received_at"),
        (Alert.Kind.RULE, RuleMatch.objects.filter(rule_id__in=rule_ids), "rule_id", "received_at"),
    )


def _range(field_name: str, lo: dt.datetime, hi: dt.datetime) -> Q:
    return Q(**{f"{field_name}__gt": lo, f"{field_name}__lte": hi})


def _window_counts(queryset, group: str, time_field: str, *, now, windows, weeks):
    """{group value: {(window, weeks back): count}} in one query."""
    aggregates, span = {}, Q()
    for w in windows:
        for k in range(weeks + 1):
            hi = now - dt.timedelta(weeks=k)
            lo = hi - dt.timedelta(minutes=w)
            aggregates[f"n_{w}_{k}"] = Count("pk", filter=_range(time_field, lo, hi))
            span |= _range(time_field, lo, hi)
    rows = queryset.filter(span).values(group).annotate(**aggregates).order_by()
    return {
        row[group]: {(w, k): row[f"n_{w}_{k}"] for w in windows for k in range(weeks + 1)}
        for row in rows
    }


def _hourly_counts(queryset, group: str, time_field: str, *, hours: list[dt.datetime]):
    """{group value: {hour (UTC): count}} over these hourly buckets, in one query."""
    span = Q()
    start = end = None
    for hour in [*hours, None]:  # contiguous hours become one range
        if hour is not None and end == hour:
            end = hour + dt.timedelta(hours=1)
            continue
        if start is not None:
            span |= Q(**{f"{time_field}__gte": start, f"{time_field}__lt": end})
        if hour is not None:
            start, end = hour, hour + dt.timedelta(hours=1)
    rows = (
        queryset.filter(span)
        .annotate(hour=TruncHour(time_field, tzinfo=dt.UTC))
        .values(group, "hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict = {}
    for row in rows:
        out.setdefault(row[group], {})[row["hour"]] = row["n"]
    return out


def _title(kind: str, ref, *, departments: dict, rules: dict) -> str:
    if kind == Alert.Kind.DEPARTMENT:
        return f"Questions for {departments.get(ref, 'a department')}"
    if kind == Alert.Kind.TAG:
        label = InsightTag.Tag(ref).label if ref in InsightTag.Tag.values else ref
        return f"Questions tagged “{label}”"
    return f"Watch rule “{rules[ref].name}”" if ref in rules else "A watch rule"


def scan_volumes(*, now: dt.datetime | None = None) -> ScanResult:
    """Open, update and resolve surge alerts as the volumes are now."""
    s = settings
    started = time.perf_counter()
    now = now or timezone.now()
    windows = sorted(set(s.MONITORING_WINDOWS))
    weeks = s.MONITORING_BASELINE_WEEKS
    hour_end = (now - dt.timedelta(minutes=max(windows))).astimezone(dt.UTC)
    hour_end = hour_end.replace(minute=0, second=0, microsecond=0)
    buckets = ewma_hours(now=now, hour_end=hour_end)
    result = ScanResult()
    with transaction.atomic():
        open_alerts = {
            a.key: a
            for a in Alert.objects.select_for_update().exclude(status=Alert.Status.RESOLVED)
        }
        first = CustomerQuestion.objects.aggregate(first=Min("received_at"))["first"]
        rules = {
            r.pk: r
            for r in WatchRule.objects.filter(active=True).only(
                "id", "name", "severity", "department_id", "created_at"
            )
        }
        figures: dict[str, tuple[str, object, list[Figures]]] = {}
        for kind, queryset, group, time_field in _sources(list(rules)):
            counts = _window_counts(
                queryset, group, time_field, now=now, windows=windows, weeks=weeks
            )
            # The hourly counts only feed the EWMA: read them for the keys without enough
            # history for the seasonal baseline (young watch rules; a young installation).
            if kind == Alert.Kind.RULE:
                young = [
                    pk
                    for pk, r in rules.items()
                    if needs_ewma(max(first, r.created_at) if first else None, now=now,
                                  windows=windows)
                ]  # fmt: skip
                ewma_queryset = queryset.filter(rule_id__in=young) if young else None
            else:
                young_history = needs_ewma(first, now=now, windows=windows)
                ewma_queryset = queryset if young_history else None
            hourly = (
                _hourly_counts(ewma_queryset, group, time_field, hours=buckets)
                if ewma_queryset is not None
                else {}
            )
            refs = set(counts) | {
                _ref(kind, key) for key in open_alerts if key.startswith(f"{kind}:")
            }
            for ref in refs:
                if ref is None:
                    continue
                key_start = first
                if kind == Alert.Kind.RULE and ref in rules:
                    key_start = max(first, rules[ref].created_at) if first else None
                figures[f"{kind}:{ref}"] = (
                    kind,
                    ref,
                    key_figures(
                        counts.get(ref),
                        hourly.get(ref, {}),
                        key_start=key_start,
                        now=now,
                        windows=windows,
                        hour_end=hour_end,
                    ),
                )
        result.keys = len(figures)
        _apply(figures, open_alerts, rules=rules, now=now, result=result)
        schedule_announcement(changed=result.opened + result.updated, opened=result.opened)
    result.seconds = time.perf_counter() - started
    return result


def _ref(kind: str, key: str):
    value = key.split(":", 1)[1]
    if kind == Alert.Kind.TAG:
        return value
    return int(value) if value.isdigit() else None


def _apply(figures, open_alerts, *, rules, now, result: ScanResult) -> None:
    s = settings
    quiet_since = now - dt.timedelta(minutes=min(s.MONITORING_WINDOWS))
    fields = [
        "observed",
        "expected",
        "p_value",
        "window_minutes",
        "baseline_method",
        "peak_observed",
        "last_activity_at",
        "updated_at",
    ]
    to_update, to_resolve, to_create = [], [], []
    for key, (kind, ref, figs) in figures.items():
        best = min(figs, key=lambda f: (f.p_value, -f.observed))
        surge = surging(figs)
        alert = open_alerts.get(key)
        if alert is None:
            if surge:
                to_create.append((kind, ref, best))
            continue
        before = (alert.observed, alert.expected, alert.p_value, alert.window_minutes)
        _set_figures(alert, best)
        if surge:
            alert.last_activity_at = now
        if back_to_normal(figs) and alert.last_activity_at <= quiet_since:
            to_resolve.append(alert.pk)
        elif surge or before != (
            alert.observed,
            alert.expected,
            alert.p_value,
            alert.window_minutes,
        ):
            alert.updated_at = now
            to_update.append(alert)
    # Open alerts no source counted at all (a rule deleted since): nothing is unusual.
    for key, alert in open_alerts.items():
        if key not in figures and alert.last_activity_at <= quiet_since:
            to_resolve.append(alert.pk)
    if to_update:
        Alert.objects.bulk_update(to_update, fields)
        result.updated = [a.pk for a in to_update]
    if to_resolve:
        Alert.objects.filter(pk__in=to_resolve).update(
            status=Alert.Status.RESOLVED, resolved_at=now, updated_at=now
        )
        result.resolved = to_resolve
    if to_create:
        department_ids = [ref for kind, ref, _ in to_create if kind == Alert.Kind.DEPARTMENT]
        department_ids += [
            rules[ref].department_id
            for kind, ref, _ in to_create
            if kind == Alert.Kind.RULE and ref in rules and rules[ref].department_id
        ]
        departments = (
            dict(Department.objects.filter(pk__in=department_ids).values_list("pk", "name"))
            if department_ids
            else {}
        )
        rows = []
        for kind, ref, best in to_create:
            rule = rules.get(ref) if kind == Alert.Kind.RULE else None
            severity = Severity.MEDIUM
            if rule is not None and SEVERITY_RANK[rule.severity] > SEVERITY_RANK[severity]:
                severity = rule.severity
            alert = Alert(
                key=f"{kind}:{ref}",
                kind=kind,
                title=_title(kind, ref, departments=departments, rules=rules),
                trigger=Alert.Trigger.SURGE,
                severity=severity,
                department_id=ref
                if kind == Alert.Kind.DEPARTMENT
                else (rule.department_id if rule else None),
                rule_id=ref if kind == Alert.Kind.RULE else None,
                tag=ref if kind == Alert.Kind.TAG else "",
                opened_at=now,
                updated_at=now,
                last_activity_at=now,
            )
            _set_figures(alert, best)
            rows.append(alert)
        Alert.objects.bulk_create(rows, ignore_conflicts=True)
        result.opened = list(
            Alert.objects.filter(key__in=[a.key for a in rows], opened_at=now)
            .exclude(status=Alert.Status.RESOLVED)
            .values_list("pk", flat=True)
        )


def _set_figures(alert: Alert, f: Figures) -> None:
    alert.observed = f.observed
    alert.expected = f.expected
    alert.p_value = f.p_value
    alert.window_minutes = f.window
    alert.baseline_method = f.method
    alert.peak_observed = max(alert.peak_observed, f.observed)
