"""One question's page and every action on it (assign, route, reroute, decline, answer,
note, public reply, close, tag)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from people.selectors import (
    all_departments,
    picked_person,
)
from policies.selectors import may_reply_publicly

from .. import selectors, services
from ..forms import (
    AssignForm,
    CloseForm,
    DeclineForm,
    ReasonForm,
    ReplyForm,
    RerouteForm,
    RouteForm,
    TagForm,
    TextForm,
)
from ..models import TRANSITIONS, InsightTag, Status
from ..signals import question_panels, reply_suggestions
from .common import _section


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
        # What other apps offer the reply form (the crisis playbook's holding statements).
        "reply_suggestions": reply_suggestions(request.user),
        "reply_form": ReplyForm(
            initial={"text": q.answer_list[-1].visible_text if q.answer_list else ""}
        ),
        # Where the status machine allows a reroute (models.TRANSITIONS).
        "reroutable": [s for s, moves in TRANSITIONS.items() if Status.REROUTED in moves],
        # What the apps above routing say about it (routing.signals): watch rules, sentiment.
        "panels": question_panels(request.user, q),
    }
    return render(request, "routing/question.html", context)


def _act(request, question_id: int, form_class, action, *, refusal_inline: bool = False):
    """Parse `form_class`, run `action(question, data)`, come back to the question page.
    A refusal (403) is the error page, or with `refusal_inline` a message on the question
    page (a refused public reply says why where the person wrote it)."""
    q = selectors.get_visible_question(request.user, question_id)
    form = form_class(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{field.replace('_', ' ').capitalize()}: {errors[0]}")
        return redirect(q.get_absolute_url())
    try:
        action(q, form.cleaned_data)
    except ApplicationError as exc:
        if exc.status == 403 and not refusal_inline:
            raise  # a refusal: the middleware's 403 page, with the reason
        messages.error(request, exc.message)
    return redirect(q.get_absolute_url())


@require_POST
def assign(request, question_id: int):
    def action(q, data):
        services.assign_question(
            actor=request.user, question=q, expert=picked_person(data["username"], field="username")
        )

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
        DeclineForm,
        lambda q, d: services.decline_question(
            actor=request.user,
            question=q,
            reason=d["reason"],
            wrong_department=d["wrong_department"],
        ),
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
        refusal_inline=True,
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
