"""The post-incident report: counts, response times, who did what; and its rows for the
CSV and the Markdown."""

import statistics
from dataclasses import dataclass, field

from routing.models import CustomerQuestion, PublicReply

from ..models import Incident, TimelineEntry


@dataclass
class Report:
    incident: Incident
    counts: dict[str, int]
    questions: int
    replies: int
    refused: int
    first_reply_minutes: list[float]
    people: list[tuple[str, dict[str, int]]] = field(default_factory=list)

    @property
    def open_minutes(self) -> float | None:
        end = self.incident.closed_at
        if end is None:
            return None
        return round((end - self.incident.declared_at).total_seconds() / 60, 1)

    @property
    def median_first_reply(self) -> float | None:
        values = self.first_reply_minutes
        return round(statistics.median(values), 1) if values else None

    @property
    def slowest_first_reply(self) -> float | None:
        return round(max(self.first_reply_minutes), 1) if self.first_reply_minutes else None

    @property
    def unanswered(self) -> int:
        return self.questions - len(self.first_reply_minutes)


def incident_report(incident: Incident) -> Report:
    """Counts per kind of entry, response times to the questions on the timeline (from
    received to the first public reply), and who did what. Names and numbers only: no
    customer text, so every reader of the incident may read it. Three queries."""
    entries = list(incident.entries.select_related("actor__profile").order_by("created_at", "id"))
    counts = {label: 0 for _, label in TimelineEntry.Kind.choices}
    people: dict[str, dict[str, int]] = {}
    question_ids = set()
    for entry in entries:
        label = entry.get_kind_display()
        counts[label] += 1
        if entry.kind == TimelineEntry.Kind.QUESTION and entry.question_id:
            question_ids.add(entry.question_id)
        if entry.actor is not None:
            name = entry.actor.profile.display_name
            people.setdefault(name, {})
            people[name][label] = people[name].get(label, 0) + 1
    received = dict(
        CustomerQuestion.objects.filter(pk__in=question_ids).values_list("pk", "received_at")
    )
    first: dict[int, object] = {}
    for question_id, posted_at in (
        PublicReply.objects.filter(question_id__in=question_ids)
        .order_by("posted_at")
        .values_list("question_id", "posted_at")
    ):
        first.setdefault(question_id, posted_at)
    minutes = [
        max((first[q] - received[q]).total_seconds() / 60, 0.0)
        for q in question_ids
        if q in first and q in received
    ]
    return Report(
        incident=incident,
        counts=counts,
        questions=len(question_ids),
        replies=counts[TimelineEntry.Kind.REPLY_SENT.label],
        refused=counts[TimelineEntry.Kind.REPLY_REFUSED.label],
        first_reply_minutes=sorted(minutes),
        people=sorted(people.items()),
    )


def report_rows(report: Report) -> list[tuple[str, str, str]]:
    """The report as (section, item, value) rows: the CSV, and the Markdown's tables."""
    i = report.incident
    rows = [
        ("incident", "title", i.title),
        ("incident", "severity", i.get_severity_display()),
        ("incident", "crisis mode", "yes" if i.crisis_mode else "no"),
        ("incident", "declared at", i.declared_at.isoformat()),
        ("incident", "closed at", i.closed_at.isoformat() if i.closed_at else ""),
        (
            "incident",
            "open (minutes)",
            "" if report.open_minutes is None else str(report.open_minutes),
        ),
        ("response", "questions on the timeline", str(report.questions)),
        ("response", "questions without a public reply", str(report.unanswered)),
        ("response", "median first reply (minutes)", _num(report.median_first_reply)),
        ("response", "slowest first reply (minutes)", _num(report.slowest_first_reply)),
    ]
    rows += [("timeline", label, str(n)) for label, n in report.counts.items()]
    for name, done in report.people:
        rows += [("people", f"{name}: {label}", str(n)) for label, n in sorted(done.items())]
    return rows


def _num(value) -> str:
    return "" if value is None else str(value)
