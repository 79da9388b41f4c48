"""What knowledge adds to pages it does not own, through their registries: the question
page's panel (routing.signals), the profile's and the topic page's sections (core.sections).
Each costs a fixed number of queries and shows only what the viewer may read."""

from django.urls import reverse

from . import selectors, suggestions


def question_panel(viewer, question) -> dict | None:
    """This question's entry (or the way to write one) and, for those who answer it, the
    similar entries and answered questions to start from."""
    may_write = selectors.may_write_from(viewer, question)
    entry = selectors.entry_of_question(question)
    if entry is not None and not (entry.is_readable or selectors.may_manage(viewer, entry)):
        entry = None
    entries, questions = suggestions.similar_to(viewer, question)
    if not (may_write or entry or entries or questions):
        return None
    return {
        "template": "knowledge/_question_panel.html",
        "title": "Knowledge",
        "entry": entry,
        "write_url": reverse("knowledge:new", args=[question.pk]) if may_write else "",
        "entries": entries,
        "questions": questions,
        "question": question,
        "may_answer": question.assigned_to_id == viewer.pk
        and question.is_open
        and question.status != "answered",
        "may_reply": question.status == "answered",
    }


def profile_section(viewer, profile) -> dict | None:
    answered = selectors.answered_by(viewer, profile.user)
    count, entries = selectors.entries_by_expert(viewer, profile.user)
    if not answered and not count:
        return None
    return {
        "template": "knowledge/_profile_section.html",
        "answered": answered,
        "count": count,
        "entries": entries,
        "person": profile,
    }


def topic_section(viewer, topic) -> dict | None:
    entries = selectors.entries_for_topic(viewer, topic)
    if not entries:
        return None
    return {"template": "knowledge/_topic_section.html", "entries": entries, "topic": topic}


def insights_section(viewer, department) -> dict:
    """A way from the insights page to the themes that come back (no query)."""
    url = reverse("knowledge:themes")
    if department is not None:
        url += f"?department={department.slug}"
    return {"template": "knowledge/_insights_section.html", "url": url}
