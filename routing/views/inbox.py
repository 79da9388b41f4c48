"""The inbox: views, filters, bulk actions, the expert picker, a new question, the CSV import."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.pagination import InvalidCursor, paginate_keyset
from core.wording import counted
from people.selectors import (
    all_departments,
    get_department,
    person_named,
)

from .. import selectors, services
from ..forms import (
    BulkForm,
    ImportForm,
    InboxFilterForm,
    QuestionForm,
)
from ..models import InsightTag
from .common import _require_social_team, _section

INBOX_PAGE_SIZE = 25


def _inbox_form(request) -> InboxFilterForm:
    form = InboxFilterForm(request.GET, auto_id="f-%s")
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ApplicationError(f"{field.capitalize()}: {errors[0]}", field=field)
    return form


def _leader_landing(request, form):
    """Where a leader opening the Questions tab should land: their department queue when
    nothing is assigned to them and a queue they lead is not empty, else None."""
    if request.GET or selectors.is_social_team(request.user):
        return None
    if not selectors.is_leader(request.user):
        return None
    if selectors.inbox(request.user, "mine").exists():
        return None
    department = selectors.landing_department(
        request.user, selectors.led_departments(request.user), now=timezone.now()
    )
    if department is None:
        return None
    return redirect(f"{reverse('routing:queue')}?department={department.slug}")


@require_GET
def inbox(request):
    """The inbox as a queue: nearest deadline first (overdue leads), narrowed by filters and
    search, with counts per tab; the social team ticks questions for a bulk action."""
    _section(request)
    form = _inbox_form(request)
    landing = _leader_landing(request, form)
    if landing is not None:
        return landing
    social = selectors.is_social_team(request.user)
    view = selectors.inbox_view_for(request.user, form.cleaned_data["view"])
    filters = form.filters()
    ordering, types = selectors.inbox_order(view)
    try:
        page = paginate_keyset(
            selectors.inbox(request.user, view, filters),
            ordering=ordering,
            types=types,
            cursor=form.cleaned_data["cursor"] or None,
            size=INBOX_PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise ApplicationError(str(exc), field="cursor") from exc
    questions = selectors.with_customers(
        request.user, selectors.with_tags(selectors.with_rankings(page.items))
    )
    query = urlencode({"view": view, **filters.as_query()})
    leader = not social and selectors.is_leader(request.user)
    context = {
        "view": view,
        "social": social,
        "questions": questions,
        "next_cursor": page.next_cursor,
        "counts": selectors.inbox_counts(request.user, filters, leader=leader),
        "leader": leader,
        "now": timezone.now(),
        "form": form,
        "filters": filters,
        "filter_query": urlencode(filters.as_query()),
        "query": query,
        "here": f"{reverse('routing:inbox')}?{query}",
        "departments": list(all_departments()) if social else [],
        "bulk_tags": InsightTag.Tag.choices,
        "bulk_actions": BulkForm.base_fields["action"].choices,
    }
    if request.htmx and form.cleaned_data["cursor"]:
        return render(request, "routing/_inbox_page.html", context)
    return render(request, "routing/inbox.html", context)


def _back_to_inbox(url: str) -> str:
    """`url` when it is an inbox address of this site, else the inbox."""
    inbox_url = reverse("routing:inbox")
    if url.startswith(f"{inbox_url}?") and url_has_allowed_host_and_scheme(url, None):
        return url
    return inbox_url


@require_POST
def bulk(request):
    """A bulk action from the inbox; back to the same tab and filters with one message for
    what was done and one per question refused (which, and why)."""
    _require_social_team(request)
    form = BulkForm(request.POST)
    back = _back_to_inbox(request.POST.get("next", ""))
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{field.replace('_', ' ').capitalize()}: {errors[0]}")
        return redirect(back)
    data = form.cleaned_data
    expert = None
    if data["action"] == "assign":
        expert = person_named(data["expert"])
        if expert is None:
            messages.error(request, "Expert: choose someone from the list (by name).")
            return redirect(back)
    results = services.apply_bulk_action(
        actor=request.user,
        question_ids=data["questions"],
        action=data["action"],
        expert=expert,
        tag=data["tag"],
    )
    done = [r for r in results if r.done]
    if done:
        what = {
            "assign": f"given to {expert.profile.display_name}" if expert else "",
            "tag": f"tagged “{InsightTag.Tag(data['tag']).label}”" if data["tag"] else "",
            "close": "closed",
            "spam": "closed as spam",
        }[data["action"]]
        messages.success(request, f"{counted(len(done), 'question')} {what}.")
    for r in results:
        if not r.done:
            messages.error(request, f"Question {r.question_id} was not changed: {r.message}")
    return redirect(back)


@require_GET
def experts(request):
    """The assignment picker's options (htmx): people by name with their open load and
    availability. The social team may pick anyone; a leader picks in a department they lead
    (`department`, by slug)."""
    social = selectors.is_social_team(request.user)
    department = None
    slug = request.GET.get("department", "")[:100]
    if not social:
        led = selectors.led_departments(request.user)
        if not led:
            raise PermissionDenied("Assigning questions is for the social team and leaders.")
        department = next((d for d in led if d.slug == slug), None)
        if department is None:
            raise ApplicationError("Choose a department you lead.", field="department")
    elif slug:
        department = get_department(slug)
    candidates = selectors.assignment_candidates(
        request.user,
        request.GET.get("q", ""),
        department=department,
        now=timezone.now(),
    )
    return render(request, "routing/_candidates.html", {"candidates": candidates})


@require_http_methods(["GET", "POST"])
def new_question(request):
    _section(request)
    _require_social_team(request)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question, created = services.receive_question(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if created:
                messages.success(request, "The question is in.")
            else:
                messages.warning(request, "This question was received already: here it is.")
            return redirect(question.get_absolute_url())
    return render(request, "routing/new.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def import_csv(request):
    _section(request)
    _require_social_team(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            lines = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
            result = services.import_questions(actor=request.user, lines=lines)
        except UnicodeDecodeError:
            form.add_error("file", "Save the file as UTF-8 CSV.")
        except ApplicationError as exc:
            form.add_error("file", exc.message)
    return render(
        request,
        "routing/import.html",
        {"form": form, "result": result},
        status=400 if form.errors else 200,
    )
