"""Leak class 9 (../shared/SECURITY.md): personal data in fields not called "customer".

One question carries the customer in every input field it has: the customer's name, handle
and email; the original post's link (`x.com/<handle>/status/...`) and external id; the text
itself (a phone number, an email, the link, an order number, a signature line
"— Jamal H., @jamal_h"); the expert's answer, the internal note, the reroute and decline
reasons, the public reply and its link, all written about the customer. Every field of every
question serializer (list, insights, detail and its nested entries) and every page that shows
the question is walked for each role; the planted data appears only for the social team and
the assigned expert (and superusers, who hold every role).

FIELDS is the rule, field by field. A field added to a serializer without a rule here fails
`test_every_field_has_a_rule`: decide who may see it first.
"""

import html
import re

import pytest
from django.contrib.auth.models import Group as Role

from groups.models import Membership
from routing import services
from routing.redaction import redact

from ..conftest import client_for
from ..factories import make_person
from .conftest import ask

pytestmark = pytest.mark.django_db

NAME = "Jamal Hassan"
HANDLE = "@jamal_h"
EMAIL = "jamal.hassan@example.net"
URL = "https://x.com/jamal_h/status/1790000000003"
EXTERNAL_ID = "1790000000003"
PHONE = "+1 415 555 0134"
ORDER = "55120"
TEXT = (
    "I was charged twice, where is my refund for the invoice? My order #55120 never came.\n"
    f"Call me at {PHONE} or write to {EMAIL}, or see {URL}\n"
    "Jamal is tired of waiting.\n"
    "— Jamal H., @jamal_h"
)
REPLY_URL = "https://x.com/brand/status/1790000000099"
# What identifies the customer, as it may be rendered (case-insensitive; digits also
# without their separators).
SECRETS = ("jamal", "hassan", "example.net", "555 0134", "5550134", ORDER, EXTERNAL_ID,
           "1790000000099")  # fmt: skip
# What everyone who may read the question reads (the surface was really walked).
WORDS = "charged twice"

# Who may see each field of the question serializers:
#   everyone  - every active employee who may read the question
#   customer  - the social team and the assigned expert; null for everyone else
#   redacted  - everyone, but without the customer for those who may not see it
#   workers   - those who may work on it (social team, assignee, department, admins), redacted
FIELDS = {
    "question": {
        "id": "everyone",
        "channel": "everyone",
        "external_id": "customer",
        "external_url": "customer",
        "text": "redacted",
        "received_at": "everyone",
        "priority": "everyone",
        "status": "everyone",
        "department": "everyone",
        "ranking": "everyone",
        "confidence": "everyone",
        "routed_by": "everyone",
        "assigned_to": "everyone",
        "sla_due_at": "everyone",
        "first_answer_at": "everyone",
        "customer": "customer",
        "url": "everyone",
    },
    "detail": {
        "answers": "redacted",
        "notes": "workers",
        "public_replies": "redacted",
        "reroutes": "redacted",
        "tags": "everyone",
    },
    "answers": {"author": "everyone", "text": "redacted", "created_at": "everyone"},
    "notes": {"author": "everyone", "text": "redacted", "created_at": "everyone"},
    "public_replies": {
        "author": "everyone",
        "text": "redacted",
        "url": "customer",
        "posted_at": "everyone",
    },
    "reroutes": {
        "from_department": "everyone",
        "to_department": "everyone",
        "by": "everyone",
        "reason": "redacted",
        "created_at": "everyone",
    },
}


