"""Every write of a campaign: open, close, contribute, pick, edit suggested text, record a
share. Plain functions `verb_noun(*, actor, ...)`, one transaction each; ApplicationError
for bad input (naming the field) or a refused action (403).

Nothing here reads or posts to anyone's social accounts: a share is what a representative
tells us they did, with the link they paste.
"""

import datetime as dt
import re
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import events, markdown
from core.errors import ApplicationError
from notifications.models import Notification
from notifications.services import notify

from . import selectors
from .models import (
    MAX_BRIEF,
    MAX_GUIDANCE,
    MAX_STORY,
    MAX_SUGGESTED,
    Campaign,
    Contribution,
    Share,
    SharePost,
)

User = get_user_model()

HASHTAG = re.compile(r"^[A-Za-z0-9_]{1,50}$")
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024
NOTIFY_BATCH = 2000


def _require_manager(actor) -> None:
    if not selectors.may_manage(actor):
        raise ApplicationError("Only the social team can manage campaigns.", status=403)


def _text(value: str, *, field: str, limit: int, label: str, required: bool = True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ApplicationError("Text may not contain NUL characters.", field=field)
    if required and not value:
        raise ApplicationError(f"{label} is required.", field=field)
    if len(value) > limit:
        raise ApplicationError(f"{label} is at most {limit:,} characters.", field=field)
    return value


def _hashtag(value: str) -> str:
    tag = (value or "").strip().lstrip("#")
    if not HASHTAG.match(tag):
        raise ApplicationError(
            "A hashtag is 1 to 50 letters, digits or underscores (like #TeachersInspire).",
            field="hashtag",
        )
    return tag


def _dates(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is None or timezone.is_naive(value):
            raise ApplicationError("Give a date and time with its time zone.", field=field)
    if ends_at <= starts_at:
        raise ApplicationError("The campaign must end after it starts.", field="ends_at")


def create_campaign(
    *,
    actor,
    title: str,
    brief: str,
    hashtag: str,
    guidance: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> Campaign:
    """A draft campaign; nobody outside the social team sees it until it opens."""
    _require_manager(actor)
    title = _text(title, field="title", limit=200, label="A title")
    brief = _text(brief, field="brief", limit=MAX_BRIEF, label="A brief")
    guidance = _text(guidance, field="guidance", limit=MAX_GUIDANCE, label="What may be shared")
    tag = _hashtag(hashtag)
    _dates(starts_at, ends_at)
    return Campaign.objects.create(
        title=title,
        brief=brief,
        brief_html=markdown.render_markdown(brief),
        hashtag=tag,
        guidance=guidance,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )


def update_campaign(
    *,
    actor,
    campaign: Campaign,
    title: str,
    brief: str,
    hashtag: str,
    guidance: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> Campaign:
    """Correct a draft or open campaign: its brief, guidance, hashtag and dates (an open
    one may run longer or shorter, not end in the past). A closed campaign keeps what it
    said: its report is about that. Nobody is notified again."""
    _require_manager(actor)
    title = _text(title, field="title", limit=200, label="A title")
    brief = _text(brief, field="brief", limit=MAX_BRIEF, label="A brief")
    guidance = _text(guidance, field="guidance", limit=MAX_GUIDANCE, label="What may be shared")
    tag = _hashtag(hashtag)
    _dates(starts_at, ends_at)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == Campaign.Status.CLOSED:
            raise ApplicationError("A closed campaign can no longer be edited.", status=409)
        if campaign.status == Campaign.Status.OPEN and ends_at <= timezone.now():
            raise ApplicationError(
                "An open campaign ends in the future: close it instead.", field="ends_at"
            )
        campaign.title, campaign.brief, campaign.hashtag, campaign.guidance = (
            title,
            brief,
            tag,
            guidance,
        )
        campaign.brief_html = markdown.render_markdown(brief)
        campaign.starts_at, campaign.ends_at = starts_at, ends_at
        campaign.save(
            update_fields=[
                "title",
                "brief",
                "brief_html",
                "hashtag",
                "guidance",
                "starts_at",
                "ends_at",
            ]
        )
    return campaign


def open_campaign(*, actor, campaign: Campaign) -> Campaign:
    """Draft → open; every active employee is told, in bulk."""
    _require_manager(actor)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != Campaign.Status.DRAFT:
            raise ApplicationError("Only a draft campaign can be opened.", status=409)
        if campaign.ends_at <= timezone.now():
            raise ApplicationError("The campaign's end date has passed.", field="ends_at")
        campaign.status = Campaign.Status.OPEN
        campaign.opened_at = timezone.now()
        campaign.save(update_fields=["status", "opened_at"])
        _notify_everyone(actor, campaign)
    return campaign


def _notify_everyone(actor, campaign: Campaign) -> int:
    """One Notification row per active employee but the actor, in batches of bulk_create:
    opening a campaign to 10,000 people is a handful of INSERTs, not 10,000 notify() calls.
    The email outbox (email_due_at) sends them by each person's preferences."""
    text = markdown.shorten(f"New campaign #{campaign.hashtag}: {campaign.title}", 300)
    url = campaign.get_absolute_url()
    recipients = (
        User.objects.filter(is_active=True).exclude(pk=actor.pk).values_list("pk", flat=True)
    )
    count, batch = 0, []
    for user_id in recipients.iterator(chunk_size=NOTIFY_BATCH):
        batch.append(
            Notification(
                recipient_id=user_id,
                kind=Notification.Kind.CAMPAIGN,
                actor=actor,
                actor_ids=[actor.pk],
                text=text,
                url=url,
                target_key=f"campaign:{campaign.pk}",
            )
        )
        if len(batch) >= NOTIFY_BATCH:
            Notification.objects.bulk_create(batch)
            count, batch = count + len(batch), []
    if batch:
        Notification.objects.bulk_create(batch)
        count += len(batch)
    if count:
        events.publish(audience=events.COMPANY, event_type="notification.badge", payload={})
    return count


def close_campaign(*, actor, campaign: Campaign) -> Campaign:
    """Open → closed: no more contributions or shares; the report stays."""
    _require_manager(actor)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != Campaign.Status.OPEN:
            raise ApplicationError("Only an open campaign can be closed.", status=409)
        campaign.status = Campaign.Status.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["status", "closed_at"])
    return campaign


def _require_open(campaign: Campaign) -> None:
    if not campaign.is_open:
        raise ApplicationError("This campaign is not open.", status=409)
    if campaign.ends_at <= timezone.now():
        raise ApplicationError("This campaign has ended.", status=409)


def _check_image(upload) -> tuple[int, int]:
    """Refuse what is not a readable photo of an allowed type and size; its shown (width,
    height) (core.images)."""
    from core.images import check_image

    if upload.content_type not in IMAGE_TYPES:
        raise ApplicationError("A photo is a PNG, JPEG, GIF or WebP image.", field="image")
    if upload.size > MAX_IMAGE_BYTES:
        raise ApplicationError(
            f"A photo is at most {MAX_IMAGE_BYTES // 1048576} MB.", field="image"
        )
    return check_image(upload, label="The photo", field="image")


def contribute(*, actor, campaign: Campaign, text: str, consent: bool, image=None) -> Contribution:
    """An employee's story (and photo) for an open campaign."""
    if not (actor and actor.is_authenticated and actor.is_active):
        raise ApplicationError("Sign in to contribute.", status=403)
    _require_open(campaign)
    text = _text(text, field="text", limit=MAX_STORY, label="Your story")
    size = _check_image(image) if image is not None else None
    contribution = Contribution(campaign=campaign, author=actor, text=text, consent=bool(consent))
    if image is not None:
        contribution.image = image
        contribution.image_name = (image.name or "photo")[:200]
        contribution.image_type = image.content_type
        contribution.image_width, contribution.image_height = size
    contribution.save()
    return contribution


def pick_contribution(*, actor, contribution: Contribution, suggested_text: str = "") -> SharePost:
    """The social team picks a consented contribution to go public: a share-ready post with
    suggested text (the story and the hashtag unless given); its author is told."""
    _require_manager(actor)
    campaign = contribution.campaign
    if campaign.status == Campaign.Status.CLOSED:
        raise ApplicationError("This campaign is closed.", status=409)
    if not contribution.consent:
        raise ApplicationError(
            "The author did not agree that this may be shared publicly.", field="contribution"
        )
    suggested = _text(
        suggested_text or f"{contribution.text}\n\n#{campaign.hashtag}",
        field="suggested_text",
        limit=MAX_SUGGESTED,
        label="Suggested text",
    )
    try:
        with transaction.atomic():
            share_post = SharePost.objects.create(
                campaign=campaign,
                contribution=contribution,
                suggested_text=suggested,
                picked_by=actor,
            )
            notify(
                recipient=contribution.author,
                kind=Notification.Kind.CAMPAIGN,
                actor=actor,
                text=f"Your story for #{campaign.hashtag} was picked to be shared publicly",
                url=reverse("campaigns:shares", args=[campaign.pk]),
                target_key=f"campaign-pick:{contribution.pk}",
            )
    except IntegrityError as exc:
        raise ApplicationError("This contribution is already picked.", status=409) from exc
    return share_post


def edit_suggested_text(*, actor, share_post: SharePost, suggested_text: str) -> SharePost:
    _require_manager(actor)
    share_post.suggested_text = _text(
        suggested_text, field="suggested_text", limit=MAX_SUGGESTED, label="Suggested text"
    )
    share_post.save(update_fields=["suggested_text", "updated_at"])
    return share_post


def _share_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url) if len(url) <= 500 else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApplicationError(
            "Paste the http(s) link of your post (at most 500 characters).", field="url"
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ApplicationError("A link has no spaces or control characters.", field="url")
    return url


def record_share(*, actor, share_post: SharePost, platform: str, url: str) -> Share:
    """A certified representative records where they shared a post (the link they paste)."""
    reason = selectors.share_refusal(actor)
    if reason:
        raise ApplicationError(reason, status=403)
    _require_open(share_post.campaign)
    if platform not in Share.Platform.values:
        raise ApplicationError(
            "Choose one of: " + ", ".join(Share.Platform.values) + ".", field="platform"
        )
    url = _share_url(url)
    try:
        with transaction.atomic():
            return Share.objects.create(
                share_post=share_post, user=actor, platform=platform, url=url
            )
    except IntegrityError as exc:
        raise ApplicationError("You already recorded this link.", field="url") from exc
