"""The department queue: a leader sees their department's open questions, most urgent
first, with the experts' loads, and gives a question to another expert of the department.
Standing users: the leader of Finance, its experts Bea and Carl, the social team, an
outsider, and the leader of another department."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import ApplicationError
from groups.models import Membership
from notifications.models import Notification
from routing import services
from routing.models import Assignment, CustomerQuestion, Status

from ..conftest import client_for
from ..factories import make_person
from .conftest import ALWAYS, NEVER, ask

pytestmark = pytest.mark.django_db

REFUND = "I was charged twice, where is my refund for the invoice?"
QUEUE = "/questions/queue/"
# Session, user with their roles, own profile and the shell's unread notifications and
# policy banner (people.authentication.session_user, core.session_reads); the departments
# they may open (the leader check); the page of questions; the header's figures; the
# experts; their loads; the tab counts. Leader or social team.
QUEUE_QUERIES = 8


def _lead(user, department, role=Membership.Role.LEADER):
    from groups.services import ensure_department_group

    Membership.objects.update_or_create(
        group=ensure_department_group(department), user=user, defaults={"role": role}
    )
    return user


@pytest.fixture
def leader(finance):
    """Lena leads Finance's group; she is no expert of any question (NEVER at work)."""
    lena = make_person("lena.lead", display_name="Lena Lead", department=finance, **NEVER)
    return _lead(lena.user, finance)


@pytest.fixture
def other_leader(engineering):
    user = make_person("eric.eng", display_name="Eric Eng", department=engineering).user
    return _lead(user, engineering, Membership.Role.OWNER)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- Who opens it -----------------------------------------------------------------------


def test_leaders_and_the_social_team_see_the_tab(trained_router, leader, social, outsider):
    assert "Department queue" in client_for(leader).get("/questions/").content.decode()
    assert "Department queue" in client_for(social).get("/questions/").content.decode()
    assert "Department queue" not in client_for(outsider).get("/questions/").content.decode()


def test_people_who_lead_nothing_get_403(trained_router, billing_expert, outsider):
    for user in (billing_expert, outsider):
        assert client_for(user).get(QUEUE).status_code == 403


def test_a_leader_opens_only_the_departments_they_lead(trained_router, leader, other_leader):
    page = client_for(leader).get(QUEUE)
    assert page.status_code == 200
    assert "Department queue · Finance" in page.content.decode()
    assert 'id="queue-department"' not in page.content.decode()  # one department: no picker
    assert client_for(leader).get(f"{QUEUE}?department=engineering").status_code == 404
    assert client_for(other_leader).get(f"{QUEUE}?department=finance").status_code == 404
    assert client_for(leader).get(f"{QUEUE}?department=nowhere").status_code == 404


def test_the_social_team_and_leaders_of_several_departments_pick_one(
    trained_router, social, leader, engineering, finance
):
    page = client_for(social).get(f"{QUEUE}?department=engineering").content.decode()
    assert 'id="queue-department"' in page and "Department queue · Engineering" in page
    _lead(leader, engineering)
    page = client_for(leader).get(QUEUE).content.decode()
    assert 'id="queue-department"' in page
    assert "Department queue · Engineering" in page  # the first by name


# --- What it shows ----------------------------------------------------------------------


def test_open_questions_most_urgent_first(trained_router, leader, billing_expert, social):
    now = dt.datetime.now(dt.UTC)
    old_normal = ask(REFUND, received_at=now - dt.timedelta(hours=3))
    new_urgent = ask(REFUND, priority="urgent")
    new_normal = ask(REFUND)
    old_low = ask(REFUND, priority="low", received_at=now - dt.timedelta(hours=5))
    escalated = ask(REFUND, priority="low")
    CustomerQuestion.objects.filter(pk=escalated.pk).update(status=Status.ESCALATED)
    closed = ask(REFUND, priority="urgent")
    services.close_question(actor=social, question=closed)
    triage = ask("who won the football match yesterday")
    response = client_for(leader).get(QUEUE)
    listed = [q.pk for q in response.context["questions"]]
    # Escalated first, then by priority, then the oldest; nothing closed or in triage.
    assert listed == [escalated.pk, new_urgent.pk, old_normal.pk, new_normal.pk, old_low.pk]
    assert closed.pk not in listed and triage.pk not in listed
    html = response.content.decode()
    assert "Bea Billing" in html and "charged twice" in html
    assert html.count('class="q-timer') >= 4  # the SLA timer on every row


