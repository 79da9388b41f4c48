"""Celery tasks of routing: each wraps a service that can also be called directly."""

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string

from . import selectors, services


@shared_task
def check_sla() -> int:
    """Beat, every minute: reminders at 50%, escalations at 100% and 150% of the SLA."""
    return services.check_sla()


@shared_task
def assign_waiting_questions(department_id: int | None = None) -> int:
    """Beat, every minute (and at once when an expert's question is answered or closed):
    waiting questions go to experts who became free."""
    return services.assign_waiting_questions(department_id=department_id)


@shared_task
def train_router(source: str = "history") -> int:
    """Train on the company's history plus seed examples; the new version becomes active."""
    return services.train_router(source=source).pk


def question_digest(user) -> str:
    """The plain-text digest of open questions for `user` ("" when there is nothing)."""
    entries = selectors.digest_for(user)
    if not entries:
        return ""
    return render_to_string("routing/digest.txt", {"user": user, "entries": entries})


@shared_task
def send_question_digest(user_id: int) -> bool:
    """Today's digest for one person, at most once a day (a DigestSent row per day)."""
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from .models import DigestSent

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    body = question_digest(user)
    if not body:
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, day=timezone.localdate())
            send_mail("Customer questions waiting for you", body, None, [user.email])
    except IntegrityError:  # sent today already
        return False
    return True


@shared_task
def send_question_digests() -> int:
    """Beat, daily: a digest to everyone with open questions assigned or waiting in a
    department they lead. One task per person."""
    people = selectors.digest_recipients()
    for user_id in people:
        send_question_digest.delay(user_id)
    return len(people)
