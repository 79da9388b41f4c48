"""The inbox as a queue: nearest deadline first, filters and search, counts per tab, bulk
actions with a result per question, the assignment picker by name, the customer's whole
conversation, and a leader landing on the department queue that needs them.

Standing users: the social team (Sam), Finance's leader (Lena), Finance's experts (Bea, Carl)
and an employee who is neither (Otto)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from groups.models import Membership
from routing import services
from routing.models import CustomerQuestion, InsightTag, Status

from ..conftest import client_for
from ..factories import make_person
from .conftest import ALWAYS, ask

pytestmark = pytest.mark.django_db

INBOX = "/questions/"
BULK = "/questions/bulk/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _lead(user, department):
    from groups.services import ensure_department_group

    Membership.objects.update_or_create(
        group=ensure_department_group(department),
        user=user,
        defaults={"role": Membership.Role.LEADER},
    )
    return user


@pytest.fixture
def leader(finance):
    return _lead(
        make_person("lena.lead", display_name="Lena Lead", department=finance).user, finance
    )


def _due(question, hours: float):
    CustomerQuestion.objects.filter(pk=question.pk).update(
        sla_due_at=timezone.now() + dt.timedelta(hours=hours)
    )
    return question


def _ids(response) -> list[int]:
    return [q.pk for q in response.context["questions"]]


# --- Order, filters, search, counts ------------------------------------------------------


def test_the_inbox_puts_the_nearest_deadline_first_and_overdue_on_top(social):
    later = _due(ask("my invoice is wrong", customer_handle="@a"), 5)
    overdue = _due(ask("the app crashes", customer_handle="@b"), -2)
    soon = _due(ask("refund please", customer_handle="@c"), 1)
    no_clock = ask("thanks for the help", customer_handle="@d")
    CustomerQuestion.objects.filter(pk=no_clock.pk).update(status=Status.ANSWERED)
    response = client_for(social).get(INBOX + "?view=open")
    assert _ids(response) == [overdue.pk, soon.pk, later.pk, no_clock.pk]
    api = _api(social).get("/api/v1/questions/?view=open").json()
    assert [q["id"] for q in api["results"]] == [overdue.pk, soon.pk, later.pk, no_clock.pk]


def test_the_queue_order_survives_the_next_page(social, settings):
    made = [_due(ask(f"question {n}", customer_handle=f"@h{n}"), n - 10) for n in range(30)]
    client = client_for(social)
    first = client.get(INBOX + "?view=open")
    cursor = first.context["next_cursor"]
    assert cursor
    rest = client.get(INBOX + f"?view=open&cursor={cursor}", HTTP_HX_REQUEST="true")
    assert _ids(first) + _ids(rest) == [q.pk for q in made]


def test_filters_and_search_narrow_the_list_and_the_tab_counts(social, finance):
    web = ask("charged twice on my card", channel="web", customer_handle="@w", priority="high")
    tweet = ask("the app crashes on login", channel="twitter", customer_handle="@t")
    services.route_to_department(actor=social, question=tweet, department=finance)
    services.tag_question(actor=social, question=tweet, tag=InsightTag.Tag.BUG)
    client = client_for(social)
    cases = {
        "channel=web": [web.pk],
        "priority=high": [web.pk],
        "department=finance": [tweet.pk],
        "tag=bug": [tweet.pk],
        "q=crashes": [tweet.pk],
        "q=%40w": [web.pk],  # the customer's handle
        f"q=%23{web.pk}": [web.pk],  # the question number
    }
    for query, expected in cases.items():
        response = client.get(f"{INBOX}?view=open&{query}")
        assert _ids(response) == expected, query
        assert response.context["counts"]["open"] == len(expected), query
        assert f"&amp;{query}" in response.content.decode(), "tabs keep the filters"
        data = _api(social).get(f"/api/v1/questions/?view=open&{query}").json()
        assert [q["id"] for q in data["results"]] == expected, query


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("channel=fax", "channel"),
        ("priority=whenever", "priority"),
        ("status=lost", "status"),
        ("tag=nice", "tag"),
        ("department=atlantis", "department"),
        ("q=" + "x" * 300, "q"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(social, query, field):
    response = client_for(social).get(f"{INBOX}?view=open&{query}")
    assert response.status_code == 400
    assert field.capitalize() in response.content.decode()
    api = _api(social).get(f"/api/v1/questions/?view=open&{query}")
    assert api.status_code == 400 and field in api.json()


def test_an_expert_searches_only_their_own_questions(social, billing_expert, outsider):
    mine = ask("my invoice is wrong", customer_handle="@mine")
    services.assign_question(actor=social, question=mine, expert=billing_expert)
    ask("a question for someone else, invoice", customer_handle="@other")
    response = client_for(billing_expert).get(INBOX + "?view=mine&q=invoice")
    assert _ids(response) == [mine.pk]
    assert client_for(outsider).get(INBOX + "?view=open&q=invoice").status_code == 403


def test_the_filtered_inbox_costs_the_same_queries_at_any_size(social, finance):
    for n in range(3):
        ask(f"invoice {n}", customer_handle=f"@s{n}")
    client = client_for(social)
    url = INBOX + "?view=open&q=invoice&channel=twitter&priority=normal&tag=&status="
    assert len(client.get(url).context["questions"]) == 3
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(20):
        question = ask(f"invoice more {n}", customer_handle=f"@m{n}")
        services.tag_question(actor=social, question=question, tag="bug")
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large) == INBOX_QUERIES


# Session, user with its roles, own profile and the shell's notifications and policy banner
# (people.authentication.session_user, core.session_reads); the page of questions; their
# rankings' departments; their tags; the tab counts; the departments of the filter.
INBOX_QUERIES = 6


# --- Bulk actions ------------------------------------------------------------------------


def test_bulk_assign_reports_each_refused_question_and_does_the_others(
    social, billing_expert, finance
):
    first = ask("refund one", customer_handle="@one")
    closed = ask("refund two", customer_handle="@two")
    third = ask("refund three", customer_handle="@three")
    services.close_question(actor=social, question=closed)
    response = client_for(social).post(
        BULK,
        {
            "questions": [first.pk, closed.pk, third.pk, 999999],
            "action": "assign",
            "expert": "Bea Billing",  # a name, as the picker shows it
            "next": "/questions/?view=open&channel=twitter",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/questions/?view=open&channel=twitter"
    texts = [str(m) for m in response.context["messages"]]
    assert "2 questions given to Bea Billing." in texts
    assert any(t.startswith(f"Question {closed.pk} was not changed: ") for t in texts)
    assert "Question 999999 was not changed: No such question." in texts
    for q in (first, third):
        assert CustomerQuestion.objects.get(pk=q.pk).assigned_to == billing_expert
    assert CustomerQuestion.objects.get(pk=closed.pk).status == Status.CLOSED


def test_bulk_tag_and_close_as_spam(social):
    a, b = ask("spam spam", customer_handle="@x"), ask("more spam", customer_handle="@y")
    client = client_for(social)
    client.post(BULK, {"questions": [a.pk, b.pk], "action": "tag", "tag": "complaint"})
    assert set(InsightTag.objects.values_list("question_id", flat=True)) == {a.pk, b.pk}
    client.post(BULK, {"questions": [a.pk, b.pk], "action": "spam"})
    assert set(CustomerQuestion.objects.values_list("status", flat=True)) == {Status.SPAM}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "close"}, "Questions"),
        ({"questions": ["x"], "action": "close"}, "Questions"),
        ({"questions": ["1"], "action": "explode"}, "Action"),
        ({"questions": ["1"], "action": "assign", "expert": "nobody.here"}, "Expert"),
    ],
)
def test_bulk_refusals_name_the_field_and_change_nothing(social, body, field):
    question = ask("refund", customer_handle="@z")
    body = {k: (v if v != ["1"] else [question.pk]) for k, v in body.items()}
    response = client_for(social).post(BULK, body, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any(t.startswith(field) for t in texts), texts
    assert CustomerQuestion.objects.get(pk=question.pk).status == question.status


def test_only_the_social_team_acts_in_bulk(leader, billing_expert, outsider, social):
    question = ask("refund", customer_handle="@z")
    for user in (leader, billing_expert, outsider):
        assert (
            client_for(user).post(BULK, {"questions": [question.pk], "action": "spam"}).status_code
            == 403
        )
        api = _api(user).post(
            "/api/v1/questions/bulk/", {"questions": [question.pk], "action": "spam"}, format="json"
        )
        assert api.status_code == 403
    assert CustomerQuestion.objects.get(pk=question.pk).status != Status.SPAM


def test_the_bulk_api_answers_per_question(social, billing_expert):
    good = ask("refund", customer_handle="@g")
    done = ask("refund again", customer_handle="@d")
    services.close_question(actor=social, question=done)
    response = _api(social).post(
        "/api/v1/questions/bulk/",
        {"questions": [good.pk, done.pk], "action": "assign", "expert": "bea.billing"},
        format="json",
    )
    assert response.status_code == 200
    results = {r["id"]: r for r in response.json()["results"]}
    assert results[good.pk] == {
        "id": good.pk,
        "done": True,
        "status": 200,
        "field": "",
        "message": "",
    }
    assert results[done.pk]["done"] is False and results[done.pk]["status"] == 409
    assert results[done.pk]["field"] == "status"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"questions": [], "action": "close"}, "questions"),
        ({"questions": list(range(1, 102)), "action": "close"}, "questions"),
        ({"questions": ["a"], "action": "close"}, "questions"),
        ({"questions": [1], "action": "nope"}, "action"),
        ({"questions": [1], "action": "tag", "tag": "nice"}, "tag"),
        ({"questions": [1], "action": "tag"}, "tag"),
        ({"questions": [1], "action": "assign"}, "expert"),
        ({"questions": [1], "action": "close", "extra": 1}, "extra"),
    ],
)
def test_the_bulk_api_names_the_bad_field(social, body, field):
    response = _api(social).post("/api/v1/questions/bulk/", body, format="json")
    assert response.status_code == 400 and field in response.json()


def _bulk_queries(client, ids) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.post(BULK, {"questions": ids, "action": "tag", "tag": "bug"})
    return len(ctx.captured_queries)


def test_a_bulk_action_costs_a_fixed_number_of_queries_per_question(social):
    questions = [ask(f"refund {n}", customer_handle=f"@q{n}") for n in range(6)]
    client = client_for(social)
    two = _bulk_queries(client, [q.pk for q in questions[:2]])
    four = _bulk_queries(client, [q.pk for q in questions[2:6]])
    assert (two, four) == (BULK_BASE + 2 * BULK_PER_TAG, BULK_BASE + 4 * BULK_PER_TAG)


# Session, user with its roles (people.authentication.session_user), loading the questions;
# then per question the tag service (the social-team check, savepoint, look-up, insert,
# savepoint release, the tags read back...).
BULK_BASE = 3
BULK_PER_TAG = 7


# --- The assignment picker -----------------------------------------------------------------


def test_the_picker_finds_people_by_name_with_load_and_availability(
    social, billing_expert, second_billing_expert, finance
):
    away = make_person("bea.away", display_name="Bea Away", department=finance, **ALWAYS)
    away.out_of_office_until = timezone.localdate() + dt.timedelta(days=3)
    away.save()
    services.assign_question(actor=social, question=ask("refund"), expert=billing_expert)
    response = client_for(social).get("/questions/experts/?q=bea")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="option"' in html and 'data-value="bea.billing"' in html
    assert "Bea Billing" in html and "1 / " in html and "At work" in html
    assert "Bea Away" in html and "Out of office" in html
    assert html.index("Bea Billing") < html.index("Bea Away"), "at work first"
    assert "Carl Cash" not in html
    by_surname = client_for(social).get("/questions/experts/?q=cash").content.decode()
    assert "Carl Cash" in by_surname


def test_the_picker_costs_two_queries_beyond_the_session(social, finance):
    for n in range(8):
        make_person(f"bob{n}", display_name=f"Bob {n}", department=finance)
    client = client_for(social)
    client.get("/questions/experts/?q=bob")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/questions/experts/?q=bob")
    # Session, user with its roles; the people; their loads.
    assert len(ctx) == 4


def test_a_leader_picks_only_in_a_department_they_lead(leader, billing_expert, engineering):
    make_person("eve.eng", display_name="Bea Engineer", department=engineering)
    client = client_for(leader)
    html = client.get("/questions/experts/?q=bea&department=finance").content.decode()
    assert "Bea Billing" in html and "Bea Engineer" not in html
    assert client.get("/questions/experts/?q=bea&department=engineering").status_code == 400
    assert client.get("/questions/experts/?q=bea").status_code == 400


def test_people_who_assign_nothing_get_no_picker(outsider, billing_expert):
    assert client_for(outsider).get("/questions/experts/?q=bea").status_code == 403
    assert client_for(billing_expert).get("/questions/experts/?q=bea").status_code == 403


def test_the_question_page_assigns_by_name(social, billing_expert):
    question = ask("refund")
    page = client_for(social).get(question.get_absolute_url()).content.decode()
    assert 'role="combobox"' in page and 'data-picker="/questions/experts/"' in page
    client_for(social).post(f"/questions/{question.pk}/assign/", {"username": "Bea Billing"})
    assert CustomerQuestion.objects.get(pk=question.pk).assigned_to == billing_expert


# --- The customer's whole conversation ----------------------------------------------------


def test_the_question_page_shows_the_customers_other_messages_on_the_channel(
    social, billing_expert, outsider
):
    first = ask("hello, my card was charged twice", customer_handle="@carla_c")
    second = ask("still waiting for my refund!", customer_handle="@carla_c")
    ask("someone else entirely", customer_handle="@zed")
    ask("same handle, other channel", customer_handle="@carla_c", channel="email")
    page = client_for(social).get(second.get_absolute_url()).content.decode()
    assert "The whole conversation" in page and "(2 messages on X / Twitter)" in page
    assert "my card was charged twice" in page and f"/questions/{first.pk}/" in page
    assert "someone else entirely" not in page and "same handle, other channel" not in page
    # Which questions share a customer is personal data: not for those who may not see them.
    other = client_for(outsider).get(second.get_absolute_url()).content.decode()
    assert "The whole conversation" not in other and "charged twice" not in other
    services.assign_question(actor=social, question=second, expert=billing_expert)
    mine = client_for(billing_expert).get(second.get_absolute_url()).content.decode()
    assert "The whole conversation" in mine


def test_actions_come_before_the_history_in_the_page_for_phones(social):
    page = client_for(social).get(ask("refund").get_absolute_url()).content.decode()
    assert 'class="layout q-page"' in page and 'class="stack q-actions"' in page
    assert "q-first" in page


# --- A leader lands where the work is -----------------------------------------------------


def test_a_leader_with_nothing_assigned_lands_on_the_queue_that_needs_them(
    leader, social, finance, billing_expert
):
    client = client_for(leader)
    empty = client.get(INBOX)
    assert empty.status_code == 200, "an empty queue: the inbox as usual"
    late = ask("refund please")
    services.route_to_department(actor=social, question=late, department=finance)
    CustomerQuestion.objects.filter(pk=late.pk).update(status=Status.ESCALATED, assigned_to=None)
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"] == "/questions/queue/?department=finance"
    page = client.get(response["Location"]).content.decode()
    assert 'Department queue <span class="count count-hot">1</span>' in page
    assert "(1 overdue or escalated)" in page
    # My questions stay one click away, and a question of mine keeps me in the inbox.
    assert client.get(INBOX + "?view=mine").status_code == 200
    mine = ask("another refund")
    services.assign_question(actor=social, question=mine, expert=leader)
    assert client.get(INBOX).status_code == 200


def test_experts_and_the_social_team_open_the_inbox_as_before(social, billing_expert, finance):
    q = ask("refund")
    services.route_to_department(actor=social, question=q, department=finance)
    assert client_for(social).get(INBOX).status_code == 200
    assert client_for(billing_expert).get(INBOX).status_code == 200