def _strings(value, path="") -> list[tuple[str, str]]:
    """Every string in a JSON value with where it is."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{path}[{i}]")]
    return [(path, value)] if isinstance(value, str) else []


def _leaks(text: str) -> list[str]:
    text = html.unescape(text).casefold()
    return [s for s in SECRETS if s.casefold() in text]


@pytest.fixture
def leader(finance):
    from groups.services import ensure_department_group

    user = make_person("lena.lead", display_name="Lena Lead", department=finance).user
    Membership.objects.update_or_create(
        group=ensure_department_group(finance), user=user, defaults={"role": "leader"}
    )
    return user


@pytest.fixture
def app_admin(db):
    """An admin of the app (the admin role), not a superuser."""
    user = make_person("ada.admin", display_name="Ada Admin").user
    user.groups.add(Role.objects.get_or_create(name="admin")[0])
    return user


@pytest.fixture
def question(trained_router, social, billing_expert, second_billing_expert, engineering, finance):
    """Through every step that takes free text: two reroutes, a decline, a note, an answer,
    a tag. It ends assigned to Bea, answered (still open: in the department's queue)."""
    q = ask(
        TEXT,
        customer_name=NAME,
        customer_handle=HANDLE,
        customer_email=EMAIL,
        external_url=URL,
        external_id=EXTERNAL_ID,
    )
    about = f"{NAME} ({HANDLE}, {PHONE}) asks about order {ORDER}"
    services.reroute_question(actor=social, question=q, department=engineering, reason=about)
    services.reroute_question(actor=social, question=q, department=finance, reason=about)
    q.refresh_from_db()
    if q.assigned_to != second_billing_expert:
        services.assign_question(actor=social, question=q, expert=second_billing_expert)
    services.decline_question(actor=second_billing_expert, question=q, reason=about)
    q.refresh_from_db()
    assert q.assigned_to == billing_expert
    services.add_note(actor=billing_expert, question=q, text=f"{about}; mail {EMAIL}")
    services.answer_question(
        actor=billing_expert, question=q, text=f"Hi Jamal, the refund for order {ORDER} is out."
    )
    services.tag_question(actor=social, question=q, tag="complaint")
    q.refresh_from_db()
    return q


@pytest.fixture
def roles(social, billing_expert, second_billing_expert, leader, outsider, app_admin, admin_user):
    gone = make_person("dora.done", display_name="Dora Done").user
    gone.groups.add(Role.objects.get_or_create(name="social team")[0])
    clients = {}
    for name, user in {
        "social team": social,
        "assigned expert": billing_expert,
        "other expert of the department": second_billing_expert,
        "department leader": leader,
        "plain employee": outsider,
        "admin": app_admin,
        "superuser": admin_user,
        "deactivated": gone,
    }.items():
        clients[name] = client_for(user)  # signed in before the deactivation
    gone.is_active = False
    gone.save()
    return clients


ALLOWED = {"social team", "assigned expert", "superuser"}
WORKERS = ALLOWED | {"other expert of the department", "department leader", "admin"}
ROLES = ["social team", "assigned expert", "other expert of the department",
         "department leader", "plain employee", "admin", "superuser", "deactivated"]  # fmt: skip


def _pages(question) -> list[str]:
    return [
        question.get_absolute_url(),
        "/questions/?view=mine",  # a bare /questions/ may send a leader to the queue below
        "/questions/?view=open",
        "/questions/insights/",
        "/questions/insights/?department=finance",
        "/questions/queue/?department=finance",
    ]


def _apis(question) -> list[str]:
    return [
        f"/api/v1/questions/{question.pk}/",
        "/api/v1/questions/",
        "/api/v1/questions/?view=mine",
        "/api/v1/questions/?view=open",
        "/api/v1/questions/insights/",
        "/api/v1/questions/insights/?department=finance",
    ]


def _check_question(data: dict, question, allowed: bool, where: str) -> None:
    """One serialized question, field by field, against FIELDS."""
    assert set(data) >= set(FIELDS["question"]), where
    if allowed:
        assert data["customer"] == {"name": NAME, "handle": HANDLE, "email": EMAIL}, where
        assert data["external_url"] == URL and data["external_id"] == EXTERNAL_ID, where
        assert data["text"] == TEXT, where
    else:
        for field, rule in FIELDS["question"].items():
            if rule == "customer":
                assert data[field] is None, (where, field)
        assert data["text"] == redact(TEXT, (NAME, HANDLE, EMAIL)), where
        assert WORDS in data["text"]
        leaks = [(p, s) for p, s in _strings(data) if _leaks(s)]
        assert not leaks, (where, leaks)


def _check_detail(data: dict, allowed: bool, working: bool, where: str) -> None:
    _check_question(data, None, allowed, where)
    for nested in ("answers", "public_replies", "reroutes", "notes"):
        for entry in data[nested]:
            assert set(entry) == set(FIELDS[nested]), (where, nested)
    assert (len(data["notes"]) == 1) is working, where
    assert len(data["answers"]) == 1 and len(data["reroutes"]) == 2, where
    if allowed:
        assert "Jamal" in data["answers"][0]["text"] and ORDER in data["answers"][0]["text"]
        assert PHONE in data["reroutes"][0]["reason"] and EMAIL in data["notes"][0]["text"]
        for reply in data["public_replies"]:
            assert reply["url"] == REPLY_URL and HANDLE in reply["text"]
    else:
        assert "the refund for order" in data["answers"][0]["text"]
        for reply in data["public_replies"]:
            assert reply["url"] is None


def _walk(roles, question, *, replied: bool = False) -> None:
    for role in ROLES:
        client = roles[role]
        allowed = role in ALLOWED
        for url in _pages(question):
            response = client.get(url)
            content = response.content.decode()
            if role == "deactivated":
                assert response.status_code in (302, 401, 403, 404), url
                assert not _leaks(content) and WORDS not in content, url
                continue
            if response.status_code in (403, 404):  # a view this role may not open
                assert not _leaks(content), (role, url)
                continue
            assert response.status_code == 200, (role, url)
            leaks = _leaks(content)
            if allowed:
                if url == question.get_absolute_url():
                    assert NAME in content and URL in content, (role, url)
                    assert "see the original" in content
            else:
                assert not leaks, (role, url, leaks)
                assert "see the original" not in content, (role, url)
        for url in _apis(question):
            response = client.get(url)
            if role == "deactivated":
                assert response.status_code in (401, 403), url
                assert not _leaks(response.content.decode()), url
                continue
            if response.status_code == 403:  # the social team's views
                continue
            assert response.status_code == 200, (role, url, response.content[:300])
            data = response.json()
            if url.endswith(f"/{question.pk}/"):
                _check_detail(data, allowed, role in WORKERS, f"{role} {url}")
                continue
            mine = [q for q in data["results"] if q["id"] == question.pk]
            for item in mine:
                _check_question(item, question, allowed, f"{role} {url}")
            if not allowed:
                assert not [s for _, s in _strings(data) if _leaks(s)], (role, url)
    # The walk saw the question where each role should see it.
    assert WORDS in roles["plain employee"].get(question.get_absolute_url()).content.decode()
    insights = roles["plain employee"].get("/api/v1/questions/insights/").json()["results"]
    assert [q["id"] for q in insights] == [question.pk]
    queue = roles["department leader"].get("/questions/queue/?department=finance")
    assert (WORDS in queue.content.decode()) is not replied


def test_every_field_has_a_rule(question, roles):
    detail = roles["social team"].get(f"/api/v1/questions/{question.pk}/").json()
    assert set(detail) == set(FIELDS["question"]) | set(FIELDS["detail"])
    listed = roles["social team"].get("/api/v1/questions/insights/").json()["results"][0]
    assert set(listed) == set(FIELDS["question"])


def test_each_role_sees_the_customer_only_where_allowed(question, roles, social):
    _walk(roles, question)
    services.record_public_reply(
        actor=social,
        question=question,
        text=f"{HANDLE} sorry {NAME}, the refund for order {ORDER} is on its way",
        url=REPLY_URL,
    )
    question.refresh_from_db()
    _walk(roles, question, replied=True)


def test_the_redacted_text_keeps_the_question_readable():
    shown = redact(TEXT, (NAME, HANDLE, EMAIL))
    assert shown.splitlines() == [
        "I was charged twice, where is my refund for the invoice? My order #[number] never came.",
        "Call me at [number] or write to [email], or see [link]",
        "[customer] is tired of waiting.",
        "[signature]",
    ]
    assert not _leaks(shown)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks,\nJamal H.",
        "see www.x.com/jamal_h please",
        "my account no. AB-1790000000003",
        "ping @jamal_h or @Jamal.Hassan",
        "Sent from my iPhone\nJamal",
        "help\n-- \nJamal Hassan\nHead of Things\n+44 20 7946 0958",
        "call (415) 555-0134",
        "mail JAMAL.HASSAN@EXAMPLE.NET",
    ],
)
def test_the_redaction_catches_the_usual_places(text):
    assert not _leaks(redact(text, (NAME, HANDLE, EMAIL))), redact(text, (NAME, HANDLE, EMAIL))


