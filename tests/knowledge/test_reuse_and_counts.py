"""Reuse (similar entries and answered questions on the question page, the count on the
entry), the profile's and the topic page's sections, and the query counts pinned on the
list, the detail, the search and the similar panel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from feeds import services as feeds
from groups.services import ensure_department_group
from knowledge import services, suggestions
from knowledge.models import Entry, State
from routing import services as routing

from ..conftest import client_for
from ..routing.conftest import ask
from .conftest import ANSWER

pytestmark = pytest.mark.django_db

FAQ = [
    ("Why was I charged twice?", "A double charge is reversed within five working days."),
    ("How do I download my invoices?", "Invoices are under Account, Billing, Invoices."),
    ("Can I pay by bank transfer?", "Yes: choose bank transfer when you check out."),
    ("The app crashes when I open settings", "Update the app: version 4.2 fixes the crash."),
    ("Where is my refund?", "Refunds reach the card within five working days."),
]


def publish_many(expert, department, pairs):
    """Published entries without a source question (as an import would leave them)."""
    entries = []
    for title, body in pairs:
        entry = Entry.objects.create(
            title=title,
            body=body,
            body_html=f"<p>{body}</p>",
            department=department,
            expert=expert,
            state=State.DRAFT,
        )
        services.publish_entry(actor=expert, entry=entry)
        entries.append(entry)
    return entries


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def test_similar_entries_come_first_and_reuse_is_counted_once(answered, billing_expert, finance):
    entries = publish_many(billing_expert, finance, FAQ)
    found = suggestions.similar_entries(billing_expert, answered.text)
    assert found and found[0].id in (entries[0].pk, entries[4].pk)
    assert entries[3].pk not in [s.id for s in found]  # the app crash is not a refund
    client = client_for(billing_expert)
    reuse = {"question": answered.pk, "into": "reply"}
    for _ in range(2):
        response = client.post(f"/knowledge/{entries[0].pk}/reuse/", reuse, HTTP_HX_REQUEST="true")
        assert response.status_code == 204
    client.post(f"/knowledge/{entries[0].pk}/reuse/", {**reuse, "into": "answer"})
    entries[0].refresh_from_db()
    assert entries[0].reuse_count == 2
    page = client_for(billing_expert).get(entries[0].get_absolute_url()).content.decode()
    assert "2 times" in page


def test_the_panel_offers_a_reply_from_an_entry(answered, billing_expert, social, finance):
    publish_many(billing_expert, finance, FAQ)
    page = client_for(social).get(answered.get_absolute_url()).content.decode()
    assert "Similar entries" in page and "Start the reply from it" in page
    assert 'data-fill-into="id_text"' in page


def test_a_retired_entry_is_suggested_no_more(answered, billing_expert, finance):
    entries = publish_many(billing_expert, finance, FAQ[:1])
    assert [s.id for s in suggestions.similar_entries(billing_expert, answered.text)] == [
        entries[0].pk
    ]
    services.change_state(actor=billing_expert, entry=entries[0], state=State.RETIRED)
    assert suggestions.similar_entries(billing_expert, answered.text) == []


def test_reuse_is_for_those_working_on_the_question(answered, billing_expert, outsider, finance):
    entry = publish_many(billing_expert, finance, FAQ[:1])[0]
    response = client_for(outsider).post(
        f"/knowledge/{entry.pk}/reuse/", {"question": answered.pk, "into": "reply"}
    )
    assert response.status_code == 403
    bad = client_for(billing_expert).post(f"/knowledge/{entry.pk}/reuse/", {"into": "x"})
    assert bad.status_code == 400


def test_profile_and_topic_pages_show_the_entries(answered, billing_expert, outsider, finance):
    entry, _ = services.draft_entry(
        actor=billing_expert,
        question=answered,
        title="Charged twice",
        body=ANSWER,
        topics="billing",
    )
    services.publish_entry(actor=billing_expert, entry=entry)
    client = client_for(outsider)
    profile = client.get(f"/people/{billing_expert.username}/").content.decode()
    assert "Answered 1 customer question" in profile and entry.get_absolute_url() in profile
    feeds.create_post(
        actor=billing_expert, group=ensure_department_group(finance), body="Tips #billing"
    )
    topic = client.get("/topics/billing/").content.decode()
    assert "Knowledge about #billing" in topic and entry.get_absolute_url() in topic


def test_list_detail_and_search_cost_the_same_for_more_entries(billing_expert, outsider, finance):
    client = client_for(outsider)
    api = APIClient()
    api.force_authenticate(outsider)
    first = publish_many(billing_expert, finance, FAQ[:1])[0]
    urls = ["/knowledge/", "/knowledge/?q=charged", "/search/?q=five&type=knowledge"]
    for url in urls:
        count(client, url)  # the session and the cached counts warm up
    few = [count(client, url) for url in urls]
    count(api, "/api/v1/search/?q=five")
    api_few = [count(api, "/api/v1/knowledge/"), count(api, "/api/v1/search/?q=five")]
    detail_few = count(client, first.get_absolute_url())
    publish_many(billing_expert, finance, FAQ[1:] * 3)
    for i in range(4):
        services.edit_entry(actor=billing_expert, entry=first, title=first.title, body=f"v{i}")
    assert [count(client, url) for url in urls] == few
    assert [count(api, "/api/v1/knowledge/"), count(api, "/api/v1/search/?q=five")] == api_few
    assert count(client, first.get_absolute_url()) == detail_few
    # the pages: one fewer since the session's user comes with its own profile, two for the
    # search, which also asked the roles (people.authentication.session_user); two fewer
    # again since the unread badge and the policy banner come with it (core.session_reads)
    assert few == [5, 5, 9] and api_few[0] == 2 and detail_few <= 11, (few, api_few)


def test_the_similar_panel_costs_the_same_for_more_suggestions(
    answered, billing_expert, social, finance
):
    def answered_like(text):
        question = ask(text, customer_name="Other Person", customer_handle="@other")
        question.refresh_from_db()
        if question.assigned_to_id != billing_expert.pk:
            routing.assign_question(actor=social, question=question, expert=billing_expert)
        routing.answer_question(actor=billing_expert, question=question, text="Refunded today.")

    publish_many(billing_expert, finance, FAQ[:1])
    answered_like("charged twice again, refund please")
    client = client_for(social)
    api = APIClient()
    api.force_authenticate(social)
    url = answered.get_absolute_url()
    similar = f"/api/v1/questions/{answered.pk}/similar/"
    count(client, url)  # the indexes are built once per change
    body = api.get(similar).json()
    assert len(body["entries"]) == 1 and len(body["questions"]) == 1
    few, api_few = count(client, url), count(api, similar)
    publish_many(billing_expert, finance, FAQ[1:])
    answered_like("double charge on my card, refund")
    answered_like("charged twice for the refund, where is my money")
    count(client, url)
    body = api.get(similar).json()
    assert len(body["entries"]) >= 2 and len(body["questions"]) >= 2
    assert count(client, url) == few
    assert count(api, similar) == api_few == 5, api_few  # question, 2 generations, 2 reads


def test_themes_that_come_back_and_which_have_an_entry(answered, billing_expert, social, finance):
    def asked(text, name):
        question = ask(text, customer_name=name, customer_handle=f"@{name.split()[0].lower()}")
        question.refresh_from_db()
        if question.department_id != finance.pk:
            routing.route_to_department(actor=social, question=question, department=finance)
        return question

    asked("I was charged twice for my refund, where is my money?", "Priya Raman")
    asked("charged twice again for the refund, money please", "Omar Diallo")
    asked("how do I download my invoices as pdf", "Lea Martin")
    asked("download invoices pdf for my accountant", "Kim Lee")
    services.draft_entry(
        actor=billing_expert, question=answered, title="Charged twice", body=ANSWER
    )
    entry = Entry.objects.get()
    services.publish_entry(actor=billing_expert, entry=entry)
    page = client_for(social).get("/knowledge/themes/", {"department": "finance"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Has an entry" in body and "No entry yet" in body and entry.title in body
    for secret in ("priya", "omar", "jamal", "raman"):
        assert secret not in body.lower(), secret
    insights = client_for(social).get("/questions/insights/").content.decode()
    assert "/knowledge/themes/" in insights
    assert client_for(social).get("/knowledge/themes/", {"month": "1999-01"}).status_code == 400


def test_a_question_is_not_offered_its_own_entry(answered, billing_expert, finance):
    entry, _ = services.draft_entry(
        actor=billing_expert, question=answered, title="Charged twice", body=ANSWER
    )
    services.publish_entry(actor=billing_expert, entry=entry)
    other = publish_many(billing_expert, finance, FAQ[:1])[0]
    entries, _ = suggestions.similar_to(billing_expert, answered)
    assert [s.id for s in entries] == [other.pk]


@pytest.mark.django_db(transaction=True)
def test_a_large_index_is_rebuilt_in_the_background_while_the_stale_one_answers(
    billing_expert, finance, settings
):
    """At 100,000 entries a rebuild takes half a minute: the question page must not wait for
    it. The stale index answers (a retired entry still never shows: hits are read again),
    the new one takes over once built."""
    settings.KNOWLEDGE_INDEX_BACKGROUND_FROM = 1
    first, retired = publish_many(billing_expert, finance, FAQ[:2])
    question = "charged twice, invoices to download, where is my refund"
    assert {s.id for s in suggestions.similar_entries(billing_expert, question)} == {
        first.pk,
        retired.pk,
    }
    services.change_state(actor=billing_expert, entry=retired, state=State.RETIRED)
    (refund,) = publish_many(billing_expert, finance, FAQ[4:5])

    stale = suggestions.similar_entries(billing_expert, question)
    assert [s.id for s in stale] == [first.pk]  # not the new entry yet; never the retired one

    suggestions.wait_for_rebuilds()
    fresh = {s.id for s in suggestions.similar_entries(billing_expert, question)}
    assert fresh == {first.pk, refund.pk}
