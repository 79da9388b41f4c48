"""Retention: rows that have served their purpose are deleted, in batches, on a schedule.

The apps own their rows, so each registers its own rules (AppConfig.ready) with
`register_rule`: a name and a function that, given "now", returns the queryset of rows past
their time, or None when the rule is switched off by its setting (0 keeps forever). `run`
deletes each rule's rows in batches of RETENTION_BATCH_SIZE: one query for a batch's ids and
one DELETE; where nullable foreign keys point at the rows, one more to load the batch's ids
as objects and one UPDATE per such key. The number of queries of a batch does not grow with
its size or the table's. The beat task `core.retention` runs it
daily at RETENTION_HOUR; `manage.py retention` runs it by hand (`--dry-run` counts).
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    name: str
    expired: Callable[[dt.datetime], QuerySet | None]
    describe: str


_rules: dict[str, Rule] = {}


def register_rule(name: str, expired: Callable[[dt.datetime], QuerySet | None], *, describe: str):
    """For the apps: `expired(now)` returns the rows to delete now, or None (rule off)."""
    _rules[name] = Rule(name=name, expired=expired, describe=describe)


def rules() -> list[Rule]:
    return list(_rules.values())


def days_ago(now: dt.datetime, days: int) -> dt.datetime | None:
    """The cutoff `days` before `now`; None when `days` is 0 (keep forever)."""
    return now - dt.timedelta(days=days) if days else None


def years_ago(now: dt.datetime, years: int) -> dt.datetime | None:
    """The same day `years` before `now` (28 February for a 29th); None for 0."""
    if not years:
        return None
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def delete_in_batches(queryset: QuerySet, *, batch_size: int) -> int:
    """Delete the rows of `queryset`, `batch_size` at a time; how many went."""
    model = queryset.model
    total = 0
    while True:
        ids = list(queryset.order_by().values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total
        # only("pk"): where Django must load the rows (to unlink what points at them), it
        # loads their ids, not their contents (a router version's bytes).
        deleted, _ = model._base_manager.filter(pk__in=ids).only("pk").delete()
        if not deleted:  # nothing could go (rows protected): do not spin
            return total
        total += len(ids)


def count(
    *, now: dt.datetime | None = None, only: list[str] | None = None
) -> dict[str, int | None]:
    """{rule name: rows it would delete now, or None when it is off}."""
    now = now or timezone.now()
    found: dict[str, int | None] = {}
    for rule in _selected(only):
        queryset = rule.expired(now)
        found[rule.name] = None if queryset is None else queryset.count()
    return found


def run(
    *, now: dt.datetime | None = None, batch_size: int | None = None, only: list[str] | None = None
) -> dict[str, int | None]:
    """Apply every rule (or those named in `only`); {rule name: rows deleted, None if off}."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    deleted: dict[str, int | None] = {}
    for rule in _selected(only):
        queryset = rule.expired(now)
        if queryset is None:
            deleted[rule.name] = None
            continue
        deleted[rule.name] = delete_in_batches(queryset, batch_size=batch_size)
        if deleted[rule.name]:
            log.info("retention: %s: %d rows deleted", rule.name, deleted[rule.name])
    return deleted


def _selected(only: list[str] | None) -> list[Rule]:
    if not only:
        return rules()
    unknown = set(only) - set(_rules)
    if unknown:
        raise ValueError(f"no retention rule named {', '.join(sorted(unknown))}")
    return [_rules[name] for name in only]
