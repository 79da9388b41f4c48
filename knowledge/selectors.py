"""Every read of knowledge entries.

Visibility (decided here, once): entries are company-internal knowledge. Every active
employee reads every published or outdated entry, whatever its department: the text was
scrubbed of the customer before it was stored, and the question it came from is readable
by every employee already (routing: only the customer's personal data is restricted). No
department keeps entries to itself. Drafts and retired entries are read by the people who
may manage the entry only (`may_manage`); a retired entry is in no list, search or
suggestion from the moment it is retired.

Who manages an entry: its credited expert, the leaders of its department, the social team
and admins. Who may write one from a question: the social team, admins, the question's
assigned expert and whoever answered it.
"""

from django.db.models import Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from core import compiled
from feeds.models import Topic
from feeds.search import ParsedQuery, body_search
from people.roles import is_admin
from routing import selectors as routing
from routing.models import Answer, CustomerQuestion, Status

from .models import READABLE_STATES, Entry, Revision

LIST_ORDER = ("-published_at", "-id")
# What a suggestion shows of an entry (knowledge.suggestions.Suggestion).
SUGGESTION_FIELDS = ("id", "title", "body", "state", "reuse_count")
QUESTION_FIELDS = ("id", "text", "customer_name", "customer_handle", "customer_email")
# Questions whose answer may become an entry.
ANSWERED = (Status.ANSWERED, Status.REPLIED, Status.CLOSED)


def _active(viewer) -> bool:
    return bool(viewer.is_authenticated and viewer.is_active)


def _loaded(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """What a list shows of each entry, in a fixed number of queries (one more for topics)."""
    return entries.select_related("department", "expert__profile").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )


def visible_entries(viewer) -> QuerySet[Entry]:
    """The entries `viewer` reads in lists, search and suggestions: published or outdated."""
    if not _active(viewer):
        return Entry.objects.none()
    return Entry.objects.filter(state__in=READABLE_STATES)


def may_manage(viewer, entry: Entry) -> bool:
    """Edit, mark outdated, retire, publish: the credited expert, the leaders of the entry's
    department, the social team and admins (one query at most)."""
    if not _active(viewer):
        return False
    if entry.expert_id == viewer.pk or routing.is_social_team(viewer) or is_admin(viewer):
        return True
    return routing.leads_department(viewer, entry.department_id)


def get_entry(viewer, entry_id: int) -> Entry:
    """One entry as `viewer` may open it: readable ones for everybody, drafts and retired ones
    for those who manage them; 404 alike for "no such entry" and "not for you"."""
    if not _active(viewer):
        raise Http404("No such entry.")
    try:
        entry = _loaded(Entry.objects.all()).get(pk=entry_id)
    except Entry.DoesNotExist as exc:
        raise Http404("No such entry.") from exc
    entry.manageable = may_manage(viewer, entry)
    if not entry.is_readable and not entry.manageable:
        raise Http404("No such entry.")
    return entry


def entry_list(
    viewer,
    *,
    query: ParsedQuery | None = None,
    department_id: int | None = None,
    topic: str = "",
) -> QuerySet[Entry]:
    """Readable entries, newest published first, filtered (all words in the title or the text
    on SQLite; the stored full-text vector on PostgreSQL)."""
    entries = visible_entries(viewer)
    if department_id:
        entries = entries.filter(department_id=department_id)
    if topic:
        entries = entries.filter(topics__name=topic.lstrip("#").lower())
    if query:
        entries = _matching_words(entries, query)
    return _loaded(entries).order_by(*LIST_ORDER)


def _matching_words(entries: QuerySet[Entry], query: ParsedQuery) -> QuerySet[Entry]:
    """The entries that match `query`, without ranking (keyset lists keep their order)."""
    matched = body_search(entries, query, None, newest=LIST_ORDER, fields=("title", "body"))
    for name in query.hashtags:
        matched = matched.filter(topics__name=name)
    return entries.filter(pk__in=matched.order_by().values("pk"))


def search_entries(viewer, query: ParsedQuery, markers=None) -> QuerySet[Entry]:
    """The search's matcher (feeds.search.SearchType): readable entries matching `query`,
    ranked on PostgreSQL, newest first elsewhere."""
    if not query:
        return Entry.objects.none()
    entries = visible_entries(viewer)
    for name in query.hashtags:
        entries = entries.filter(topics__name=name)
    if not query.words:
        return entries.order_by(*LIST_ORDER)
    matched = body_search(entries, query, markers, newest=LIST_ORDER, fields=("title", "body"))
    if markers is not None:
        matched = matched.select_related("department", "expert__profile")
    return matched


