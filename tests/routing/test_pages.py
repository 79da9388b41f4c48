"""The question pages and API as the social team, experts and others use them: what each
may open, what each action does, and query counts that do not grow with the page."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routing import services
from routing.models import CustomerQuestion, Status

from ..conftest import client_for
from .conftest import ask

pytestmark = pytest.mark.django_db

REFUND = "I was charged twice, where is my refund for the invoice?"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_inbox_and_api_queries_do_not_grow_with_the_page(trained_router, social, billing_expert):
    client = client_for(social)
    for _ in range(2):
        ask(REFUND)
    ask("who won the football match yesterday")
    counts = {
        url: _queries(client, url)
        for url in (
            "/questions/?view=open",
            "/questions/?view=triage",
            "/api/v1/questions/?view=open",
        )
    }
    for _ in range(6):
        ask(REFUND)
        ask("tell me a joke")
    for url, count in counts.items():
        assert _queries(client, url) == count, url


def test_question_page_queries_are_fixed(trained_router, social, billing_expert):
    q = ask(REFUND)
    client = client_for(social)
    # The first page after a change also rebuilds knowledge's similarity index (a read of
    # its rows): the page's own count is the one after.
    _queries(client, q.get_absolute_url())
    before = _queries(client, q.get_absolute_url())
    services.add_note(actor=social, question=q, text="one")
    services.add_note(actor=billing_expert, question=q, text="two")
    services.tag_question(actor=social, question=q, tag="bug")
    services.answer_question(actor=billing_expert, question=q, text="Refunded.")
    _queries(client, q.get_absolute_url())
    assert _queries(client, q.get_absolute_url()) == before


def test_triage_shows_the_top_three_with_confidence(trained_router, social, finance):
    q = ask("who won the football match yesterday")
    assert q.status == Status.TRIAGED and q.department is None
    page = client_for(social).get("/questions/?view=triage").content.decode()
    assert "Best guesses" in page and "%" in page
    detail = client_for(social).get(q.get_absolute_url()).content.decode()
    assert "best guesses" in detail
    response = client_for(social).post(f"/questions/{q.pk}/route/", {"department": "finance"})
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.department == finance and q.routed_by == "person"


def test_the_social_team_adds_a_question_by_form(trained_router, social, billing_expert):
    client = client_for(social)
    assert client.get("/questions/new/").status_code == 200
    response = client.post(
        "/questions/new/",
        {"channel": "phone", "priority": "high", "text": REFUND, "customer_name": "Carla"},
    )
    q = CustomerQuestion.objects.get()
    assert response.url == q.get_absolute_url()
    assert (q.channel, q.priority, q.assigned_to) == ("phone", "high", billing_expert)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"channel": "phone", "priority": "normal", "text": ""}, "Paste the customer"),
        ({"channel": "pigeon", "priority": "normal", "text": "hi"}, "Select a valid choice"),
        ({"channel": "web", "priority": "normal", "text": "x" * 50_000}, "at most 10000"),
        (
            {"channel": "web", "priority": "normal", "text": "hi", "customer_email": "x"},
            "valid email",
        ),
    ],
)
def test_form_errors_are_shown_and_nothing_is_stored(social, data, message):
    response = client_for(social).post("/questions/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CustomerQuestion.objects.count() == 0


def test_only_the_social_team_opens_intake_pages(outsider, billing_expert):
    for user in (outsider, billing_expert):
        client = client_for(user)
        assert client.get("/questions/new/").status_code == 403
        assert client.get("/questions/import/").status_code == 403
        assert client.get("/questions/?view=triage").status_code == 403


def test_csv_import(trained_router, social, billing_expert):
    csv = (
        "channel,external_id,text,customer_name,priority,received_at\n"
        f'twitter,1,"{REFUND}",Carla,high,2026-03-02T09:00:00+00:00\n'
        "twitter,1,the same tweet again,Carla,,\n"
        'email,m-2,"Bonjour, ma facture est fausse 😡",Jean,,\n'
        "fax,3,hello,,,\n"
        "web,4,,,,\n"
        "web,5,hi,,,not a date\n"
    ).encode()
    upload = io.BytesIO(csv)
    upload.name = "questions.csv"
    response = client_for(social).post("/questions/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>2</strong> new questions" in page, page[page.find("result-title") :][:600]
    assert "<strong>1</strong> already received" in page
    assert "<strong>3</strong> refused" in page
    assert CustomerQuestion.objects.count() == 2


def test_csv_without_the_needed_columns_is_refused(social):
    upload = io.BytesIO(b"foo,bar\n1,2\n")
    upload.name = "x.csv"
    response = client_for(social).post("/questions/import/", {"file": upload})
    assert response.status_code == 400
    assert "channel and text" in response.content.decode()


def test_an_expert_answers_and_the_social_team_replies_on_the_page(
    trained_router, social, billing_expert
):
    q = ask(REFUND)
    expert = client_for(billing_expert)
    page = expert.get(q.get_absolute_url()).content.decode()
    assert "Your answer" in page
    expert.post(f"/questions/{q.pk}/answer/", {"text": "Refund sent today."})
    team = client_for(social)
    page = team.get(q.get_absolute_url()).content.decode()
    assert "Refund sent today." in page and "Post and record the reply" in page
    team.post(f"/questions/{q.pk}/reply/", {"text": "Sorry! Refund sent.", "url": ""})
    q.refresh_from_db()
    assert q.status == Status.REPLIED
    assert "Sorry! Refund sent." in team.get(q.get_absolute_url()).content.decode()


def test_actions_others_may_not_take_are_403_and_change_nothing(
    trained_router, outsider, billing_expert, second_billing_expert
):
    q = ask(REFUND)
    client = client_for(outsider)
    assert client.post(f"/questions/{q.pk}/answer/", {"text": "hi"}).status_code == 403
    assert client.post(f"/questions/{q.pk}/close/", {"spam": "1"}).status_code == 403
    assert client.post(f"/questions/{q.pk}/assign/", {"username": "otto.other"}).status_code == 403
    api = client_for(second_billing_expert)
    assert (
        api.post(
            f"/api/v1/questions/{q.pk}/decline/", {"reason": "no"}, content_type="application/json"
        ).status_code
        == 403
    )
    q.refresh_from_db()
    assert (q.status, q.assigned_to) == (Status.ASSIGNED, billing_expert)


def test_a_form_error_on_an_action_is_a_message_not_a_500(trained_router, billing_expert):
    q = ask(REFUND)
    response = client_for(billing_expert).post(
        f"/questions/{q.pk}/decline/", {"reason": ""}, follow=True
    )
    assert response.status_code == 200
    assert "Say why" in response.content.decode()


def test_unknown_question_is_404_everywhere(social):
    client = client_for(social)
    assert client.get("/questions/999/").status_code == 404
    assert client.get("/api/v1/questions/999/").status_code == 404
    assert client.post("/questions/999/answer/", {"text": "x"}).status_code == 404


def test_api_workflow(trained_router, social, billing_expert, engineering, employee):
    q = ask(REFUND)
    expert = client_for(billing_expert)
    r = expert.post(
        f"/api/v1/questions/{q.pk}/reroute/",
        {"department": "engineering", "reason": "Looks like a bug"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["department"]["slug"] == "engineering"
    assert r.json()["reroutes"][0]["reason"] == "Looks like a bug"
    assert r.json()["customer"] is None  # Bea is no longer assigned
    bad = expert.post(
        f"/api/v1/questions/{q.pk}/reroute/",
        {"department": "nope", "reason": "x"},
        content_type="application/json",
    )
    assert bad.status_code in (400, 403)
    team = client_for(social)
    r = team.post(
        f"/api/v1/questions/{q.pk}/assign/",
        {"expert": "ana.garcia"},
        content_type="application/json",
    )
    assert r.json()["assigned_to"]["username"] == "ana.garcia"
    ana = client_for(employee)
    r = ana.post(
        f"/api/v1/questions/{q.pk}/answer/", {"text": "Fixed."}, content_type="application/json"
    )
    assert r.json()["status"] == "answered"
    r = team.post(
        f"/api/v1/questions/{q.pk}/reply/", {"text": "Fixed!"}, content_type="application/json"
    )
    assert r.json()["status"] == "replied"
    assert r.json()["public_replies"][0]["text"] == "Fixed!"
    r = team.post(
        f"/api/v1/questions/{q.pk}/tags/", {"tag": "bug"}, content_type="application/json"
    )
    assert r.json() == {"tags": ["bug"]}
    r = team.post(
        f"/api/v1/questions/{q.pk}/tags/", {"tag": "nice"}, content_type="application/json"
    )
    assert r.status_code == 400 and "tag" in r.json()
    r = team.post(f"/api/v1/questions/{q.pk}/close/", {}, content_type="application/json")
    assert r.json()["status"] == "closed"
    r = team.post(
        f"/api/v1/questions/{q.pk}/answer/", {"text": "x" * 50_000}, content_type="application/json"
    )
    assert r.status_code == 400 and "text" in r.json()


def test_dashboard_for_the_social_team_and_leaders_only(
    trained_router, social, billing_expert, outsider, finance
):
    from groups.models import Group, Membership

    q = ask(REFUND)
    services.answer_question(actor=billing_expert, question=q, text="Done.")
    services.reroute_question(
        actor=social,
        question=ask(REFUND),
        department=finance.__class__.objects.create(name="Legal", slug="legal"),
        reason="Contract",
    )
    page = client_for(social).get("/questions/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Open questions per department" in html
    assert "Classifier accuracy over time" in html and "<polyline" in html or "<circle" in html
    data = client_for(social).get("/api/v1/questions/dashboard/").json()
    assert data["answered_count"] == 1 and data["rerouted"] == 1
    assert data["by_department"]["Finance"]["answered"] == 1
    assert data["by_department"]["Finance"]["sla_compliance"] == 1.0
    assert "Median time to first expert answer, per department" in html
    assert data["accuracy"][0]["trained"] is not None
    assert client_for(outsider).get("/questions/dashboard/").status_code == 403
    assert client_for(outsider).get("/api/v1/questions/dashboard/").status_code == 403
    Membership.objects.filter(
        group=Group.objects.get(department=finance), user=billing_expert
    ).update(role=Membership.Role.LEADER)
    assert client_for(billing_expert).get("/questions/dashboard/").status_code == 200


def test_the_inbox_pages_with_a_cursor_and_refuses_a_bad_one(trained_router, social):
    for n in range(27):
        ask(f"who won the match number {n}")
    client = client_for(social)
    first = client.get("/questions/?view=triage")
    assert first.context["next_cursor"]
    more = client.get(
        f"/questions/?view=triage&cursor={first.context['next_cursor']}", HTTP_HX_REQUEST="true"
    )
    assert more.status_code == 200
    assert len(first.context["questions"]) + len(more.context["questions"]) == 27
    assert "<html" not in more.content.decode()  # the htmx fragment only
    assert client.get("/questions/?view=triage&cursor=nonsense").status_code == 400
    api = client.get("/api/v1/questions/?view=triage&cursor=nonsense")
    assert api.status_code == 400 and "cursor" in api.json()
    assert client.get("/api/v1/questions/?view=everything").status_code == 400


def test_the_history_tells_what_happened_in_order(
    trained_router, social, billing_expert, second_billing_expert, engineering
):
    q = ask(REFUND)
    services.decline_question(actor=billing_expert, question=q, reason="On leave")
    services.reroute_question(
        actor=second_billing_expert, question=q, department=engineering, reason="A bug"
    )
    services.reroute_question(
        actor=social,
        question=q,
        department=second_billing_expert.profile.department,
        reason="Back to billing",
    )
    page = client_for(social).get(q.get_absolute_url()).content.decode()
    history = page[page.index('id="history-title"') :]
    steps = [
        "Received on X / Twitter",
        "The router chose Finance",
        "Assigned to Bea Billing by the router",
        "Bea Billing declined: “On leave”",
        "Assigned to Carl Cash by the router",
        "Rerouted from Finance to Engineering by Carl Cash: “A bug”",
        "Rerouted from Engineering to Finance by Sam Social: “Back to billing”",
        "Assigned to Carl Cash by the router",
    ]
    missing = [step for step in steps if step not in history]
    assert not missing, history[:1500]
    positions, start = [], 0
    for step in steps:  # each step after the previous one
        start = history.index(step, start) + 1
        positions.append(start)
    assert positions == sorted(positions)


def test_reroute_is_offered_only_where_the_status_machine_allows_it(trained_router, billing_expert):
    q = ask(REFUND)
    client = client_for(billing_expert)
    assert 'id="reroute-title"' in client.get(q.get_absolute_url()).content.decode()
    services.answer_question(actor=billing_expert, question=q, text="Refunded.")
    assert 'id="reroute-title"' not in client.get(q.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("view", "status"), [("open", 403), ("triage", 403), ("nope", 400), ("mine", 200)]
)
def test_the_inbox_rule_answers_the_same_on_every_surface(outsider, social, view, status):
    """One rule (selectors.inbox_view_for): the page, its htmx fragment and the API agree."""
    client = client_for(outsider)
    page = client.get(f"/questions/?view={view}")
    fragment = client.get(f"/questions/?view={view}", HTTP_HX_REQUEST="true")
    api = client.get(f"/api/v1/questions/?view={view}")
    assert (page.status_code, fragment.status_code, api.status_code) == (status,) * 3
    if status == 400:
        assert "Choose one of" in page.content.decode()
        assert api.json()["view"] == [
            "Choose one of: mine, open, triage, waiting, answered, closed."
        ]
    if status == 403:
        assert "Only the social media team sees this view." in page.content.decode()
        assert 'role="alert"' in fragment.content.decode()
        assert "<html" not in fragment.content.decode()
    # The social team opens every view; an unknown one is still a 400 naming the field.
    social_client = client_for(social)
    expected = 400 if view == "nope" else 200
    assert social_client.get(f"/questions/?view={view}").status_code == expected
    assert social_client.get(f"/api/v1/questions/?view={view}").status_code == expected
