"""seed_questions: each demo question received through routing.services, like real
traffic, then moved to its final state the way people would (_play)."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from core.errors import ApplicationError
from people.models import Department, Profile
from routing import services
from routing.models import CustomerQuestion, Status

from .questions import ANSWERS, CUSTOMERS, QUESTIONS
from .router import SEEDS, seed_router

User = get_user_model()


def _expert(department: Department, rng: random.Random):
    people = list(
        Profile.objects.filter(department=department, user__is_active=True).values_list(
            "user_id", flat=True
        )[:20]
    )
    return User.objects.get(pk=rng.choice(people)) if people else None


def seed_questions(*, rng_seed: int = 5) -> int:
    """About forty questions in every state. Returns how many were new."""
    rng = random.Random(rng_seed)
    social = User.objects.filter(username="sam.social").first()
    if social is None:
        return 0
    seed_router()
    departments = {d.slug: d for d in Department.objects.all()}
    now = timezone.now()
    created_count = 0
    for index, (text, channel, priority, slug, state, tags) in enumerate(QUESTIONS):
        name, handle = CUSTOMERS[index % len(CUSTOMERS)]
        received = now - dt.timedelta(hours=rng.randint(2, 24 * 14))
        question, created = services.receive_question(
            actor=social,
            channel=channel,
            external_id=f"demo-{index + 1}",
            external_url=(
                f"https://x.com/{handle.lstrip('@')}/status/{1790000000000 + index}"
                if channel == "twitter"
                else ""
            ),
            text=text,
            customer_name=name,
            customer_handle=handle if channel != "email" else "",
            customer_email=f"{handle.strip('@').replace('.', '_')}@example.com",
            received_at=received,
            priority=priority,
        )
        if not created:
            continue
        created_count += 1
        _play(question, social, departments.get(slug) if slug else None, state, tags, rng)
    return created_count


def _play(question, social, department, state, tags, rng) -> None:
    """Move a fresh question to `state` the way people would."""
    if state == "spam":
        services.close_question(actor=social, question=question, spam=True)
        return
    if state == "new" or department is None:
        return
    question.refresh_from_db()
    if state == "triaged":
        if question.department_id:  # the demo wants it in the triage queue
            CustomerQuestion.objects.filter(pk=question.pk).update(
                department=None, assigned_to=None, status=Status.TRIAGED
            )
        return
    if question.department_id is None:
        services.route_to_department(actor=social, question=question, department=department)
        question.refresh_from_db()
    if state == "rerouted" and question.department_id == department.pk:
        other = Department.objects.exclude(pk=department.pk).filter(slug__in=SEEDS).first()
        CustomerQuestion.objects.filter(pk=question.pk).update(department=other)
        question.refresh_from_db()
    if question.department_id != department.pk:
        expert_holder = question.assigned_to
        reason = "This is for " + department.name
        if expert_holder is not None:
            services.reroute_question(
                actor=expert_holder, question=question, department=department, reason=reason
            )
        else:
            services.reroute_question(
                actor=social, question=question, department=department, reason=reason
            )
        question.refresh_from_db()
    if question.assigned_to_id is None:
        expert = _expert(department, rng)
        if expert is None:
            return
        services.assign_question(actor=social, question=question, expert=expert)
        question.refresh_from_db()
    for tag in tags:
        services.tag_question(actor=social, question=question, tag=tag)
    if state == "escalated":
        CustomerQuestion.objects.filter(pk=question.pk).update(status=Status.ESCALATED, sla_stage=2)
        return
    if state in ("assigned", "rerouted"):
        return
    services.add_note(
        actor=question.assigned_to, question=question, text="Checked with the team first."
    )
    services.answer_question(
        actor=question.assigned_to, question=question, text=ANSWERS.get(department.slug, "Done.")
    )
    # Demo history: the answer came some business hours after the question, not now.
    answered_at = question.received_at + dt.timedelta(minutes=rng.randint(25, 60 * 12))
    CustomerQuestion.objects.filter(pk=question.pk).update(
        first_answer_at=min(answered_at, timezone.now()), updated_at=F("updated_at")
    )
    if state == "answered":
        return
    question.refresh_from_db()
    try:
        services.record_public_reply(
            actor=social,
            question=question,
            text="Thanks for reaching out! " + ANSWERS.get(department.slug, ""),
        )
    except ApplicationError:  # the policies app may want Sam certified first
        return
    if state == "closed":
        question.refresh_from_db()
        services.close_question(actor=social, question=question)
