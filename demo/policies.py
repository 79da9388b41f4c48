"""The demo's social media policy for seed_demo: version 1 published with a 5-question quiz,
a version 2 draft, acknowledgements and certifications for part of the company, the
organisation's settings and a registry of five brand accounts.

Written through the services (so Markdown, audit log and notifications are real), then
completed in bulk. Idempotent: skipped when a policy version exists.
"""

import random
import re

from django.contrib.auth import get_user_model
from django.db import transaction

from people.models import Department
from policies import services
from policies.models import (
    Acknowledgement,
    Certification,
    PolicySettings,
    PolicyVersion,
    QuizAttempt,
)

User = get_user_model()


def _unwrap(text: str) -> str:
    """The texts below are wrapped to fit this file; the renderer keeps line breaks, so
    continuation lines are joined to the paragraph or list item they belong to."""
    out: list[str] = []
    for line in text.splitlines():
        starts_block = re.match(r"^(#|- |\* |\d+\. )", line) is not None
        if out and out[-1] and line.strip() and not starts_block and not out[-1].startswith("#"):
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out) + "\n"


POLICY_V1 = """\
## Why we have this policy

Our customers talk about us on social networks every day. We want you to take part: you
know our products better than any campaign. This policy says how to do it well, and who
may speak **for the company** rather than for themselves.

## Everyone

1. **Be yourself, and say where you work.** When you talk about our products, say that you
   work here. Use your own name and voice.
2. **Speak for yourself.** Write “I think”, not “we announce”. Only certified brand
   representatives answer customers on behalf of the company.
3. **Keep confidential things confidential.** Roadmaps, prices before launch, customer
   data and anything said in a private group stay inside.
4. **Never post a customer's personal data**: no order numbers, emails, phone numbers or
   screenshots that show them. Move the conversation to a private channel.
5. **Stay kind and patient**, even when a post is not. If a thread turns hostile, stop and
   tell the social team.

## Brand representatives

- Pass the certification quiz, then reply publicly only on the accounts you are
  authorized for.
- Answer within your expertise. When you are not sure, ask an expert through the
  *Questions* inbox before you reply.
- Never delete a customer's complaint. Answer it, or hand it over.

## Brand accounts

Brand accounts, their handles, their content and their followers belong to the company.
Passwords live in the company vault, never in a browser of your own. When you change roles
or leave, the accounts you ran are handed over to a colleague.

## Questions

Ask the social team in the *Social Media Champions* group.
"""

POLICY_V2 = POLICY_V1.replace(
    "5. **Stay kind and patient**, even when a post is not. If a thread turns hostile, stop and\n"
    "   tell the social team.\n",
    "5. **Stay kind and patient**, even when a post is not. If a thread turns hostile, stop and\n"
    "   tell the social team.\n"
    "6. **Label AI-assisted content.** If a tool wrote or changed a picture or a text you\n"
    "   post about our products, say so.\n",
).replace(
    "Passwords live in the company vault, never in a browser of your own.",
    "Passwords live in the company vault with two-factor sign-in, never in a browser of "
    "your own, and are rotated whenever someone leaves.",
)

POLICY_V1, POLICY_V2 = _unwrap(POLICY_V1), _unwrap(POLICY_V2)

QUIZ = [
    (
        "A customer tweets their order number and asks where the parcel is. What do you do?",
        [
            ("Reply publicly with the tracking details", False),
            ("Thank them and move the conversation to a private channel", True),
            ("Ignore it: support will see it eventually", False),
        ],
    ),
    (
        "Who owns the followers of a brand account?",
        [
            ("The employee who built the audience", False),
            ("The social network", False),
            ("The company", True),
        ],
    ),
    (
        "You are not certified. A friend asks on LinkedIn about our refund rules. You…",
        [
            ("Answer in the company's name, quoting the rules", False),
            ("Say you work here, share your own view and point to the help center", True),
            ("Tell them refunds are always possible", False),
        ],
    ),
    (
        "Where do brand account passwords live?",
        [
            ("In the company vault", True),
            ("In a shared spreadsheet", False),
            ("In the browser of whoever posts most", False),
        ],
    ),
    (
        "A thread about us turns hostile. What is the first step?",
        [
            ("Answer every post quickly and firmly", False),
            ("Stop replying and tell the social team", True),
            ("Delete the thread", False),
        ],
    ),
]