def test_overdue_questions_come_first_and_are_counted(trained_router, leader, billing_expert):
    fresh = ask(REFUND, priority="urgent")
    late = ask(REFUND, priority="low")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    CustomerQuestion.objects.filter(pk=late.pk).update(sla_due_at=past)
    response = client_for(leader).get(QUEUE)
    assert [q.pk for q in response.context["questions"]] == [late.pk, fresh.pk]
    assert response.context["figures"]["overdue"] == 1
    assert "overdue by" in response.content.decode()


def test_the_header_counts_and_the_experts_loads(
    trained_router, leader, billing_expert, second_billing_expert, finance, settings
):
    settings.ROUTING_EXPERT_CAPACITY = 2
    make_person(
        "olga.away",
        display_name="Olga Away",
        department=finance,
        out_of_office_until=dt.date.today() + dt.timedelta(days=3),
        **ALWAYS,
    )
    make_person("nick.night", display_name="Nick Night", department=finance, working_days="")
    for _ in range(5):  # Bea 2 (full), Carl 2 (full), one waits
        ask("my bill is wrong, charged twice")
    response = client_for(leader).get(QUEUE)
    figures = response.context["figures"]
    assert (figures["open"], figures["waiting"], figures["overdue"]) == (5, 1, 0)
    experts = {e.name: e for e in response.context["experts"]}
    assert (experts["Bea Billing"].load, experts["Bea Billing"].full) == (2, True)
    assert experts["Carl Cash"].load == 2
    assert experts["Olga Away"].state == "out of office"
    assert experts["Nick Night"].state == "off hours"
    assert experts["Lena Lead"].state == "off hours"
    html = response.content.decode()
    assert "Out of office" in html and "Off hours" in html and "At work" in html
    assert "2 / 2" in html and "Waiting for an expert" in html


def test_the_page_costs_a_fixed_number_of_queries(
    trained_router, leader, social, billing_expert, second_billing_expert
):
    ask(REFUND)
    ask("who won the football match yesterday")
    for client in (client_for(leader), client_for(social)):
        assert _queries(client, QUEUE + "?department=finance") == QUEUE_QUERIES
    for _ in range(8):
        ask(REFUND, priority="high")
    make_person("dora.dept", department=leader.profile.department, **ALWAYS)
    for client in (client_for(leader), client_for(social)):
        assert _queries(client, QUEUE + "?department=finance") == QUEUE_QUERIES


def test_the_queue_pages_with_a_cursor(trained_router, leader, billing_expert):
    for n in range(27):
        ask(f"{REFUND} #{n}", priority=("urgent", "low")[n % 2])
    client = client_for(leader)
    first = client.get(QUEUE)
    assert first.context["next_cursor"]
    more = client.get(f"{QUEUE}?cursor={first.context['next_cursor']}", HTTP_HX_REQUEST="true")
    assert more.status_code == 200 and "<html" not in more.content.decode()
    pks = [q.pk for q in first.context["questions"]] + [q.pk for q in more.context["questions"]]
    assert len(pks) == len(set(pks)) == 27
    ranks = [q.rank for q in first.context["questions"]] + [
        q.rank for q in more.context["questions"]
    ]
    assert ranks == sorted(ranks)
    assert client.get(f"{QUEUE}?cursor=nonsense").status_code == 400


# --- Reassigning ------------------------------------------------------------------------


