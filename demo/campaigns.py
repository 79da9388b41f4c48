"""Demo advocacy campaigns: one open with stories (some consented, one picked and shared by
a certified representative), one draft the social team is preparing, one closed with its
report. Idempotent: a campaign whose title exists is left as it is."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns import selectors, services
from campaigns.models import Campaign
from policies import selectors as policies

User = get_user_model()

OPEN = {
    "title": "The teacher who changed your path",
    "brief": (
        "World Teachers' Day is coming. Tell us about **a teacher** who changed how you "
        "work or think: a school teacher, a mentor, a colleague. The best stories (with "
        "your consent) become posts on our brand accounts."
    ),
    "hashtag": "TeachersInspire",
    "guidance": "Your own story and photos you took. No pupils' faces, no school names.",
}
DRAFT = {
    "title": "Volunteering week",
    "brief": "Show what your team did during volunteering week.",
    "hashtag": "GiveBackWeek",
    "guidance": "Group photos where everyone agreed to be shown.",
}
CLOSED = {
    "title": "Our first open-source release",
    "brief": "Why does open source matter to you? Tell us in a few sentences.",
    "hashtag": "AcmeOpenSource",
    "guidance": "Your own words; no unreleased product names.",
}
STORIES = (
    "Mrs. Ito taught me that a proof is a story you tell a sceptical friend. I still write "
    "design documents that way.",
    "My first team lead reviewed every line I wrote for a month, then told me to review hers.",
    "A chemistry teacher let us blow things up (safely) on Fridays. That is why I test in "
    "production-like environments.",
    "Mr. Diallo stayed late every Thursday to run a coding club for six of us.",
    "My piano teacher said practice is boring on purpose. Our on-call drills are, too.",
)


def seed_campaigns(*, rng_seed: int = 13) -> int:
    """The three campaigns above, each once. Returns how many were new."""
    social = User.objects.filter(username="sam.social").first()
    if social is None:
        return 0
    rng = random.Random(rng_seed)
    now = timezone.now()
    made = 0
    if not Campaign.objects.filter(title=OPEN["title"]).exists():
        campaign = services.create_campaign(
            actor=social,
            starts_at=now - dt.timedelta(days=3),
            ends_at=now + dt.timedelta(days=11),
            **OPEN,
        )
        campaign = services.open_campaign(actor=social, campaign=campaign)
        _stories(campaign, social, rng)
        made += 1
    if not Campaign.objects.filter(title=DRAFT["title"]).exists():
        services.create_campaign(
            actor=social,
            starts_at=now + dt.timedelta(days=20),
            ends_at=now + dt.timedelta(days=27),
            **DRAFT,
        )
        made += 1
    if not Campaign.objects.filter(title=CLOSED["title"]).exists():
        campaign = services.create_campaign(
            actor=social,
            starts_at=now - dt.timedelta(days=40),
            ends_at=now + dt.timedelta(days=1),
            **CLOSED,
        )
        campaign = services.open_campaign(actor=social, campaign=campaign)
        _stories(campaign, social, rng, count=3)
        services.close_campaign(actor=social, campaign=campaign)
        # Back-dated, as the demo's older posts are: it ran for two weeks a month ago.
        ended = now - dt.timedelta(days=26)
        Campaign.objects.filter(pk=campaign.pk).update(ends_at=ended, closed_at=ended)
        made += 1
    return made


def _stories(campaign: Campaign, social, rng: random.Random, count: int = 5) -> None:
    """Stories by active employees (most consent), the first consented one picked, and a
    share recorded by a certified representative if the demo has one."""
    authors = list(
        User.objects.filter(is_active=True, profile__isnull=False)
        .exclude(username__in=("admin", "sam.social"))
        .order_by("id")[:60]
    )
    if not authors:
        return
    picked = None
    for text in STORIES[:count]:
        contribution = services.contribute(
            actor=rng.choice(authors), campaign=campaign, text=text, consent=rng.random() < 0.8
        )
        if picked is None and contribution.consent:
            picked = services.pick_contribution(actor=social, contribution=contribution)
    sharer = next(
        (
            certification.user
            for certification in policies.representatives(social)
            if not selectors.share_refusal(certification.user)
        ),
        None,
    )
    if picked is not None and sharer is not None:
        services.record_share(
            actor=sharer,
            share_post=picked,
            platform="linkedin",
            url=f"https://www.linkedin.com/feed/update/urn:li:activity:{rng.randrange(10**12)}",
        )