def test_lists_of_a_long_text_never_show_the_customer(trained_router, social, outsider):
    """The lists cut the text: a cut must not leave half a handle behind."""
    q = ask("refund please " * 20 + "\n— Jamal H., @jamal_h", customer_name=NAME)
    services.tag_question(actor=social, question=q, tag="complaint")
    page = client_for(outsider).get("/questions/insights/").content.decode()
    assert "refund please" in page and not _leaks(page)


def test_the_demo_data_shows_no_handle_to_a_plain_employee(outsider):
    """The repro of issue 12, part 3, on the demo data."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    client = client_for(outsider)
    handles = {h.lstrip("@") for h in _demo_handles()}
    pattern = re.compile("|".join(re.escape(h) for h in handles), re.IGNORECASE)
    first = client.get("/api/v1/questions/insights/").json()
    assert first["results"]
    assert not pattern.search(str(first))
    from routing.models import CustomerQuestion

    for pk in CustomerQuestion.objects.values_list("pk", flat=True):
        data = client.get(f"/api/v1/questions/{pk}/").json()
        assert data["customer"] is None and data["external_url"] is None
        assert not pattern.search(str(data)), data
        page = client.get(f"/questions/{pk}/").content.decode()
        assert not pattern.search(page) and "see the original" not in page


def _demo_handles():
    from demo.routing import CUSTOMERS

    return [handle for _, handle in CUSTOMERS]
