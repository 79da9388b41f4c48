"""Question pages: the inbox (the social team's queues, everyone's "my questions"), the
question page and its actions, intake by form and CSV, insights and the dashboard.

Who may see the customer behind a question is routing.selectors.customer_of; templates
read `visible_customer` only. Who may do what is routing.services (ApplicationError).
"""

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
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
    get_account,
    get_department,
)
from policies.selectors import may_reply_publicly

from . import charts, selectors, services
from .forms import (
    AssignForm,
    BulkForm,
    CloseForm,
    ImportForm,
    InboxFilterForm,
    QuestionForm,
    QueueFilterForm,
    ReasonForm,
    ReassignForm,
    ReplyForm,
    RerouteForm,
    RouteForm,
    TagForm,
    TextForm,
)
from .models import TRANSITIONS, InsightTag, Status
from .signals import question_panels

INBOX_PAGE_SIZE = 25
INSIGHTS_PAGE_SIZE = 25
QUEUE_PAGE_SIZE = 25


def _section(request) -> None:
    request.active_section = "questions"


def _require_social_team(request) -> None:
    if not selectors.is_social_team(request.user):
        raise PermissionDenied("Only the social media team can see this page.")


def _page(queryset, cursor: str, size: int):
    try:
        return paginate_keyset(
            queryset,
            ordering=("-received_at", "-id"),
            types=(dt.datetime, int),
            cursor=cursor or None,
            size=size,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc


# --- The inbox ------------------------------------------------------------------------------


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
        expert = selectors.find_assignee(data["expert"])
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


# --- One question ---------------------------------------------------------------------------


@require_GET
def question(request, question_id: int):
    _section(request)
    q = selectors.question_detail(request.user, question_id)
    selectors.with_rankings([q])
    social = selectors.is_social_team(request.user)
    mine = q.assigned_to_id == request.user.pk
    thread = selectors.customer_thread(request.user, q)
    context = {
        "q": q,
        "thread": sorted([q, *thread], key=lambda m: (m.received_at, m.pk)) if thread else [],
        "social": social,
        "mine": mine,
        "may_work": q.may_work,
        # Asked whatever the status, so the page costs the same queries in every state.
        "may_reply": may_reply_publicly(request.user),
        "now": timezone.now(),
        "departments": list(all_departments()),  # one query in every state
        "tags": InsightTag.Tag.choices,
        "route_form": RouteForm(),
        "reroute_form": RerouteForm(),
        "reason_form": ReasonForm(),
        "answer_form": TextForm(),
        "note_form": TextForm(),
        "reply_form": ReplyForm(
            initial={"text": q.answer_list[-1].visible_text if q.answer_list else ""}
        ),
        # Where the status machine allows a reroute (models.TRANSITIONS).
        "reroutable": [s for s, moves in TRANSITIONS.items() if Status.REROUTED in moves],
        # What the apps above routing say about it (routing.signals): watch rules, sentiment.
        "panels": question_panels(request.user, q),
    }
    return render(request, "routing/question.html", context)


def _act(request, question_id: int, form_class, action):
    """Parse `form_class`, run `action(question, data)`, come back to the question page."""
    q = selectors.get_visible_question(request.user, question_id)
    form = form_class(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{field.replace('_', ' ').capitalize()}: {errors[0]}")
        return redirect(q.get_absolute_url())
    try:
        action(q, form.cleaned_data)
    except ApplicationError as exc:
        if exc.status == 403:
            raise  # a refusal: the middleware's 403 page, with the reason
        messages.error(request, exc.message)
    return redirect(q.get_absolute_url())


def _person(name_or_username: str):
    """The person a picker (or a typed name or username) names."""
    person = selectors.find_assignee(name_or_username)
    if person is None:
        raise ApplicationError("Choose someone from the list (by name).", field="username")
    return person


@require_POST
def assign(request, question_id: int):
    def action(q, data):
        services.assign_question(actor=request.user, question=q, expert=_person(data["username"]))

    return _act(request, question_id, AssignForm, action)


@require_POST
def route(request, question_id: int):
    return _act(
        request,
        question_id,
        RouteForm,
        lambda q, d: services.route_to_department(
            actor=request.user, question=q, department=d["department"]
        ),
    )


@require_POST
def reroute(request, question_id: int):
    return _act(
        request,
        question_id,
        RerouteForm,
        lambda q, d: services.reroute_question(
            actor=request.user, question=q, department=d["department"], reason=d["reason"]
        ),
    )


@require_POST
def decline(request, question_id: int):
    return _act(
        request,
        question_id,
        ReasonForm,
        lambda q, d: services.decline_question(actor=request.user, question=q, reason=d["reason"]),
    )


@require_POST
def answer(request, question_id: int):
    return _act(
        request,
        question_id,
        TextForm,
        lambda q, d: services.answer_question(actor=request.user, question=q, text=d["text"]),
    )


@require_POST
def note(request, question_id: int):
    return _act(
        request,
        question_id,
        TextForm,
        lambda q, d: services.add_note(actor=request.user, question=q, text=d["text"]),
    )


@require_POST
def reply(request, question_id: int):
    return _act(
        request,
        question_id,
        ReplyForm,
        lambda q, d: services.record_public_reply(
            actor=request.user, question=q, text=d["text"], url=d["url"]
        ),
    )


@require_POST
def close(request, question_id: int):
    return _act(
        request,
        question_id,
        CloseForm,
        lambda q, d: services.close_question(actor=request.user, question=q, spam=d["spam"]),
    )


@require_POST
def tag(request, question_id: int):
    return _act(
        request,
        question_id,
        TagForm,
        lambda q, d: services.tag_question(
            actor=request.user, question=q, tag=d["tag"], on=d["on"]
        ),
    )


# --- The department queue ------------------------------------------------------------------


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
        expert = selectors.find_assignee(form.cleaned_data["expert"]) or get_account(
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


# --- Insights and the dashboard ---------------------------------------------------------------


@require_GET
def insights(request):
    _section(request)
    slug = request.GET.get("department", "")[:100]
    tag = request.GET.get("tag", "")
    if tag and tag not in InsightTag.Tag.values:
        raise BadRequest("Unknown tag.")
    department = get_department(slug)
    if slug and department is None:
        raise Http404("No such department.")
    page = _page(
        selectors.insights(request.user, department=department, tag=tag),
        request.GET.get("cursor", "")[:500],
        INSIGHTS_PAGE_SIZE,
    )
    questions = selectors.with_customers(request.user, selectors.with_tags(page.items))
    leader = selectors.is_leader(request.user)
    return render(
        request,
        "routing/insights.html",
        {
            "questions": questions,
            "next_cursor": page.next_cursor,
            "department": department,
            "departments": all_departments(),
            "tag": tag,
            "tags": InsightTag.Tag.choices,
            "counts": selectors.inbox_counts(request.user, leader=leader),
            "tag_counts": selectors.insight_counts(department),
            "social": selectors.is_social_team(request.user),
            "leader": leader,
        },
    )


@require_GET
def dashboard(request):
    _section(request)
    social = selectors.is_social_team(request.user)
    if not (social or selectors.is_leader(request.user)):
        raise PermissionDenied("The dashboard is for the social team and leaders.")
    figures = selectors.dashboard()
    return render(
        request,
        "routing/dashboard.html",
        {
            "figures": figures,
            "open_chart": charts.stacked_bars(figures["open_by_department"], Status),
            "accuracy_chart": charts.line(selectors.accuracy_over_time(figures)),
            "sla": charts.gauge(figures["sla_compliance"]),
            "wait_chart": charts.bars(
                [
                    (name, row["median_hours"], f"{row['median_hours']:.1f} h")
                    for name, row in figures["by_department"].items()
                    if row["median_hours"] is not None
                ]
            ),
            "sla_chart": charts.bars(
                [
                    (
                        name,
                        row["sla_compliance"],
                        "—" if row["sla_compliance"] is None else f"{row['sla_compliance']:.0%}",
                    )
                    for name, row in figures["by_department"].items()
                ],
                peak=1.0,
            ),
            "counts": selectors.inbox_counts(request.user, leader=not social),
            "social": social,
            "leader": True,
            "reroutes": charts.gauge(figures["reroute_rate"]),
        },
    )