def revisions_of(entry: Entry) -> QuerySet[Revision]:
    return entry.revisions.select_related("edited_by__profile").order_by("-number")


def entries_by_expert(viewer, user, *, limit: int = 5) -> tuple[int, list[Entry]]:
    """How many readable entries credit `user`, and the newest few (two queries)."""
    entries = visible_entries(viewer).filter(expert=user)
    return entries.count(), list(entries.select_related("department").order_by(*LIST_ORDER)[:limit])


def answered_by(viewer, user) -> int:
    """How many customer questions `user` answered (one query)."""
    if not _active(viewer):
        return 0
    return (
        Answer.objects.filter(author=user, question__status__in=ANSWERED)
        .values("question")
        .distinct()
        .count()
    )


def entries_for_topic(viewer, topic: Topic, *, limit: int = 5) -> list[Entry]:
    return list(
        visible_entries(viewer)
        .filter(topics=topic)
        .select_related("department")
        .order_by(*LIST_ORDER)[:limit]
    )


def may_write_from(viewer, question: CustomerQuestion) -> bool:
    """May `viewer` turn `question`'s answer into an entry? (One query at most.)"""
    if not _active(viewer) or question.status not in ANSWERED:
        return False
    if routing.is_social_team(viewer) or is_admin(viewer):
        return True
    if question.assigned_to_id == viewer.pk:
        return True
    return Answer.objects.filter(question=question, author=viewer).exists()


def entry_of_question(question: CustomerQuestion) -> Entry | None:
    return Entry.objects.filter(question=question).first()


def generation() -> tuple:
    """What changes whenever an entry does (one indexed query): the similarity index is
    rebuilt when it differs."""
    return tuple(Entry.objects.aggregate(n=Max("updated_at"), top=Max("id")).values())


def answered_questions_generation() -> tuple:
    return tuple(Answer.objects.aggregate(top=Max("id")).values())


def readable_by_ids(viewer, ids: list[int], *, question_id: int | None = None) -> list[dict]:
    """Readable entries among `ids`, in that order, except the one written from
    `question_id` (one query), as dicts of SUGGESTION_FIELDS: a retired entry drops out here
    even when an index still holds it.

    This runs on every question page, where compiling the ORM query cost more than the
    similarity search over 100,000 entries: the SQL is compiled once per process and number
    of ids (core.compiled). Every active employee reads the same entries (see the module's
    docstring), so the viewer is not part of its shape; an inactive one reads none."""
    if not ids or not _active(viewer):
        return []
    values = {f"id{i}": int(pk) for i, pk in enumerate(ids)}
    values["question"] = int(question_id or 0)  # no question has id 0: excludes nothing

    def build(question, **marked):
        return (
            visible_entries(viewer)
            .exclude(question_id=question)
            .filter(id__in=list(marked.values()))
            .order_by()
            .values(*SUGGESTION_FIELDS)
        )

    shape = ("knowledge.readable_by_ids", len(ids))
    found = {row["id"]: row for row in compiled.run(shape, build, values)}
    return [found[i] for i in ids if i in found]


def answered_questions_by_ids(viewer, ids: list[int]) -> list[dict]:
    """Answered questions among `ids`, in that order, as dicts of their id, text, customer
    (for redaction) and `last_answer` (the text of their newest answer): one query, compiled
    once per process and number of ids (every active employee reads every question's
    text: routing.selectors.visible_questions)."""
    if not ids or not _active(viewer):
        return []
    values = {f"id{i}": int(pk) for i, pk in enumerate(ids)}

    def build(**marked):
        newest = Answer.objects.filter(question=OuterRef("pk")).order_by("-created_at", "-id")
        return (
            routing.visible_questions(viewer)
            .filter(status__in=ANSWERED, id__in=list(marked.values()))
            .order_by()
            .values(*QUESTION_FIELDS, last_answer=Subquery(newest.values("text")[:1]))
        )

    shape = ("knowledge.answered_questions_by_ids", len(ids))
    found = {row["id"]: row for row in compiled.run(shape, build, values)}
    return [found[i] for i in ids if i in found]
