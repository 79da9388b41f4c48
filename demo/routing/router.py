"""The demo router: seed examples for each department, messages that belong to none, and a
router trained on them (once)."""

from people.models import Department
from routing import training
from routing.models import RouterVersion, SeedExample

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
