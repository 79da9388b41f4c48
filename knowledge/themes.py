"""Themes that come back: per department and month, the customer questions grouped by what
they ask (clusters), and whether the knowledge already answers each one.

Clustering is greedy and cheap: the month's questions (at most MAX_QUESTIONS, newest) as the
router's word features (knowledge.similarity), each joining the first theme whose first
question it resembles (cosine >= JOIN), else starting one. A theme "has an entry" when one of
its questions became an entry, or a readable entry resembles its first question. Only themes
of two questions or more are shown: the ones that come back. Texts are shown redacted (no
customer), to every employee, like the insights page.

Queries: 1 (questions) + 1 (entries of those questions) + 1 (entry generation) + 1 (the
entries like the themes), whatever the number of themes.
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from core.markdown import shorten
from routing import redaction
from routing import selectors as routing
from routing.ml.features import MIN_DF, WORD_NGRAMS, Block
from routing.models import Status

from . import suggestions
from .models import READABLE_STATES, Entry
from .similarity import _clean

MAX_QUESTIONS = 600
JOIN = 0.3
ENTRY_MATCH = 0.3
SHOWN = 12


@dataclass
class Theme:
    example: str
    question_ids: list[int] = field(default_factory=list)
    entry: Entry | None = None

    @property
    def size(self) -> int:
        return len(self.question_ids)


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC)
    end = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=dt.UTC)
    return start, end


def recent_months(count: int = 6) -> list[dt.date]:
    today = timezone.now().date().replace(day=1)
    months = []
    for _ in range(count):
        months.append(today)
        today = (today - dt.timedelta(days=1)).replace(day=1)
    return months


def themes(viewer, *, department, month: dt.date) -> list[Theme]:
    """The month's recurring themes of `department`, biggest first."""
    start, end = _month_bounds(month)
    rows = list(
        routing.visible_questions(viewer)
        .filter(department=department, received_at__gte=start, received_at__lt=end)
        .exclude(status=Status.SPAM)
        .order_by("-received_at", "-id")
        .values_list("id", "text", "customer_name", "customer_handle", "customer_email")[
            :MAX_QUESTIONS
        ]
    )
    if len(rows) < 2:
        return []
    texts = [suggestions.comparable(r[1], r[2:]) for r in rows]
    block = Block.fit("word", WORD_NGRAMS, [_clean(t) for t in texts], MIN_DF)
    vectors = block.transform([_clean(t) for t in texts])
    found: list[Theme] = []
    leaders: list[int] = []
    for i, row in enumerate(rows):
        if leaders:
            scores = (vectors[leaders] @ vectors[i].T).toarray().ravel()
            best = int(np.argmax(scores))
            if scores[best] >= JOIN:
                found[best].question_ids.append(row[0])
                continue
        leaders.append(i)
        example = shorten(" ".join(redaction.redact(row[1], row[2:]).split()), 200)
        found.append(Theme(example=example, question_ids=[row[0]]))
    recurring = sorted((t for t in found if t.size >= 2), key=lambda t: -t.size)[:SHOWN]
    _attach_entries(viewer, recurring, texts={r[0]: t for r, t in zip(rows, texts, strict=True)})
    return recurring


def _attach_entries(viewer, found: list[Theme], *, texts: dict[int, str]) -> None:
    if not found:
        return
    asked = {q for t in found for q in t.question_ids}
    by_question = {
        e.question_id: e
        for e in Entry.objects.filter(question_id__in=asked, state__in=READABLE_STATES)
    }
    index = suggestions.entry_index()
    nearest = {}
    for theme in found:
        theme.entry = next((by_question[q] for q in theme.question_ids if q in by_question), None)
        if theme.entry is None:
            near = index.nearest(texts[theme.question_ids[0]], k=1)
            if near and near[0].score >= ENTRY_MATCH:
                nearest[id(theme)] = near[0].id
    readable = Entry.objects.filter(state__in=READABLE_STATES).in_bulk(set(nearest.values()))
    for theme in found:
        if theme.entry is None and id(theme) in nearest:
            theme.entry = readable.get(nearest[id(theme)])
