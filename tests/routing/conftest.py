import datetime as dt

import pytest
from django.contrib.auth.models import Group

from ..factories import make_person

ALWAYS = {"working_days": "1234567", "work_start": dt.time(0, 0), "work_end": dt.time(23, 59, 59)}
# Never at work: someone the router must never pick, whatever the hour the tests run at (the
# default hours, Mon-Fri 09:00-17:00 UTC, make a bystander an expert during office hours).
NEVER = {"working_days": ""}

SEED = {
    "finance": [
        "I was charged twice on my credit card",
        "my invoice shows the wrong amount",
        "how do I get a refund for the double payment",
        "billing charged me after I cancelled",
        "where can I download my invoices",
        "the payment failed but money left my account",
        "can I pay by bank transfer instead of card",
        "why is there a late fee on my bill",
    ],
    "engineering": [
        "the app crashes when I open settings",
        "your website shows an error 500",
        "the api returns a timeout since this morning",
        "login page is broken on safari",
        "the android app freezes after the update",
        "sync is not working between my devices",
        "I found a bug in the export feature",
        "the page never finishes loading",
    ],
    "oos": [
        "what is the weather tomorrow",
        "tell me a joke",
        "who won the football match yesterday",
        "what is the capital of peru",
        "play some music please",
        "how tall is mount everest",
    ],
}


@pytest.fixture
def social(db):
    profile = make_person("sam.social", display_name="Sam Social", title="Social Media Specialist")
    profile.user.groups.add(Group.objects.get_or_create(name="social team")[0])
    return profile.user


@pytest.fixture
def billing_expert(finance):
    return make_person(
        "bea.billing",
        display_name="Bea Billing",
        department=finance,
        skills=("refund", "invoice"),
        **ALWAYS,
    ).user


@pytest.fixture
def second_billing_expert(finance):
    return make_person(
        "carl.cash", display_name="Carl Cash", department=finance, skills=("payroll",), **ALWAYS
    ).user


@pytest.fixture
def outsider(db):
    """An employee in no relevant department and not on the social team."""
    return make_person("otto.other", display_name="Otto Other", **ALWAYS).user


@pytest.fixture
def trained_router(finance, engineering):
    """A real router trained on a handful of examples, stored as the active version."""
    from routing.ml.classifier import train
    from routing.training import store_router_version

    texts = [t for texts in SEED.values() for t in texts]
    labels = [label for label, texts in SEED.items() for _ in texts]
    router = train(texts, labels)
    router.threshold = 0.3
    return store_router_version(router=router, source="test seed")


def ask(text="I was charged twice on my credit card, please refund", **fields):
    from ..factories import receive_and_route

    fields.setdefault("channel", "twitter")
    fields.setdefault("customer_name", "Carla Customer")
    fields.setdefault("customer_handle", "@carla_c")
    fields.setdefault("customer_email", "carla@example.org")
    question, _ = receive_and_route(text=text, **fields)
    return question
