"""What listening does with every new question, inside routing's intake transaction
(routing.signals.question_received): match the watch rules (the matches are the question's
tags), read its tone, and raise the priority of a detractor before its SLA clock starts.

A fixed number of queries whatever the number of rules or the history: the compiled rules
come from the process (monitoring.matching), one insert for the matches, one for the tone.
Alerts for the matches are raised after commit (alerts.alert_on_matches, a task), so a
burst of notifications never holds the intake transaction; so is a scan, at most every
MONITORING_SCAN_ON_INTAKE_SECONDS (the beat runs it every minute anyway).
"""

from django.conf import settings
from django.core.cache import cache

from core.after_commit import enqueue_on_commit
from routing.models import Priority

from .. import matching, sentiment
from ..models import RuleMatch, Severity, Tone, WatchRule

# One step up; urgent stays urgent.
RAISE = {
    Priority.LOW: Priority.NORMAL,
    Priority.NORMAL: Priority.HIGH,
    Priority.HIGH: Priority.URGENT,
}


def listen_to_question(*, question, now=None) -> list[matching.Match]:
    """Expects routing's intake transaction; may raise `question.priority` (routing saves the
    row and starts the clock after this). The matches found."""
    matches = matching.current_matcher().match(
        question.text, department_id=question.department_id, channel=question.channel
    )
    if matches:
        # A rule deleted in another process a moment ago may still be in this process's
        # compiled copy: only rules that still exist are recorded (one query, only when
        # something matched), or the intake would fail on the foreign key at commit.
        existing = set(
            WatchRule.objects.filter(pk__in=[m.rule.id for m in matches]).values_list(
                "pk", flat=True
            )
        )
        matches = [m for m in matches if m.rule.id in existing]
    if matches:
        RuleMatch.objects.bulk_create(
            [
                RuleMatch(
                    rule_id=m.rule.id,
                    question_id=question.pk,
                    terms=list(m.terms),
                    received_at=question.received_at,
                )
                for m in matches
            ]
        )
        if any(m.rule.severity != Severity.LOW for m in matches):
            enqueue_on_commit("monitoring.alert_on_matches", question.pk)
    score = sentiment.compound(question.text)
    tone = Tone(question_id=question.pk, compound=score)
    if (
        sentiment.is_detractor(score, threshold=settings.MONITORING_DETRACTOR_THRESHOLD)
        and question.priority in RAISE
    ):
        tone.raised_from = question.priority
        tone.raised_to = question.priority = RAISE[question.priority]
    tone.save(force_insert=True)
    _scan_soon()
    return matches


SCAN_SOON_KEY = "monitoring:scan-soon"


def _scan_soon() -> None:
    """A scan right after this intake commits, at most once every
    MONITORING_SCAN_ON_INTAKE_SECONDS across the processes sharing the cache: a surge is
    seen within seconds rather than at the next minute of the schedule. One cache add."""
    seconds = settings.MONITORING_SCAN_ON_INTAKE_SECONDS
    if seconds > 0 and cache.add(SCAN_SOON_KEY, 1, timeout=seconds):
        enqueue_on_commit("monitoring.scan")


def on_question_received(sender, *, question, now, **kwargs) -> None:
    """The receiver connected in MonitoringConfig.ready."""
    listen_to_question(question=question, now=now)
