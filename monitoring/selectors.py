"""Every read of listening: rules, alerts, the questions behind an alert, its chart.

Who reads: the social team and admins read every rule and alert; a department's watchers
(its leaders, and whoever the apps above register: monitoring.watchers) read the rules and
the alerts of their departments. Everyone else reads nothing here (404 on an alert, 403 on
the pages). The questions behind an alert are routing's (routing.selectors), so the
customer's personal data follows routing's rule: with_customers.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncHour
from django.http import Http404
from django.utils import timezone

from core.navigation import remembered
from people.roles import SOCIAL_TEAM, has_role, is_admin, roles_loaded
from routing import selectors as routing
from routing.models import CustomerQuestion, Priority

from . import stats, watchers
from .models import Alert, RuleMatch, Tone, WatchRule

User = get_user_model()


def may_manage_rules(user) -> bool:
    return has_role(user, SOCIAL_TEAM) or is_admin(user)


def sees_everything(user) -> bool:
    return may_manage_rules(user)


NAV_TTL = 60
_listening_menu = remembered(
    "listening", lambda user: may_manage_rules(user), seconds=NAV_TTL, known=roles_loaded
)


def in_listening_menu(user) -> bool:
    """Whether the main menu shows Alerts (the social team and admins). Asked on every page,
    so the answer is kept in the cache for NAV_TTL seconds per user (core.navigation.remembered):
    the menu costs no query on most pages. Access itself is always checked afresh
    (may_read_listening)."""
    return _listening_menu(user)


def may_read_listening(user) -> bool:
    """Rules and alerts pages: the social team, admins and department watchers."""
    return sees_everything(user) or bool(watchers.watched_departments(user))


# --- Rules ---------------------------------------------------------------------------------


def visible_rules(viewer) -> QuerySet[WatchRule]:
    if not may_read_listening(viewer):
        return WatchRule.objects.none()
    return WatchRule.objects.select_related("department")


def get_visible_rule(viewer, rule_id: int) -> WatchRule:
    try:
        return visible_rules(viewer).get(pk=rule_id)
    except WatchRule.DoesNotExist as exc:
        raise Http404("No such rule.") from exc


# --- Alerts --------------------------------------------------------------------------------


def visible_alerts(viewer, *, status: str = "") -> QuerySet[Alert]:
    """The alerts `viewer` may read, newest first; `status` "open" (open or acknowledged),
    "resolved", or "" for all."""
    if sees_everything(viewer):
        alerts = Alert.objects.all()
    else:
        departments = watchers.watched_departments(viewer)
        if not departments:
            return Alert.objects.none()
        alerts = Alert.objects.filter(department_id__in=departments)
    if status == "open":
        alerts = alerts.exclude(status=Alert.Status.RESOLVED)
    elif status == "resolved":
        alerts = alerts.filter(status=Alert.Status.RESOLVED)
    return alerts.select_related("department", "rule", "acknowledged_by__profile")


def get_visible_alert(viewer, alert_id: int) -> Alert:
    try:
        return visible_alerts(viewer).get(pk=alert_id)
    except Alert.DoesNotExist as exc:
        raise Http404("No such alert.") from exc


def open_alert_count(viewer) -> int:
    return visible_alerts(viewer, status="open").count()


def alert_recipients(alert: Alert) -> list:
    """Who hears about `alert`: the social team, and the watchers of its department."""
    ids = set(
        User.objects.filter(groups__name=SOCIAL_TEAM, is_active=True).values_list("pk", flat=True)
    )
    if alert.department_id:
        ids |= watchers.watchers_of([alert.department_id])[alert.department_id]
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


# --- What a key counts --------------------------------------------------------------------


def key_times(alert: Alert):
    """The `received_at` of every question counted under the alert's key (a values list)."""
    if alert.kind == Alert.Kind.DEPARTMENT:
        return CustomerQuestion.objects.filter(department_id=alert.department_id).values(
            "received_at"
        )
    if alert.kind == Alert.Kind.TAG:
        return CustomerQuestion.objects.filter(tags__tag=alert.tag).values("received_at")
    return RuleMatch.objects.filter(rule_id=alert.rule_id).values("received_at")


