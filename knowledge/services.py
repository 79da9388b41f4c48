"""Every write of knowledge entries: draft from an answered question, edit (a revision per
save), publish, mark outdated, retire, and count a reuse.

Title and body are scrubbed (knowledge.scrub) inside every write, with the source question's
customer name, handle and email as known values: what is stored never holds them, whichever
surface wrote it. The Scrubbed result goes back to the caller, who shows its diff to the
person who typed the text (and only to them: it is never stored).
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import ApplicationError
from core.markdown import render_markdown
from feeds.models import Topic
from people.models import Department
from routing import selectors as routing
from routing.models import CustomerQuestion

from . import selectors
from .models import MAX_BODY, MAX_TITLE, MAX_TOPICS, Entry, Reuse, Revision, State
from .scrub import Scrubbed, scrub

_TOPIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
MAX_NOTE = 300


def _known(question: CustomerQuestion | None) -> tuple[str, ...]:
    if question is None:
        return ()
    return (question.customer_name, question.customer_handle, question.customer_email)


def parse_topics(raw, known: tuple[str, ...] = ()) -> list[str]:
    """Topic names from "billing, #refunds" or a list; ApplicationError naming `topics`.
    A name the scrubber would change (the customer's name, a number) is left out."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else re.split(r"[,\s]+", str(raw))
    names = []
    for item in items:
        name = str(item).strip().lstrip("#").lower()
        if not name:
            continue
        if not _TOPIC_NAME.match(name):
            raise ApplicationError(
                "Topics are words of letters, digits, - and _ (up to 50).", field="topics"
            )
        if scrub(name, name, known).changed:
            continue
        if name not in names:
            names.append(name)
    if len(names) > MAX_TOPICS:
        raise ApplicationError(f"Choose at most {MAX_TOPICS} topics.", field="topics")
    return names


def _clean(title: str, body: str, known: tuple[str, ...]) -> Scrubbed:
    title = " ".join((title or "").replace("\x00", "").split())
    body = (body or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not title:
        raise ApplicationError("Write the question as a general question.", field="title")
    if len(title) > MAX_TITLE:
        raise ApplicationError(f"Keep the title under {MAX_TITLE} characters.", field="title")
    if not body:
        raise ApplicationError("Write the answer.", field="body")
    if len(body) > MAX_BODY:
        raise ApplicationError(f"Keep the answer under {MAX_BODY:,} characters.", field="body")
    return scrub(title, body, known)


def _set_topics(entry: Entry, names: list[str]) -> None:
    if names:
        Topic.objects.bulk_create([Topic(name=n) for n in names], ignore_conflicts=True)
    entry.topics.set(Topic.objects.filter(name__in=names))


def _revise(entry: Entry, *, actor, note: str = "") -> Revision:
    last = entry.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        entry=entry,
        number=last + 1,
        title=entry.title,
        body=entry.body,
        note=note,
        edited_by=actor,
    )


def check_scrub(*, question: CustomerQuestion | None, title: str, body: str) -> Scrubbed:
    """What a save would keep, without saving: the page's "check before publishing" step."""
    return _clean(title, body, _known(question))


def draft_entry(
    *,
    actor,
    question: CustomerQuestion,
    title: str,
    body: str,
    topics=None,
    department: Department | None = None,
) -> tuple[Entry, Scrubbed]:
    """A draft entry from an answered question, scrubbed; the expert credited is whoever
    answered it last (else the assigned expert, else the actor)."""
    if not selectors.may_write_from(actor, question):
        raise ApplicationError(
            "Only the social team and the question's expert write an entry from an answered "
            "question.",
            field="question",
            status=403,
        )
    names = parse_topics(topics, _known(question))
    scrubbed = _clean(title, body, _known(question))
    last_answer = question.answers.exclude(author=None).order_by("-created_at", "-id").first()
    expert = (
        last_answer.author
        if last_answer
        else (question.assigned_to if question.assigned_to_id else actor)
    )
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                question=question,
                title=scrubbed.title,
                body=scrubbed.body,
                body_html=render_markdown(scrubbed.body),
                department=department or question.department,
                expert=expert,
                created_by=actor,
                removed=scrubbed.removed,
            )
            _set_topics(entry, names)
            _revise(entry, actor=actor, note="Drafted from the answered question")
    except IntegrityError as exc:
        raise ApplicationError(
            "This question already has an entry: edit that one.", field="question", status=409
        ) from exc
    return entry, scrubbed