ACCOUNTS = [
    ("x", "@socialhub", "https://x.com/socialhub", "social-media", "News and product updates"),
    (
        "x",
        "@socialhubhelp",
        "https://x.com/socialhubhelp",
        "customer-support",
        "Customer help, weekdays 8-20 CET",
    ),
    (
        "linkedin",
        "socialhub",
        "https://www.linkedin.com/company/socialhub",
        "marketing",
        "Company page: jobs, news, thought leadership",
    ),
    (
        "instagram",
        "@socialhub",
        "https://www.instagram.com/socialhub",
        "social-media",
        "Behind the scenes and customer stories",
    ),
    (
        "youtube",
        "@socialhub",
        "https://www.youtube.com/@socialhub",
        "marketing",
        "Tutorials and webinars",
    ),
]


def seed_policies(*, rng_seed: int = 11) -> int:
    """Create the demo policy. Returns how many versions were made (0 when present)."""
    if PolicyVersion.objects.exists():
        return 0
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return 0
    rng = random.Random(rng_seed)
    departments = {d.slug: d for d in Department.objects.all()}
    logins = {u.username: u for u in User.objects.filter(username__in=["sam.social", "lee.leader"])}
    with transaction.atomic():
        v1 = services.create_version(
            actor=admin,
            title="Speaking for the brand on social networks",
            body=POLICY_V1,
            change_note="First version.",
        )
        services.set_quiz(
            actor=admin,
            version=v1,
            pass_mark=80,
            questions=[services.QuestionInput(text, choices) for text, choices in QUIZ],
        )
        services.publish_version(actor=admin, version=v1)
        services.create_version(
            actor=admin,
            title="Speaking for the brand on social networks",
            body=POLICY_V2,
            change_note="Adds a rule on AI-assisted content; vault passwords rotate on departure.",
        )
        designated = [
            departments[s] for s in ("social-media", "customer-support") if s in departments
        ]
        services.update_settings(
            actor=admin,
            acknowledgement_gate=PolicySettings.Gate.POSTING,
            engagement_model=PolicySettings.Engagement.EMPOWERED_UNITS
            if designated
            else PolicySettings.Engagement.COMMAND_AND_CONTROL,
            reminder_days=7,
            designated_departments=designated,
        )
        _acknowledge_most(v1, admin, logins, rng)
        certified = _certify_some(v1, logins, rng)
        for platform, handle, url, slug, description in ACCOUNTS:
            if slug not in departments:
                continue
            account = services.create_brand_account(
                actor=admin,
                platform=platform,
                handle=handle,
                url=url,
                department=departments[slug],
                description=description,
            )
            team = [u for u in certified if u.profile.department_id == departments[slug].pk]
            for person in team[:2] or certified[:1]:
                services.authorize_person(actor=admin, account=account, user=person)
    return 2


def _acknowledge_most(version, admin, logins, rng) -> None:
    """About three in four employees read version 1; Emma (the demo employee) did not,
    so her first visit shows the banner."""
    people = User.objects.filter(is_active=True).exclude(username="emma.employee")
    chosen = [
        pk for pk in people.order_by("pk").values_list("pk", flat=True) if rng.random() < 0.75
    ]
    chosen = set(chosen) | {admin.pk} | {u.pk for u in logins.values()}
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(user_id=pk, version=version) for pk in sorted(chosen)],
        batch_size=2000,
        ignore_conflicts=True,
    )


def _certify_some(version, logins, rng) -> list:
    """Sam and a handful of people from Social Media and Customer Support passed the quiz."""
    quiz = version.quiz
    candidates = list(
        User.objects.filter(
            is_active=True,
            username__startswith="demo.",
            profile__department__slug__in=["social-media", "customer-support"],
            policy_acknowledgements__version=version,
        )
        .select_related("profile")
        .order_by("pk")
    )
    people = ([logins["sam.social"]] if "sam.social" in logins else []) + rng.sample(
        candidates, min(8, len(candidates))
    )
    for person in people:
        score = rng.choice([80, 100, 100])
        attempt = QuizAttempt.objects.create(quiz=quiz, user=person, score=score, passed=True)
        Certification.objects.create(user=person, version=version, attempt=attempt)
    return people