def _key_questions(alert: Alert):
    if alert.kind == Alert.Kind.DEPARTMENT:
        return {"department_id": alert.department_id}
    if alert.kind == Alert.Kind.TAG:
        return {"tags__tag": alert.tag}
    return {"pk__in": RuleMatch.objects.filter(rule_id=alert.rule_id).values("question_id")}


def questions_behind(viewer, alert: Alert, *, limit: int = 50) -> list[CustomerQuestion]:
    """The newest questions counted under the alert while it was open (and the window
    before it opened), as `viewer` may read them (routing's personal-data rule)."""
    start = alert.opened_at - dt.timedelta(minutes=max(settings.MONITORING_WINDOWS))
    end = alert.resolved_at or timezone.now()
    questions = list(
        routing.visible_questions(viewer)
        .filter(received_at__gte=start, received_at__lte=end, **_key_questions(alert))
        .distinct()
        .order_by("-received_at", "-id")[:limit]
    )
    return routing.with_customers(viewer, questions)


# --- The chart -----------------------------------------------------------------------------

CHART_HOURS = 24


def alert_series(alert: Alert, *, now: dt.datetime | None = None) -> list[dict]:
    """Hourly volume of the alert's key over the CHART_HOURS hours ending at its resolution
    (or now), beside the baseline: the mean of the same hour in the previous weeks that have
    history, else the alert's own expectation per hour. Two queries."""
    now = now or timezone.now()
    end = (alert.resolved_at or now).astimezone(dt.UTC).replace(
        minute=0, second=0, microsecond=0
    ) + dt.timedelta(hours=1)
    start = end - dt.timedelta(hours=CHART_HOURS)
    first = (
        CustomerQuestion.objects.order_by("received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    weeks = 0
    if first is not None:
        weeks = max(0, min(settings.MONITORING_BASELINE_WEEKS, (start - first).days // 7))
    span = Q()
    for k in range(weeks + 1):
        span |= Q(
            received_at__gte=start - dt.timedelta(weeks=k),
            received_at__lt=end - dt.timedelta(weeks=k),
        )
    counts = {
        row["hour"]: row["n"]
        for row in key_times(alert)
        .filter(span)
        .annotate(hour=TruncHour("received_at", tzinfo=dt.UTC))
        .values("hour")
        .annotate(n=Count("received_at"))
        .order_by()
    }
    per_hour = alert.expected * 60 / alert.window_minutes if alert.window_minutes else 0.0
    series = []
    for i in range(CHART_HOURS):
        hour = start + dt.timedelta(hours=i)
        if weeks:
            past = [counts.get(hour - dt.timedelta(weeks=k), 0) for k in range(1, weeks + 1)]
            expected = stats.seasonal_mean(past)
        else:
            expected = per_hour
        series.append({"hour": hour, "observed": counts.get(hour, 0), "expected": expected})
    return series


# --- The question page ---------------------------------------------------------------------

RAISED_TEXT = "Raised to {to}: the customer sounds angry (sentiment {score})."


def question_panel(viewer, question: CustomerQuestion) -> dict | None:
    """What listening says about a question: why its priority was raised (every reader of
    the question), and the watch rules it matched (those who may read rules). Two queries."""
    lines = []
    tone = Tone.objects.filter(question_id=question.pk).first()
    if tone is not None and tone.raised:
        score = f"{tone.compound:+.2f}".replace("-", "−")
        lines.append(RAISED_TEXT.format(to=Priority(tone.raised_to).label.lower(), score=score))
    if may_read_listening(viewer):
        for match in RuleMatch.objects.filter(question_id=question.pk).select_related("rule"):
            lines.append(f"Matched the watch rule “{match.rule.name}” ({', '.join(match.terms)}).")
    if not lines:
        return None
    return {"title": "Listening", "lines": lines}
