"""Watch rules: the social team (and admins) write them; every process recompiles its
matcher after a change commits (monitoring.matching)."""

from django.db import transaction

from core.after_commit import call_on_commit
from core.errors import ApplicationError
from people.models import Department
from routing.models import Channel

from .. import matching, selectors
from ..models import Severity, WatchRule
from ..terms import clean_terms

MAX_NAME = 100
UNSET = object()


def _require_manager(actor) -> None:
    if not selectors.may_manage_rules(actor):
        raise ApplicationError("Only the social media team can change watch rules.", status=403)


def _name(value) -> str:
    if not isinstance(value, str):
        raise ApplicationError("Give the rule a name.", field="name")
    value = " ".join(value.replace("\x00", "").split())
    if not value:
        raise ApplicationError("Give the rule a name.", field="name")
    if len(value) > MAX_NAME:
        raise ApplicationError(f"Keep the name under {MAX_NAME} characters.", field="name")
    return value


def _severity(value) -> str:
    if value not in Severity.values:
        raise ApplicationError(
            f"Choose a severity: {', '.join(Severity.values)}.", field="severity"
        )
    return value


def _channel(value) -> str:
    value = value or ""
    if value and value not in Channel.values:
        raise ApplicationError(
            f"Unknown channel. Choose one of: {', '.join(Channel.values)}.", field="channel"
        )
    return value


def _department(value) -> Department | None:
    """A department, its slug, or empty for every department."""
    if value in (None, ""):
        return None
    if isinstance(value, Department):
        return value
    department = Department.objects.filter(slug=value).first() if isinstance(value, str) else None
    if department is None:
        raise ApplicationError("No department has this slug.", field="department")
    return department


def create_rule(
    *,
    actor,
    name: str,
    terms,
    severity: str = Severity.MEDIUM,
    department=None,
    channel: str = "",
    active: bool = True,
) -> WatchRule:
    _require_manager(actor)
    rule = WatchRule(
        name=_name(name),
        terms=clean_terms(terms),
        severity=_severity(severity),
        department=_department(department),
        channel=_channel(channel),
        active=bool(active),
        created_by=actor,
    )
    with transaction.atomic():
        rule.save()
        call_on_commit(matching.rules_changed, what="recompile watch rules")
    return rule


def update_rule(
    *,
    actor,
    rule: WatchRule,
    name=UNSET,
    terms=UNSET,
    severity=UNSET,
    department=UNSET,
    channel=UNSET,
    active=UNSET,
) -> WatchRule:
    """Change the given fields only (PATCH)."""
    _require_manager(actor)
    if name is not UNSET:
        rule.name = _name(name)
    if terms is not UNSET:
        rule.terms = clean_terms(terms)
    if severity is not UNSET:
        rule.severity = _severity(severity)
    if department is not UNSET:
        rule.department = _department(department)
    if channel is not UNSET:
        rule.channel = _channel(channel)
    if active is not UNSET:
        rule.active = bool(active)
    with transaction.atomic():
        rule.save()
        call_on_commit(matching.rules_changed, what="recompile watch rules")
    return rule


def delete_rule(*, actor, rule: WatchRule) -> None:
    """Delete a rule and its matches; its alerts stay (their title says what it was)."""
    _require_manager(actor)
    with transaction.atomic():
        rule.delete()
        call_on_commit(matching.rules_changed, what="recompile watch rules")
