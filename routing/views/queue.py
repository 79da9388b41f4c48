"""The department queue for leaders and the social team."""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from core.pagination import InvalidCursor, paginate_keyset
from people.selectors import (
    get_account,
    person_named,
)

from .. import selectors, services
from ..forms import (
    QueueFilterForm,
    ReassignForm,
)
from .common import _section

QUEUE_PAGE_SIZE = 25


def _queue_departments(request):
    """The departments whose queue the viewer may open; 403 when there is none (as for
    the dashboard: the page is for the social team and leaders)."""
    departments = selectors.queue_departments(request.user)
    if not departments:
        raise PermissionDenied("The department queue is for team leaders and the social team.")
    return departments


def _queue_context(request, department, departments, cursor: str = "", error=None) -> dict:
    now = timezone.now()
    try:
        page = paginate_keyset(
            selectors.department_queue(request.user, department, now=now),
            ordering=selectors.QUEUE_ORDER,
            types=selectors.QUEUE_TYPES,
            cursor=cursor or None,
            size=QUEUE_PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    social = selectors.is_social_team(request.user)
    experts = selectors.department_experts(department, now=now)
    return {
        "view": "queue",
        "social": social,
        "leader": True,
        "department": department,
        "departments": departments,
        "questions": selectors.with_customers(request.user, page.items),
        "next_cursor": page.next_cursor,
        "figures": selectors.department_queue_figures(department, now=now),
        "experts": experts,
        "at_work": [e for e in experts if e.at_work],
        "away": [e for e in experts if not e.at_work],
        "counts": selectors.inbox_counts(request.user, leader=not social),
        "now": now,
        "error": error,
    }


@require_GET
def queue(request):
    """A department's open questions for its leaders (and the social team): most urgent
    first, who holds each, the experts' loads, and reassignment within the department."""
    _section(request)
    form = QueueFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Those filters are not valid.")
    departments = _queue_departments(request)
    slug = form.cleaned_data["department"]
    department = next((d for d in departments if d.slug == slug), None if slug else departments[0])
    if department is None:
        raise Http404("No queue of yours has this department.")
    context = _queue_context(request, department, departments, form.cleaned_data["cursor"])
    if request.htmx and form.cleaned_data["cursor"]:
        return render(request, "routing/_queue_page.html", context)
    return render(request, "routing/queue.html", context)


@require_POST
def queue_assign(request, question_id: int):
    """Give a question of the queue to an expert (routing.services.assign_question decides
    who may), then back to the queue. A refusal that names a field is the queue page again
    with the message (400, or 409 for a question that is no longer open); 403 otherwise."""
    q = selectors.get_visible_question(request.user, question_id)
    form = ReassignForm(request.POST)
    error = None
    if form.is_valid():
        expert = person_named(form.cleaned_data["expert"]) or get_account(
            username=form.cleaned_data["expert"], active=False
        )
        try:
            if expert is None:
                raise ApplicationError("Choose someone from the list (by name).", field="expert")
            services.assign_question(actor=request.user, question=q, expert=expert)
        except ApplicationError as exc:
            if exc.status == 403:
                raise  # a refusal: the middleware's 403 page, with the reason
            error = exc
    else:
        error = ApplicationError(form.errors["expert"][0], field="expert")
    departments = _queue_departments(request)
    department = next((d for d in departments if d.pk == q.department_id), None)
    if error is None:
        q.refresh_from_db(fields=["assigned_to"])
        messages.success(
            request, f"Question {q.pk} is now with {q.assigned_to.profile.display_name}."
        )
    if department is None:  # e.g. the social team assigning a question in triage
        if error is not None:
            messages.error(request, error.message)
        return redirect(q.get_absolute_url())
    if error is None:
        return redirect(f"{reverse('routing:queue')}?department={department.slug}")
    problem = {"question_id": q.pk, "field": error.field or "", "message": error.message}
    return render(
        request,
        "routing/queue.html",
        _queue_context(request, department, departments, error=problem),
        status=error.status,
    )
