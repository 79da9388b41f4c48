"""Demo conversations: interest groups, posts, comments and reactions for seed_demo.

Written through the same services as the product (so Markdown, mentions and topics are
real), then dated over the past weeks. Idempotent: skipped when the demo groups have posts.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from feeds import services
from feeds.models import Comment, Post, Reaction
from groups import services as groups
from groups.models import Group, Membership

User = get_user_model()

INTEREST_GROUPS = [
    (
        "Customer Stories",
        "public",
        "What customers tell us, good and bad, and what we learned from it.",
    ),
    (
        "Social Media Champions",
        "public",
        "People who speak for the brand online, and everyone who wants to learn how.",
    ),
    ("Coffee & Code", "public", "Tips, tools and small wins from engineers and friends."),
    ("Remote Workers", "public", "Tools, rituals and time zones: working well from anywhere."),
    ("Sustainability", "public", "Cutting our footprint, one office and one shipment at a time."),
    (
        "Pricing Council",
        "private",
        "Sales, Product and Finance decide price changes here before anyone announces them.",
    ),
    ("Project Falcon", "secret", "The new mobile app. Not a word outside this group yet."),
]

POSTS = {
    "Customer Stories": [
        (
            "update",
            "A customer on Instagram asked whether the **winter jacket** runs small. "
            "@{support} answered in 12 minutes and she ordered two. #customerlove",
        ),
        (
            "question",
            "How do we answer people asking about *refunds after 30 days*? "
            "I see it weekly on Facebook. #refunds #billing",
        ),
        (
            "update",
            "Summary of this month's top three complaints:\n\n1. Delivery times\n"
            "2. Password resets\n3. Invoice PDFs\n\nThanks to everyone who helped. "
            "#feedback",
        ),
    ],
    "Social Media Champions": [
        (
            "announcement",
            "Reminder: the **social media policy** was updated. Read it before "
            "you reply to customers from a brand account. #policy",
        ),
        (
            "question",
            "Is it OK to reply to a journalist's tweet from my personal account? #policy #press",
        ),
        (
            "update",
            "Our reply time on X went from 3 hours to 40 minutes this quarter, thanks "
            "to experts answering routed questions. #socialmedia",
        ),
    ],
    "Coffee & Code": [
        (
            "update",
            "TIL: `EXPLAIN (ANALYZE, BUFFERS)` shows why a query is slow. Saved us a "
            "full day on the invoices page. #postgresql #performance",
        ),
        (
            "question",
            "Which laptop dock works with both Mac and Windows? @{it} any advice? #laptops",
        ),
        (
            "update",
            "Lunch & learn on Thursday: *accessibility for busy people*. Bring "
            "questions! #accessibility",
        ),
    ],
    "Remote Workers": [
        (
            "update",
            "Our team moved stand-up to 10:00 UTC so Singapore and New York both make "
            "it. Works great so far. #remote",
        ),
        ("question", "What is your favourite async tool for design reviews? #remote #design"),
    ],
    "Sustainability": [
        ("update", "Warehouse Berlin now ships with 100% recycled packaging. #sustainability"),
        (
            "question",
            "Could we offer customers a slower, greener delivery option? #sustainability #shipping",
        ),
    ],
    "Pricing Council": [
        (
            "question",
            "Proposal: enterprise plan discount of 15% for 3-year contracts. "
            "Objections before Friday? #pricing",
        ),
        (
            "update",
            "Finance modelled the annual plan change: net neutral in year one. #pricing #billing",
        ),
    ],
    "Project Falcon": [
        (
            "update",
            "Falcon beta build 0.3 is on the internal store. Crash reports welcome. #falcon",
        ),
        ("question", "Do we launch Falcon with dark mode or ship it in 1.1? #falcon #design"),
    ],
    "All company": [
        (
            "announcement",
            "Welcome to **socialhub**: ask questions in the open, find the "
            "people who know, and help our customers faster. #welcome",
        ),
        (
            "update",
            "Quarterly all-hands next Tuesday at 16:00 CET. Questions for the "
            "leadership team go in the comments! #allhands",
        ),
    ],
}

COMMENTS = [
    "Great point, thanks for sharing.",
    "We saw the same thing in Support last week.",
    "Could you add this to the help center?",
    "+1 — happy to help if you need a hand.",
    "I asked @{expert}, they know this best.",
    "Here is what worked for us: keep the reply short and link the policy.",
    "Let's discuss at the next team meeting.",
    "Love this. #customerlove",
]


def seed_conversations(*, rng_seed: int = 7) -> int:
    """Create the demo groups and their conversations. Returns the number of posts made."""
    if Post.objects.exists():
        return 0
    rng = random.Random(rng_seed)
    groups.sync_all_department_memberships()
    people = list(
        User.objects.filter(is_active=True, username__startswith="demo.")
        .select_related("profile")
        .order_by("id")
    )
    logins = {
        u.username: u
        for u in User.objects.filter(
            username__in=["admin", "sam.social", "lee.leader", "emma.employee"]
        )
    }
    if not people or len(logins) < 4:
        return 0
    support = next((u for u in people if u.profile.title.startswith("Support")), people[0])
    it = next((u for u in people if u.profile.title.startswith("IT")), people[1])
    made = 0
    with transaction.atomic():
        company = groups.ensure_company_group()
        Membership.objects.update_or_create(
            group=company,
            user=logins["admin"],
            defaults={"role": Membership.Role.OWNER, "source": Membership.Source.COMPANY},
        )
        by_name = {"All company": company}
        for name, privacy, description in INTEREST_GROUPS:
            owner = rng.choice(people)
            group = groups.create_group(
                actor=owner, name=name, privacy=privacy, description=description
            )
            members = rng.sample(people, k=min(len(people), rng.randint(20, 60)))
            Membership.objects.bulk_create(
                [Membership(group=group, user=u) for u in members], ignore_conflicts=True
            )
            for login in logins.values():
                if privacy != "secret" or login.username in ("emma.employee", "admin"):
                    Membership.objects.get_or_create(group=group, user=login)
            groups.change_role(actor=owner, group=group, user=members[0], role="leader")
            by_name[name] = group
        _leaders_for_departments(logins["lee.leader"])
        now = timezone.now()
        for name, posts in POSTS.items():
            group = by_name[name]
            readers = list(User.objects.filter(memberships__group=group, is_active=True))
            leader = (
                Membership.objects.filter(group=group, role__in=["leader", "owner"])
                .select_related("user")
                .first()
            )
            for kind, body in posts:
                author = leader.user if kind == "announcement" and leader else rng.choice(readers)
                post = services.create_post(
                    actor=author,
                    group=group,
                    kind=kind,
                    body=body.format(support=support.username, it=it.username),
                )
                made += 1
                when = now - dt.timedelta(hours=rng.randint(1, 24 * 30))
                commenters = rng.sample(readers, k=min(len(readers), rng.randint(0, 4)))
                comments = []
                for i, who in enumerate(commenters):
                    comment = services.create_comment(
                        actor=who,
                        post=post,
                        body=rng.choice(COMMENTS).format(expert=rng.choice(people).username),
                    )
                    Comment.objects.filter(pk=comment.pk).update(
                        created_at=when + dt.timedelta(minutes=15 * (i + 1))
                    )
                    comments.append(comment)
                if kind == "question" and comments:
                    services.accept_answer(actor=author, post=post, comment=comments[0])
                Reaction.objects.bulk_create(
                    [
                        Reaction(post=post, user=u, kind=rng.choice(Reaction.Kind.values))
                        for u in rng.sample(readers, k=min(len(readers), rng.randint(0, 12)))
                    ],
                    ignore_conflicts=True,
                )
                Post.objects.filter(pk=post.pk).update(created_at=when)
                services.recount_posts(Post.objects.filter(pk=post.pk))  # the bulk reactions
    return made


def _leaders_for_departments(lee) -> None:
    """Heads and team leads lead their department's group; Lee leads Customer Support."""
    for group in Group.objects.filter(kind=Group.Kind.DEPARTMENT):
        leads = User.objects.filter(
            profile__department=group.department,
            profile__title__regex=r"(Head|VP|Director|Lead|Manager|Chief|CFO|Counsel)",
        )
        Membership.objects.filter(group=group, user__in=leads).update(role="leader")
    Membership.objects.filter(
        user=lee, group__kind=Group.Kind.DEPARTMENT, group__department__slug="customer-support"
    ).update(role="leader")
