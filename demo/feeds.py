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
            "Past 30 days we offer store credit, not cash: say so kindly and link the "
            "refund policy page. Billing can still approve a refund case by case.",
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
            "No: anything a journalist asks goes to the press office. Thank them, and "
            "send the question to press@ so the right person answers on the record.",
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
            "The USB-C docks IT hands out work with both: order one in the IT portal "
            "under Accessories and it ships in two days.",
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
        (
            "question",
            "What is your favourite async tool for design reviews? #remote #design",
            "Short screen recordings with comments on the frames: reviewers watch "
            "when their day starts and leave notes, no meeting needed.",
        ),
    ],
    "Sustainability": [
        ("update", "Warehouse Berlin now ships with 100% recycled packaging. #sustainability"),
        (
            "question",
            "Could we offer customers a slower, greener delivery option? #sustainability #shipping",
            "Logistics can bundle orders into one weekly truck per region: it cuts "
            "emissions by about a third. Product will test it as an opt-in at checkout.",
        ),
    ],
    "Pricing Council": [
        (
            "question",
            "Proposal: enterprise plan discount of 15% for 3-year contracts. "
            "Objections before Friday? #pricing",
            "Finance agrees if the discount applies from year two: 15% for three years "
            "up front leaves the first year below cost.",
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
        (
            "question",
            "Do we launch Falcon with dark mode or ship it in 1.1? #falcon #design",
            "Ship it in 1.1: dark mode needs every screen reviewed again, and launch "
            "is three weeks away. We'll say it is coming in the release notes.",
        ),
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

# Every department's own group has posts: news, and a question its members answer.
DEPARTMENT_POSTS = {
    "marketing": [
        (
            "update",
            "The spring campaign brief is in the shared drive. Feedback by Wednesday. #campaign",
        ),
    ],
    "social-media": [
        (
            "question",
            "Who covers the brand accounts over the holidays? #socialmedia",
            "The rota is pinned in the team channel: two people per day, and routed "
            "questions still go to the experts on call.",
        ),
    ],
    "customer-support": [
        (
            "update",
            "First-reply time this week: 38 minutes on chat, 4 hours on email. "
            "Thanks all! #support",
        ),
    ],
    "sales": [
        ("update", "Three new enterprise customers signed in October. Onboarding starts Monday."),
    ],
    "product": [
        (
            "question",
            "Where do customer feature requests from social media end up? #feedback",
            "In the feedback board: the social team tags them when they route a "
            "question, and Product reviews the board every Friday.",
        ),
    ],
    "engineering": [
        (
            "update",
            "The invoices page is twice as fast since Tuesday's release. #performance",
        ),
        (
            "question",
            "Who reviews changes to the payment service this sprint? #payments",
            "The platform team does: ask for a review in their group and tag the change "
            "with #payments so the on-call engineer sees it.",
        ),
    ],
    "hr": [
        ("update", "Open enrolment for the learning budget closes on the 15th. #learning"),
    ],
    "legal": [
        (
            "update",
            "New privacy notice for customer data is live: please reread section 3. #privacy",
        ),
    ],
    "finance": [
        (
            "question",
            "When are expense reports due this month? #expenses",
            "By the 25th: anything submitted later is paid with next month's payroll.",
        ),
    ],
    "it": [
        ("update", "Laptop refresh: Engineering and Support get new machines in November."),
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
        conversations = [(by_name[name], posts) for name, posts in POSTS.items()]
        for group in Group.objects.filter(kind=Group.Kind.DEPARTMENT).select_related("department"):
            conversations.append((group, DEPARTMENT_POSTS.get(group.department.slug, [])))
        for group, posts in conversations:
            readers = list(User.objects.filter(memberships__group=group, is_active=True))
            if not readers:
                continue
            leader = (
                Membership.objects.filter(group=group, role__in=["leader", "owner"])
                .select_related("user")
                .first()
            )
            for kind, body, *answer in posts:
                author = leader.user if kind == "announcement" and leader else rng.choice(readers)
                post = services.create_post(
                    actor=author,
                    group=group,
                    kind=kind,
                    body=body.format(support=support.username, it=it.username),
                )
                made += 1
                when = now - dt.timedelta(hours=rng.randint(1, 24 * 30))
                others = [u for u in readers if u != author]
                commenters = rng.sample(others, k=min(len(others), rng.randint(0, 4)))
                if answer and others and not commenters:
                    commenters = [rng.choice(others)]
                comments = []
                for i, who in enumerate(commenters):
                    # A question's first comment is its answer, which the asker accepts.
                    text = answer[0] if answer and i == 0 else rng.choice(COMMENTS)
                    comment = services.create_comment(
                        actor=who, post=post, body=text.format(expert=rng.choice(people).username)
                    )
                    Comment.objects.filter(pk=comment.pk).update(
                        created_at=when + dt.timedelta(minutes=15 * (i + 1))
                    )
                    comments.append(comment)
                if answer and comments:
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
        made += _seed_praise_saved_and_drafts(logins, by_name, support, now)
    return made


def _seed_praise_saved_and_drafts(logins, by_name, support, now) -> int:
    """Praise in Customer Stories, a few saved posts, a draft and a scheduled post for Emma."""
    from feeds import drafts, praise, sharing
    from feeds.selectors import visible_posts

    emma, lee = logins["emma.employee"], logins["lee.leader"]
    stories = by_name["Customer Stories"]
    made = 0
    for actor, people, badge, body in (
        (
            lee,
            [emma, support],
            "above_and_beyond",
            "Turned an angry thread into a **fan** in an hour.",
        ),
        (support, [emma], "thank_you", "Thanks for covering the weekend queue!"),
    ):
        if praise.praised_people(" ".join(f"@{p.username}" for p in people), actor=actor):
            praise.give_praise(actor=actor, group=stories, people=people, badge=badge, body=body)
            made += 1
    for post in visible_posts(emma).order_by("-created_at")[:3]:
        sharing.save_post(actor=emma, post=post)
    drafts.save_draft(actor=emma, body="Ideas for the spring campaign: …", group=stories)
    drafts.save_draft(
        actor=emma,
        body="Reminder: the **customer day** is next week. #customerlove",
        group=stories,
        publish_at=now + dt.timedelta(days=3),
    )
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
