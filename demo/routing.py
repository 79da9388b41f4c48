"""Demo customer questions for seed_demo: seed examples per department, a trained router,
and about forty questions in every state, spread over the last two weeks.

Safe to run again: questions are keyed by (channel, external id), so a second run adds
nothing. Everything goes through routing.services, like real traffic.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from core.errors import ApplicationError
from people.models import Department, Profile
from routing import services, training
from routing.models import CustomerQuestion, RouterVersion, SeedExample, Status

User = get_user_model()

SEEDS = {
    "finance": [
        "I was charged twice for my subscription this month",
        "My invoice shows the wrong VAT number",
        "How do I get a refund for a duplicate payment?",
        "Can I pay by bank transfer instead of credit card?",
        "Why is there a late fee on my last bill?",
        "Where can I download all my invoices for last year?",
        "The payment failed but the money left my account",
        "Please update the billing address on my invoices",
    ],
    "customer-support": [
        "My order has not arrived after two weeks",
        "How do I return a damaged item?",
        "I cannot log in to my account anymore",
        "Where is my parcel? The tracking has not moved",
        "The product stopped working after a month, is it under warranty?",
        "How do I reset my password?",
        "I received the wrong size, can I exchange it?",
        "Your chat support never answers",
    ],
    "sales": [
        "Do you offer discounts for nonprofits?",
        "I'd like a quote for 200 licenses",
        "What does the enterprise plan include?",
        "Can someone give my team a demo next week?",
        "Is there volume pricing for schools?",
        "Who can I talk to about becoming a reseller?",
        "How much is the annual plan compared to monthly?",
        "We want to upgrade our whole company, who do I contact?",
    ],
    "engineering": [
        "The app crashes every time I open settings",
        "Your website shows an error 500 since this morning",
        "The API returns timeouts for every request",
        "Sync between my phone and laptop is broken",
        "The android app freezes after the latest update",
        "Is your service down? Nothing loads",
        "The export to CSV produces an empty file",
        "Dark mode makes the text unreadable on iOS",
    ],
    "hr": [
        "Are you hiring software engineers in Lisbon?",
        "How do I apply for an internship?",
        "I applied for a job three weeks ago and heard nothing",
        "Do you sponsor work visas?",
        "What is it like to work at your company?",
        "Is the marketing position still open?",
        "Can I send my CV for a position that is not listed?",
        "Do you offer remote jobs?",
    ],
    "legal": [
        "Please delete all my personal data under GDPR",
        "Someone is using your trademark on a fake shop",
        "I want a copy of the data you store about me",
        "Where can I read your terms of service for business customers?",
        "Is your product compliant with HIPAA?",
        "I want to report a copyright infringement",
        "Can I opt out of data sharing with partners?",
        "Who is your data protection officer?",
    ],
    "product": [
        "Please add a calendar integration, I'd pay for it",
        "Will you ever support offline mode?",
        "The new design is much harder to use than the old one",
        "Could you add keyboard shortcuts for power users?",
        "Why did you remove the weekly report? I used it every day",
        "Please make the app accessible for screen readers",
        "I'd love a way to share boards with guests",
        "Any plans for a Linux version?",
    ],
    "marketing": [
        "Can we feature your product in our podcast?",
        "I'm an influencer, do you have a partner program?",
        "Can I use your logo in my blog post?",
        "Will you sponsor our developer meetup?",
        "Where can I find your press kit?",
        "Are you coming to the web summit this year?",
    ],
}

# (text, channel, priority, department slug it really belongs to, final state, tags)
QUESTIONS = [
    (
        "@brand you charged me twice for March, I want my money back",
        "twitter",
        "high",
        "finance",
        "replied",
        ["complaint"],
    ),
    (
        "Hi, my invoice #20931 has the wrong company name, can you fix it?",
        "email",
        "normal",
        "finance",
        "answered",
        [],
    ),
    ("Is there a student discount on the annual plan?", "instagram", "low", "sales", "replied", []),
    (
        "Your app keeps crashing on my Pixel 8 since the update 😤",
        "twitter",
        "high",
        "engineering",
        "assigned",
        ["bug"],
    ),
    (
        "Where is my order #55120? Ordered 12 days ago and nothing",
        "facebook",
        "normal",
        "customer-support",
        "assigned",
        ["complaint"],
    ),
    ("Are you hiring data engineers in Berlin?", "linkedin", "low", "hr", "replied", []),
    (
        "Please delete my account and all my data (GDPR art. 17)",
        "email",
        "high",
        "legal",
        "assigned",
        [],
    ),
    (
        "Would love a calendar integration — any plans?",
        "twitter",
        "low",
        "product",
        "answered",
        ["feature"],
    ),
    (
        "The website checkout is showing an error 500 right now!!",
        "twitter",
        "urgent",
        "engineering",
        "escalated",
        ["bug"],
    ),
    (
        "Can we get a quote for 300 seats for our university?",
        "email",
        "normal",
        "sales",
        "assigned",
        [],
    ),
    (
        "¿Tienen soporte en español? Mi pedido llegó dañado",
        "facebook",
        "normal",
        "customer-support",
        "triaged",
        [],
    ),
    (
        "Someone is selling fake versions of your product on a marketplace",
        "instagram",
        "high",
        "legal",
        "rerouted",
        [],
    ),
    (
        "Loving the new dark mode, but the contrast on buttons is too low",
        "twitter",
        "low",
        "product",
        "closed",
        ["feedback"],
    ),
    (
        "My payment failed but the money was taken from my bank",
        "web",
        "high",
        "finance",
        "assigned",
        ["complaint"],
    ),
    ("Do you have a partner program for agencies?", "linkedin", "normal", "sales", "answered", []),
    (
        "Internship applications for summer — when do they open?",
        "instagram",
        "low",
        "hr",
        "assigned",
        [],
    ),
    (
        "The API is returning 429 errors even though we are under our limit",
        "email",
        "high",
        "engineering",
        "answered",
        ["bug"],
    ),
    (
        "How do I return a jacket that doesn't fit?",
        "facebook",
        "low",
        "customer-support",
        "replied",
        [],
    ),
    (
        "Why did you remove the weekly summary email? I relied on it",
        "twitter",
        "normal",
        "product",
        "assigned",
        ["feedback", "complaint"],
    ),
    (
        "Is your platform SOC 2 certified? Our security team asks",
        "linkedin",
        "normal",
        "legal",
        "answered",
        [],
    ),
    (
        "Congrats on the launch! 🎉 Can we feature you in our newsletter?",
        "twitter",
        "low",
        "marketing",
        "closed",
        [],
    ),
    (
        "I was billed after cancelling my subscription. Not ok.",
        "twitter",
        "high",
        "finance",
        "escalated",
        ["complaint"],
    ),
    (
        "Sync between the iPad app and the web is broken since yesterday",
        "web",
        "normal",
        "engineering",
        "assigned",
        ["bug"],
    ),
    (
        "My account got locked and the reset email never comes",
        "email",
        "high",
        "customer-support",
        "answered",
        [],
    ),
    ("Please add an export to PDF for reports", "web", "low", "product", "replied", ["feature"]),
    ("Do you offer visa sponsorship for senior roles?", "linkedin", "low", "hr", "answered", []),
    (
        "What's the difference between Pro and Business plans?",
        "instagram",
        "normal",
        "sales",
        "triaged",
        [],
    ),
    (
        "Your CEO's keynote was great, where can I watch it again?",
        "twitter",
        "low",
        "marketing",
        "triaged",
        [],
    ),
    ("WIN A FREE IPHONE click here bit.ly/xxxx", "twitter", "low", None, "spam", []),
    ("Follow back? 🔥🔥🔥", "instagram", "low", None, "spam", []),
    ("我的发票金额不对，请帮我查一下", "email", "normal", "finance", "assigned", []),
    (
        "Can I get a copy of all personal data you hold about me?",
        "email",
        "normal",
        "legal",
        "replied",
        [],
    ),
    (
        "The Android widget shows yesterday's numbers",
        "twitter",
        "normal",
        "engineering",
        "rerouted",
        ["bug"],
    ),
    (
        "Is there a way to share a board with an external guest?",
        "web",
        "low",
        "product",
        "assigned",
        ["feature"],
    ),
    (
        "Parcel tracking hasn't updated in 5 days, is it lost?",
        "facebook",
        "normal",
        "customer-support",
        "assigned",
        [],
    ),
    (
        "We'd like a demo for our sales team next Tuesday",
        "linkedin",
        "normal",
        "sales",
        "assigned",
        [],
    ),
    (
        "Your site is really slow from Australia today",
        "twitter",
        "normal",
        "engineering",
        "new",
        [],
    ),
    ("Does the warranty cover water damage?", "web", "low", "customer-support", "closed", []),
    (
        "Why does your app need access to my contacts?",
        "twitter",
        "normal",
        "legal",
        "triaged",
        ["complaint"],
    ),
    (
        "How much is a late fee if I pay my invoice a week late?",
        "email",
        "low",
        "finance",
        "answered",
        [],
    ),
]

CUSTOMERS = [
    ("Carla Mendes", "@carla_m"),
    ("Tom Becker", "@tbecker"),
    ("Aiko Tanaka", "@aiko.t"),
    ("Jamal Hassan", "@jamal_h"),
    ("Priya Nair", "@priyanair"),
    ("Lukas Novak", "@lnovak"),
    ("Sofia Rossi", "@sofiar"),
    ("Noah Williams", "@noahw"),
]

ANSWERS = {
    "finance": "I checked the account: the duplicate charge is refunded today, 3–5 days to show.",
    "customer-support": "The parcel is with the carrier's local depot; a new delivery is booked.",
    "sales": "Yes — 20% off for education; I can send a quote this week.",
    "engineering": "Known issue since the last release; a fix ships tomorrow.",
    "hr": "Yes, we are hiring: the roles are on our careers page; apply there.",
    "legal": "We can do that: send the request from the account's email and we reply in 30 days.",
    "product": "Thanks, it's on our roadmap for next quarter; we'll share a beta.",
    "marketing": "Happy to! Our press kit and contact are on the press page.",
}


def _expert(department: Department, rng: random.Random):
    people = list(
        Profile.objects.filter(department=department, user__is_active=True).values_list(
            "user_id", flat=True
        )[:20]
    )
    return User.objects.get(pk=rng.choice(people)) if people else None


# Messages that reach a brand but belong to no department: seed examples without one, so the
# demo router learns to leave such questions in triage (and has enough of them to use
# sentence embeddings, routing/ml/classifier/).
OFF_TOPIC = [
    "Happy friday everyone!",
    "Who is going to win the match tonight?",
    "What is the weather like in your city today?",
    "Can you recommend a good pizza place near the station?",
    "lol this meme is so true",
    "Follow me back please",
    "Check out my new music video",
    "Good morning from Lisbon",
    "What time is it in New York right now?",
    "Tell me a joke",
    "Who sings that song in your advert?",
    "I love cats more than dogs",
    "Does anyone know a good dentist?",
    "My horoscope says today is my lucky day",
    "What is the capital of Australia?",
    "Earn money from home, DM me",
    "First!",
    "Can you help me with my maths homework?",
    "Anyone watching the game?",
    "Best pancake recipe ever, try it",
    "Vote for my photo in the contest please",
    "How tall is the Eiffel Tower?",
    "Happy birthday to my brother",
    "Is it going to rain this weekend?",
]


def seed_router() -> RouterVersion | None:
    """Seed examples for each department, and a router trained on them (once)."""
    departments = {d.slug: d for d in Department.objects.filter(slug__in=SEEDS)}
    if not SeedExample.objects.exists():
        SeedExample.objects.bulk_create(
            [
                SeedExample(department=departments[slug], text=text)
                for slug, texts in SEEDS.items()
                if slug in departments
                for text in texts
            ]
            + [SeedExample(department=None, text=text) for text in OFF_TOPIC]
        )
    if RouterVersion.objects.filter(active=True).exists():
        return None
    try:
        return training.train_router(source="demo seed examples")
    except Exception:  # no classifier available: questions wait in triage
        return None


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
