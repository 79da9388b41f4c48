"""A finance department with an expert, the social team, a leader and an outsider, and one
answered customer question full of real-looking personal data."""

import pytest

from groups.models import Membership
from groups.services import ensure_department_group
from knowledge import suggestions
from routing import services as routing

from ..factories import make_person
from ..routing.conftest import (  # noqa: F401 - fixtures
    ask,
    billing_expert,
    outsider,
    second_billing_expert,
    social,
    trained_router,
)

NAME = "Jamal Hassan"
HANDLE = "@jamal_h"
EMAIL = "jamal.hassan@example.net"
PHONE = "+1 415 555 0134"
ORDER = "55120"
URL = "https://shop.example.com/orders/55120?user=jamal_h"
TEXT = (
    "I was charged twice for my refund, where is the money? Order #55120 never came.\n"
    f"Call me at {PHONE} or write to {EMAIL}, or see {URL}\n"
    "— Jamal H., @jamal_h"
)
ANSWER = (
    f"Hi Jamal, sorry about order {ORDER}! A double charge is reversed within 5 working days: "
    f"we sent the refund to your card. Write to {EMAIL} if it does not arrive, or call "
    f"{PHONE}."
)
# What identifies the customer, as it may be rendered (case-insensitive).
SECRETS = ("jamal", "hassan", "example.net", "555 0134", "5550134", ORDER, "shop.example.com")


@pytest.fixture(autouse=True)
def _fresh_index():
    suggestions.forget()
    yield
    suggestions.forget()


@pytest.fixture
def leader(finance):
    user = make_person("lena.lead", display_name="Lena Lead", department=finance).user
    Membership.objects.update_or_create(
        group=ensure_department_group(finance), user=user, defaults={"role": "leader"}
    )
    return user


@pytest.fixture
def answered(trained_router, social, billing_expert, finance):  # noqa: F811
    """Assigned to Bea in finance and answered by her."""
    q = ask(TEXT, customer_name=NAME, customer_handle=HANDLE, customer_email=EMAIL)
    q.refresh_from_db()
    if q.department_id != finance.pk:
        routing.route_to_department(actor=social, question=q, department=finance)
        q.refresh_from_db()
    if q.assigned_to_id != billing_expert.pk:
        routing.assign_question(actor=social, question=q, expert=billing_expert)
        q.refresh_from_db()
    routing.answer_question(actor=billing_expert, question=q, text=ANSWER)
    q.refresh_from_db()
    return q


def leaks(text: str) -> list[str]:
    import html

    text = html.unescape(text).casefold()
    return [s for s in SECRETS if s.casefold() in text]