def _locked(entry: Entry) -> Entry:
    return Entry.objects.select_for_update(of=("self",)).select_related("question").get(pk=entry.pk)


def _require_manager(actor, entry: Entry) -> None:
    if not selectors.may_manage(actor, entry):
        raise ApplicationError(
            "Only the expert, their department's leaders, the social team and admins change "
            "this entry.",
            status=403,
        )


def edit_entry(
    *,
    actor,
    entry: Entry,
    title: str,
    body: str,
    topics=None,
    department: Department | None = None,
    note: str = "",
) -> tuple[Entry, Scrubbed]:
    """Change the text (scrubbed again) and topics; the text before stays in the history."""
    _require_manager(actor, entry)
    if entry.state == State.RETIRED:
        raise ApplicationError("A retired entry no longer changes.", field="state")
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ApplicationError(f"Keep the note under {MAX_NOTE} characters.", field="note")
    with transaction.atomic():
        locked = _locked(entry)
        names = parse_topics(topics, _known(locked.question)) if topics is not None else None
        scrubbed = _clean(title, body, _known(locked.question))
        changed = (scrubbed.title, scrubbed.body) != (locked.title, locked.body)
        locked.title, locked.body = scrubbed.title, scrubbed.body
        locked.body_html = render_markdown(scrubbed.body)
        if department is not None:
            locked.department = department
        if changed:
            locked.removed = scrubbed.removed
        locked.save()
        if names is not None:
            _set_topics(locked, names)
        if changed:
            _revise(locked, actor=actor, note=note)
    return locked, scrubbed


def change_state(*, actor, entry: Entry, state: str) -> Entry:
    """Publish a draft (or an outdated entry again), mark outdated, or retire."""
    _require_manager(actor, entry)
    if state not in State.values:
        raise ApplicationError("Choose published, outdated or retired.", field="state")
    with transaction.atomic():
        locked = _locked(entry)
        if not locked.can_move_to(state):
            raise ApplicationError(
                f"A {locked.get_state_display().lower()} entry cannot become {state}.",
                field="state",
                status=409,
            )
        if state == State.PUBLISHED:
            # Scrubbed once more: a draft written before a rule was added is checked again.
            again = scrub(locked.title, locked.body, _known(locked.question))
            if again.changed:
                locked.title, locked.body = again.title, again.body
                locked.body_html = render_markdown(again.body)
                _revise(locked, actor=actor, note="Personal data removed before publishing")
            if locked.published_at is None:
                locked.published_at = timezone.now()
        locked.state = state
        locked.save()
    return locked


def publish_entry(*, actor, entry: Entry) -> Entry:
    return change_state(actor=actor, entry=entry, state=State.PUBLISHED)


def record_reuse(*, actor, entry: Entry, question: CustomerQuestion, into: str) -> Entry:
    """`actor` started an answer or a public reply to `question` from `entry`: counted once
    per question and use (a second click counts nothing)."""
    if not routing.may_work_on(actor, question):
        raise ApplicationError("Only the people working on this question use it.", status=403)
    if into not in Reuse.Into.values:
        raise ApplicationError("Choose answer or reply.", field="into")
    if not entry.is_readable:
        raise ApplicationError("This entry is retired.", field="entry", status=409)
    with transaction.atomic():
        _, created = Reuse.objects.get_or_create(
            entry=entry, question=question, into=into, defaults={"by": actor}
        )
        if created:
            Entry.objects.filter(pk=entry.pk).update(reuse_count=F("reuse_count") + 1)
    entry.refresh_from_db(fields=["reuse_count"])
    return entry
