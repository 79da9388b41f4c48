"""Reuse: for a customer question, up to three similar knowledge entries and similar answered
questions, with the text to start an answer or a public reply from.

Who sees them: the social team and the question's assigned expert (the people who answer
and reply), through `may_see_suggestions`. What they see carries no customer: entries are
scrubbed when stored, and an answered question's text and answer are redacted
(routing.redaction) for everyone, the social team included, because they belong to another
customer and are offered for pasting into this one's reply.

Each process keeps one similarity index per kind (knowledge.similarity.Index), rebuilt when
`selectors.generation()` (or the answers' newest id) changes; a process asks at most every
KNOWLEDGE_INDEX_CHECK_SECONDS (a small aggregate query per kind), a rebuild only after a
change. A small index is rebuilt in the request that finds it stale (milliseconds); one of
KNOWLEDGE_INDEX_BACKGROUND_FROM texts or more (100,000 entries take half a minute) is rebuilt
in a background thread while the stale one goes on answering: it may miss the newest entries
for that long, never show a retired one (hits are read again through the visibility
selectors).

Queries: 0 to 2 (the generations, when due) + 1 (entries) + 1 (questions with their newest
answer), whatever the number of entries.
"""

import logging
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.urls import reverse

from core.markdown import markdown_text, shorten
from routing import redaction
from routing import selectors as routing
from routing.models import Answer, CustomerQuestion

from . import selectors
from .models import READABLE_STATES, Entry, State
from .similarity import Index

LIMIT = 3
_lock = threading.Lock()
_indexes: dict[str, tuple[tuple, Index]] = {}
# When each index last asked the database whether it is stale (time.monotonic()).
_checked: dict[str, float] = {}
# The background rebuild of each kind under way, if any (one at a time per kind).
_rebuilding: dict[str, threading.Thread] = {}
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "entry" or "question"
    id: int
    title: str
    text: str  # plain text to start from (Markdown source for entries)
    url: str
    score: float
    reuse_count: int = 0
    outdated: bool = False


def may_see_suggestions(viewer, question: CustomerQuestion) -> bool:
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return routing.is_social_team(viewer) or question.assigned_to_id == viewer.pk


def _entry_rows():
    rows = Entry.objects.filter(state__in=READABLE_STATES).values_list("id", "title", "body")
    return [r[0] for r in rows], [f"{r[1]}\n{r[2]}" for r in rows]


_PLACEHOLDER = re.compile(r"\[(?:customer|handle|email|link|number|signature)\]")


def comparable(text: str, known: tuple[str, ...]) -> str:
    """A question's words without the customer in them: names, emails, links and numbers
    are noise to a similarity (and no index should hold them)."""
    return _PLACEHOLDER.sub(" ", redaction.redact(text, known))


def _question_rows():
    answered = Answer.objects.filter(question__status__in=selectors.ANSWERED).values("question_id")
    rows = CustomerQuestion.objects.filter(pk__in=answered).values_list(
        "id", "text", "customer_name", "customer_handle", "customer_email"
    )
    return [r[0] for r in rows], [comparable(r[1], r[2:]) for r in rows]


def _index(kind: str, generation, rows) -> Index:
    """The index of `kind`; `generation()` (a query) is asked at most every
    KNOWLEDGE_INDEX_CHECK_SECONDS: a new entry may wait that long to be suggested, a retired
    one never shows (hits are read again through the visibility selectors)."""
    current = _indexes.get(kind)
    now = time.monotonic()
    if (
        current is not None
        and now - _checked.get(kind, 0.0) < settings.KNOWLEDGE_INDEX_CHECK_SECONDS
    ):
        return current[1]
    generation = generation()
    _checked[kind] = now
    if current is not None and current[0] == generation:
        return current[1]
    if current is not None and len(current[1]) >= settings.KNOWLEDGE_INDEX_BACKGROUND_FROM:
        _rebuild_in_background(kind, generation, rows)
        return current[1]
    with _lock:
        current = _indexes.get(kind)
        if current is None or current[0] != generation:
            current = (generation, Index(*rows()))
            _indexes[kind] = current
    return current[1]


def _rebuild_in_background(kind: str, generation, rows) -> None:
    with _lock:
        if kind in _rebuilding:
            return

        def rebuild():
            try:
                index = Index(*rows())
                with _lock:
                    _indexes[kind] = (generation, index)
            except Exception:
                # The stale index goes on answering; the next check tries again.
                logger.exception("knowledge: rebuilding the %s similarity index failed", kind)
            finally:
                with _lock:
                    _rebuilding.pop(kind, None)
                connections.close_all()  # this thread's own connections

        thread = threading.Thread(target=rebuild, name=f"knowledge-index-{kind}", daemon=True)
        _rebuilding[kind] = thread
    thread.start()


def wait_for_rebuilds(timeout: float = 60.0) -> None:
    """Until the background rebuilds under way are done (tests, management commands)."""
    for thread in list(_rebuilding.values()):
        thread.join(timeout)


def forget() -> None:
    """Drop this process's indexes (tests, after the rows they were built from are gone)."""
    wait_for_rebuilds()
    _indexes.clear()
    _checked.clear()


def entry_index() -> Index:
    return _index("entries", selectors.generation, _entry_rows)


def question_index() -> Index:
    return _index("questions", selectors.answered_questions_generation, _question_rows)


def _known(question: CustomerQuestion) -> tuple[str, ...]:
    return (question.customer_name, question.customer_handle, question.customer_email)


def similar_entries(
    viewer, text: str, *, limit: int = LIMIT, question_id: int | None = None
) -> list[Suggestion]:
    """Entries like `text`; not the one written from `question_id` (it is the answer)."""
    found = entry_index().nearest(text, k=limit + 1)
    scores = {n.id: n.score for n in found}
    readable = selectors.readable_by_ids(viewer, [n.id for n in found], question_id=question_id)
    return [
        Suggestion(
            kind="entry",
            id=e["id"],
            title=e["title"],
            text=e["body"],
            url=reverse("knowledge:detail", args=[e["id"]]),
            score=scores[e["id"]],
            reuse_count=e["reuse_count"],
            outdated=e["state"] != State.PUBLISHED,
        )
        for e in readable[:limit]
    ]


def similar_questions(
    viewer, question: CustomerQuestion, text: str, *, limit: int = LIMIT
) -> list[Suggestion]:
    found = question_index().nearest(text, k=limit, exclude=frozenset({question.pk}))
    scores = {n.id: n.score for n in found}
    out = []
    for q in selectors.answered_questions_by_ids(viewer, [n.id for n in found]):
        known = (q["customer_name"], q["customer_handle"], q["customer_email"])
        answer = redaction.redact(q["last_answer"] or "", known)
        out.append(
            Suggestion(
                kind="question",
                id=q["id"],
                title=shorten(" ".join(redaction.redact(q["text"], known).split()), 160),
                text=answer,
                url=reverse("routing:question", args=[q["id"]]),
                score=scores[q["id"]],
            )
        )
    return out


def similar_to(viewer, question: CustomerQuestion) -> tuple[list[Suggestion], list[Suggestion]]:
    """(entries, answered questions) like `question`, for those who answer it."""
    if not may_see_suggestions(viewer, question):
        return [], []
    text = comparable(question.text, _known(question))
    return (
        similar_entries(viewer, text, question_id=question.pk),
        similar_questions(viewer, question, text),
    )


def plain(suggestion: Suggestion) -> str:
    """The text as a reader sees it (no Markdown syntax), for short previews."""
    return markdown_text(suggestion.text) if suggestion.kind == "entry" else suggestion.text
