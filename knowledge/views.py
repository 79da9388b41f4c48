"""Knowledge pages: the list (every employee), an entry with its history, writing one from an
answered question (check, then save or publish), editing, outdated/retired, and the reuse
count the question page's "Use" buttons send."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from core.markdown import shorten
from core.pagination import InvalidCursor, paginate_keyset
from core.versioning import compared_numbers, diff_lines
from feeds.search import parse_query
from people.selectors import all_departments, get_department
from routing import selectors as routing

from . import selectors, services, themes
from .forms import EntryForm, ListFilterForm, ReuseForm, StateForm
from .models import State

PAGE_SIZE = 20


def _section(request) -> None:
    request.active_section = "knowledge"


@require_GET
def entry_list(request):
    _section(request)
    form = ListFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Check the filters.")
    data = form.cleaned_data
    department = get_department(data["department"])
    query = parse_query(data["q"])
    entries = selectors.entry_list(
        request.user,
        query=query,
        department_id=department.pk if department else None,
        topic=data["topic"],
    )
    try:
        page = paginate_keyset(
            entries,
            ordering=selectors.LIST_ORDER,
            types=(dt.datetime, int),
            cursor=request.GET.get("cursor") or None,
            size=PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    params = request.GET.copy()
    params.pop("cursor", None)
    context = {
        "entries": page.items,
        "next_cursor": page.next_cursor,
        "query": params.urlencode(),
        "q": query.text,
        "department": department,
        "topic": data["topic"].lstrip("#").lower(),
    }
    if request.htmx and request.GET.get("cursor"):
        return render(request, "knowledge/_entries_page.html", context)
    context["departments"] = list(all_departments())
    return render(request, "knowledge/list.html", context)


@require_GET
def entry_detail(request, entry_id: int):
    _section(request)
    entry = selectors.get_entry(request.user, entry_id)
    revisions = list(selectors.revisions_of(entry))
    compare = None
    if "old" in request.GET or "new" in request.GET:
        try:
            old_number, new_number = compared_numbers(request.GET)
        except ApplicationError as exc:
            raise BadRequest(exc.message) from exc
        by_number = {r.number: r for r in revisions}
        if old_number not in by_number or new_number not in by_number:
            raise BadRequest("Choose two revisions of this entry.")
        old, new = by_number[old_number], by_number[new_number]
        compare = {
            "old": old,
            "new": new,
            "lines": diff_lines(f"{old.title}\n\n{old.body}", f"{new.title}\n\n{new.body}"),
        }
    context = {
        "entry": entry,
        "revisions": revisions,
        "compare": compare,
        "question_url": reverse("routing:question", args=[entry.question_id])
        if entry.question_id
        else "",
        "removed": entry.removed,
    }
    return render(request, "knowledge/detail.html", context)


def _entry_form_page(request, template: str, context: dict, status: int = 200):
    _section(request)
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def new_entry(request, question_id: int):
    """Write an entry from an answered question: "Check" shows what the scrubber removes
    (a diff of the text as typed, shown once and never stored); "Save draft" and "Publish"
    save the scrubbed text."""
    question = routing.question_detail(request.user, question_id)
    if not selectors.may_write_from(request.user, question):
        raise ApplicationError(
            "Only the social team and the question's expert write an entry from an answered "
            "question.",
            status=403,
        )
    existing = selectors.entry_of_question(question)
    if existing is not None:
        messages.info(request, "This question already has an entry: edit it here.")
        return redirect(existing.get_absolute_url())
    context = {"question": question, "checked": None}
    if request.method == "GET":
        answer = question.answer_list[-1].visible_text if question.answer_list else ""
        initial = {
            "title": shorten(" ".join(question.visible_text.split()), 200),
            "body": answer,
            "topics": "",
        }
        context["form"] = EntryForm(initial=initial)
        return _entry_form_page(request, "knowledge/new.html", context)
    form = EntryForm(request.POST)
    context["form"] = form
    action = request.POST.get("action", "check")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "check":
                checked = services.check_scrub(
                    question=question, title=data["title"], body=data["body"]
                )
                context["checked"] = checked
                # The form comes back holding what will be kept.
                context["form"] = EntryForm(
                    initial={"title": checked.title, "body": checked.body, "topics": data["topics"]}
                )
                return _entry_form_page(request, "knowledge/new.html", context)
            entry, _ = services.draft_entry(
                actor=request.user,
                question=question,
                title=data["title"],
                body=data["body"],
                topics=data["topics"],
            )
            if action == "publish":
                services.publish_entry(actor=request.user, entry=entry)
                messages.success(request, "The entry is published: every employee can find it.")
            else:
                messages.success(request, "The draft is saved.")
            return redirect(entry.get_absolute_url())
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            show_on_form(form, exc)
    return _entry_form_page(request, "knowledge/new.html", context, status=400)


@require_http_methods(["GET", "POST"])
def edit_entry(request, entry_id: int):
    entry = selectors.get_entry(request.user, entry_id)
    if not entry.manageable:
        raise ApplicationError(
            "Only the expert, their leaders and the social team edit it.", status=403
        )
    context = {"entry": entry}
    if request.method == "GET":
        topics = ", ".join(t.name for t in entry.topics.all())
        context["form"] = EntryForm(
            initial={"title": entry.title, "body": entry.body, "topics": topics}
        )
        return _entry_form_page(request, "knowledge/edit.html", context)
    form = EntryForm(request.POST)
    context["form"] = form
    if form.is_valid():
        data = form.cleaned_data
        try:
            _, scrubbed = services.edit_entry(
                actor=request.user,
                entry=entry,
                title=data["title"],
                body=data["body"],
                topics=data["topics"],
                note=data["note"],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            show_on_form(form, exc)
        else:
            if scrubbed.changed:
                messages.warning(request, "Saved without " + ", ".join(scrubbed.summary()) + ".")
            else:
                messages.success(request, "Saved. The text before is in the history.")
            return redirect(entry.get_absolute_url())
    return _entry_form_page(request, "knowledge/edit.html", context, status=400)


STATE_MESSAGES = {
    State.PUBLISHED: "The entry is published.",
    State.OUTDATED: "The entry is marked outdated: it stays findable, with a warning.",
    State.RETIRED: "The entry is retired: it has left the list and search.",
}


@require_POST
def change_state(request, entry_id: int):
    entry = selectors.get_entry(request.user, entry_id)
    form = StateForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Choose published, outdated or retired.")
    state = form.cleaned_data["state"]
    try:
        services.change_state(actor=request.user, entry=entry, state=state)
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, STATE_MESSAGES[state])
    return redirect(entry.get_absolute_url())


@require_POST
def reuse(request, entry_id: int):
    """Count that an entry started an answer or a reply (the question page's "Use")."""
    entry = selectors.get_entry(request.user, entry_id)
    form = ReuseForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Name the question and answer or reply.")
    question = routing.get_visible_question(request.user, form.cleaned_data["question"])
    services.record_reuse(
        actor=request.user, entry=entry, question=question, into=form.cleaned_data["into"]
    )
    if request.htmx:
        return HttpResponse(status=204)
    return redirect(question.get_absolute_url())


@require_GET
def themes_page(request):
    """Per department and month, the questions that come back and whether knowledge answers
    them (every employee, texts without the customer, like the insights page)."""
    _section(request)
    departments = list(all_departments())
    slug = request.GET.get("department", "")[:100]
    department = get_department(slug) if slug else (departments[0] if departments else None)
    if slug and department is None:
        raise BadRequest("No such department.")
    months = themes.recent_months()
    raw_month = request.GET.get("month", "")
    month = next((m for m in months if m.strftime("%Y-%m") == raw_month), None)
    if raw_month and month is None:
        raise BadRequest("Choose one of the last six months.")
    month = month or months[0]
    found = themes.themes(request.user, department=department, month=month) if department else []
    context = {
        "departments": departments,
        "department": department,
        "months": months,
        "month": month,
        "themes": found,
        "answered": sum(1 for t in found if t.entry),
    }
    return render(request, "knowledge/themes.html", context)