def test_a_leader_reassigns_within_the_department(
    trained_router, leader, billing_expert, second_billing_expert
):
    q = ask(REFUND)
    assert q.assigned_to == billing_expert
    response = client_for(leader).post(
        f"/questions/queue/{q.pk}/assign/", {"expert": "carl.cash"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{QUEUE}?department=finance"
    assert "is now with Carl Cash" in response.content.decode()
    q.refresh_from_db()
    assert (q.assigned_to, q.status) == (second_billing_expert, Status.ASSIGNED)
    current = Assignment.objects.get(question=q, ended_at__isnull=True)
    assert (current.expert, current.assigned_by) == (second_billing_expert, leader)
    assert Notification.objects.filter(
        recipient=second_billing_expert, kind="question_assigned", actor=leader
    ).exists()


def test_a_leader_assigns_a_waiting_question_even_over_capacity(
    trained_router, leader, billing_expert, settings
):
    settings.ROUTING_EXPERT_CAPACITY = 1
    ask(REFUND)
    waiting = ask(REFUND)
    assert waiting.assigned_to is None
    services.assign_question(actor=leader, question=waiting, expert=billing_expert)
    waiting.refresh_from_db()
    assert waiting.assigned_to == billing_expert


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("eric.eng", 400, "not an expert of Finance"),
        ("gone.person", 400, "has left the company"),
        ("nobody.here", 400, "Choose someone from the list"),
        ("", 400, "Choose an expert"),
    ],
)
def test_refusals_name_the_field_and_change_nothing(
    trained_router, leader, other_leader, billing_expert, finance, who, status, message
):
    gone = make_person("gone.person", department=finance).user
    gone.is_active = False
    gone.save()
    q = ask(REFUND)
    response = client_for(leader).post(f"/questions/queue/{q.pk}/assign/", {"expert": who})
    assert response.status_code == status
    html = response.content.decode()
    assert message in html and "Expert:" in html
    q.refresh_from_db()
    assert q.assigned_to == billing_expert
    assert Assignment.objects.filter(question=q).count() == 1


def test_a_closed_question_is_refused_with_409(trained_router, leader, social, billing_expert):
    q = ask(REFUND)
    services.close_question(actor=social, question=q)
    response = client_for(leader).post(
        f"/questions/queue/{q.pk}/assign/", {"expert": "bea.billing"}
    )
    assert response.status_code == 409
    assert "This question is closed" in response.content.decode()


def test_only_leaders_of_the_questions_department_reassign(
    trained_router, other_leader, billing_expert, second_billing_expert, outsider
):
    q = ask(REFUND)
    for user in (other_leader, billing_expert, outsider):
        response = client_for(user).post(
            f"/questions/queue/{q.pk}/assign/", {"expert": "carl.cash"}
        )
        assert response.status_code == 403
        with pytest.raises(ApplicationError) as refused:
            services.assign_question(actor=user, question=q, expert=second_billing_expert)
        assert refused.value.status == 403
    q.refresh_from_db()
    assert q.assigned_to == billing_expert


def test_the_social_team_keeps_its_wider_rights(trained_router, social, billing_expert, employee):
    q = ask(REFUND)
    response = client_for(social).post(f"/questions/queue/{q.pk}/assign/", {"expert": "ana.garcia"})
    assert response.status_code == 302  # Ana is in Engineering: the social team may
    q.refresh_from_db()
    assert q.assigned_to == employee


def test_the_api_applies_the_same_rules_to_leaders(
    trained_router, leader, billing_expert, second_billing_expert, employee
):
    q = ask(REFUND)
    api = client_for(leader)
    url = f"/api/v1/questions/{q.pk}/assign/"
    wrong = api.post(url, {"expert": "ana.garcia"}, content_type="application/json")
    assert wrong.status_code == 400 and "expert" in wrong.json()
    right = api.post(url, {"expert": "carl.cash"}, content_type="application/json")
    assert right.status_code == 200 and right.json()["assigned_to"]["username"] == "carl.cash"
    assert right.json()["customer"] is None  # a leader still does not see the customer


# --- The personal-data rule -------------------------------------------------------------

SECRETS = ("Zebulon Quixote-Marsh", "@zq_marsh_77", "zebulon.qm@example.net")


def test_the_leader_never_sees_the_customer_the_social_team_does(
    trained_router, leader, social, billing_expert, second_billing_expert
):
    q = ask(REFUND, customer_name=SECRETS[0], customer_handle=SECRETS[1], customer_email=SECRETS[2])
    lead = client_for(leader)
    page = lead.get(QUEUE).content.decode()
    assert "charged twice" in page
    assert not any(s in page for s in SECRETS)
    after = lead.post(f"/questions/queue/{q.pk}/assign/", {"expert": "carl.cash"}, follow=True)
    page = after.content.decode()
    assert "is now with Carl Cash" in page and "charged twice" in page
    assert not any(s in page for s in SECRETS)
    team = client_for(social).get(f"{QUEUE}?department=finance").content.decode()
    assert all(s in team for s in SECRETS)
    # The assigned expert who leads the department sees their own question's customer.
    _lead(second_billing_expert, leader.profile.department)
    carl = client_for(second_billing_expert).get(QUEUE).content.decode()
    assert all(s in carl for s in SECRETS)
