"""The brand activity feed: posts recorded on brand accounts and public replies, their text
redacted, and a live nudge to the feed."""

from django.db import transaction
from django.utils import timezone

from core import events
from core.errors import ApplicationError
from people.roles import is_admin
from routing import redaction
from routing.selectors import is_social_team

from ..models import BrandActivity, BrandPost
from .common import _refuse, _text

BRAND_TOPIC = "brand-activity"


def record_brand_post(*, actor, account, text: str, url: str = "", posted_at=None) -> BrandPost:
    """A post published on a brand account, recorded by someone authorized on it (or the
    social team, or an admin); it shows in the brand activity feed."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if account is None:
        raise ApplicationError("Choose a brand account.", field="account")
    authorized = any(a.user_id == actor.pk for a in getattr(account, "active_authorizations", []))
    if not (authorized or is_social_team(actor) or is_admin(actor)):
        raise _refuse("Only people authorized on this account record its posts.")
    text = _text(text, field="text", limit=5_000)
    url = _text(url, field="url", limit=300, required=False)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ApplicationError("Give an http(s) link.", field="url") from None
    now = timezone.now()
    if posted_at is None or posted_at > now:
        posted_at = now
    with transaction.atomic():
        post = BrandPost.objects.create(
            account=account, text=text, url=url, recorded_by=actor, posted_at=posted_at
        )
        BrandActivity.objects.create(
            kind=BrandActivity.Kind.POST,
            account=account,
            department_id=account.department_id,
            actor=actor,
            text=redaction.redact(text),
            brand_post=post,
            occurred_at=posted_at,
        )
        _nudge_brand_feed()
    return post


def record_reply_activity(reply) -> BrandActivity | None:
    """The brand activity of a public reply: its text with the customer taken out
    (routing.redaction, the question's known name, handle and email too). Once per reply."""
    question = reply.question
    known = (question.customer_name, question.customer_handle, question.customer_email)
    activity, created = BrandActivity.objects.get_or_create(
        reply_id=reply.pk,
        defaults={
            "kind": BrandActivity.Kind.REPLY,
            "channel": question.channel,
            "department_id": question.department_id,
            "actor": reply.author,
            "text": redaction.redact(reply.text, known),
            "occurred_at": reply.posted_at,
        },
    )
    if created:
        _nudge_brand_feed()
    return activity


def _nudge_brand_feed() -> None:
    events.publish(
        audience=events.COMPANY, event_type="topic.changed", payload={"topic": BRAND_TOPIC}
    )
