"""Everything about an incident lands on its timeline by itself, in order, and each of its
readers' open tabs is told (ids only) so they fetch what changed."""

import pytest

from core import events
from core.errors import ApplicationError
from crisis import services as crisis
from crisis.models import BrandActivity, Incident, Severity, TimelineEntry
from feeds.models import Post
from policies.models import PolicySettings
from routing import services
from routing.models import PublicReply

from ..conftest import client_for
from .conftest import CUSTOMER, an_alert, answered, ask, declare, set_model

pytestmark = pytest.mark.django_db


def kinds(incident):
    return list(incident.entries.order_by("created_at", "id").values_list("kind", flat=True))


def test_everything_lands_on_the_timeline_in_order(
    admin_user, social, lead, certified_rep, finance, engineering
):
    set_model(admin_user, PolicySettings.Engagement.DECENTRALIZED)
    incident = declare(social, departments=[finance], alert=an_alert(finance))
    matched = ask(finance)
    ask(engineering, "the app crashes")  # another department: not this incident's
    services.record_public_reply(actor=social, question=answered(matched), text="Refund sent.")
    with pytest.raises(ApplicationError):
        services.record_public_reply(actor=certified_rep, question=matched, text="Hi")
    crisis.add_note(actor=lead, incident=incident, text="Legal is on it.")
    crisis.publish_announcement(actor=lead, incident=incident, body="Don't comment publicly.")
    crisis.name_crisis_role(actor=admin_user, user=certified_rep, role="communications")
    crisis.close_incident(actor=social, incident=incident, resolution="Refunds done.")
    assert kinds(incident) == [
        TimelineEntry.Kind.DECLARED,
        TimelineEntry.Kind.ALERT,
        TimelineEntry.Kind.QUESTION,
        TimelineEntry.Kind.REPLY_SENT,
        TimelineEntry.Kind.REPLY_REFUSED,
        TimelineEntry.Kind.NOTE,
        TimelineEntry.Kind.ANNOUNCEMENT,
        TimelineEntry.Kind.ROLE,
        TimelineEntry.Kind.STATUS,
    ]
    assert incident.entries.get(kind=TimelineEntry.Kind.QUESTION).question == matched


def test_a_company_wide_incident_takes_every_question(social, finance, engineering):
    incident = declare(social)
    ask(finance)
    ask(engineering, "the app crashes")
    assert kinds(incident).count(TimelineEntry.Kind.QUESTION) == 2


def test_the_announcement_is_a_pinned_post_in_all_company(lead, social):
    incident = declare(social)
    post = crisis.publish_announcement(
        actor=lead, incident=incident, body="Don't comment publicly; send questions to social."
    )
    post = Post.objects.get(pk=post.pk)
    assert post.group.slug == "all-company"
    assert post.pinned_at is not None and post.kind == Post.Kind.ANNOUNCEMENT
    entry = incident.entries.get(kind=TimelineEntry.Kind.ANNOUNCEMENT)
    assert entry.link == post.get_absolute_url()


def test_only_the_crisis_lead_or_an_admin_announces(social, other, admin_user):
    incident = declare(social)
    for actor in (social, other):
        with pytest.raises(ApplicationError) as refused:
            crisis.publish_announcement(actor=actor, incident=incident, body="Hello")
        assert refused.value.status == 403
    assert crisis.publish_announcement(actor=admin_user, incident=incident, body="Hello")
    assert Post.objects.count() == 1


def test_readers_get_a_live_nudge_and_nothing_else(
    monkeypatch, social, lead, finance_leader, engineering_leader, other, finance
):
    sent = []
    monkeypatch.setattr(
        events, "publish", lambda **kwargs: sent.append((kwargs["audience"], kwargs["payload"]))
    )
    incident = declare(social, departments=[finance])
    sent.clear()
    crisis.add_note(actor=lead, incident=incident, text="A note with a secret")
    audiences = {audience for audience, payload in sent}
    for reader in (social, lead, finance_leader):
        assert f"user.{reader.pk}" in audiences
    for outsider in (engineering_leader, other):
        assert f"user.{outsider.pk}" not in audiences
    # Ids only: the text comes over HTTP, through the permission check.
    assert all(payload == {"topic": f"incident.{incident.pk}"} for _, payload in sent)


def test_the_timeline_fragment_gives_what_came_after(social, lead):
    incident = declare(social)
    first = crisis.add_note(actor=lead, incident=incident, text="First")
    crisis.add_note(actor=lead, incident=incident, text="Second")
    page = client_for(lead).get(f"/crisis/incidents/{incident.pk}/timeline/?after={first.pk}")
    text = page.content.decode()
    assert "Second" in text and "First" not in text


def test_customer_data_on_the_timeline_follows_the_routing_rule(
    social, lead, finance_leader, finance
):
    incident = declare(social, departments=[finance])
    ask(finance)
    social_view = client_for(social).get(f"/api/v1/crisis/incidents/{incident.pk}/timeline/")
    assert CUSTOMER[0] in str(social_view.json())
    for reader in (lead, finance_leader):
        body = client_for(reader).get(f"/api/v1/crisis/incidents/{incident.pk}/timeline/")
        page = client_for(reader).get(f"/crisis/incidents/{incident.pk}/").content.decode()
        for secret in CUSTOMER:
            assert secret not in str(body.json())
            assert secret not in page


def test_brand_activity_shows_every_reply_without_the_customer(admin_user, social, finance):
    question = answered(ask(finance))
    services.record_public_reply(
        actor=social,
        question=question,
        text="Hi Carla Customer (@carla_c), we refunded order 123456789. Mail carla@example.org",
    )
    activity = BrandActivity.objects.get()
    assert activity.reply_id == PublicReply.objects.get().pk
    for secret in (*CUSTOMER, "123456789", "Carla"):
        assert secret not in activity.text
    page = client_for(admin_user).get("/social/activity/").content.decode()
    assert "we refunded order" in page
    for secret in CUSTOMER:
        assert secret not in page


def test_a_low_severity_incident_still_keeps_a_timeline(social, finance):
    incident = declare(social, severity=Severity.LOW, departments=[finance])
    ask(finance)
    assert TimelineEntry.Kind.QUESTION in kinds(incident)


def test_a_question_routed_by_hand_joins_the_department_incident(social, finance, engineering):
    incident = declare(social, departments=[finance])
    question = ask(engineering, "nothing to do with billing")
    assert TimelineEntry.Kind.QUESTION not in kinds(incident)
    services.reroute_question(
        actor=social, question=question, department=finance, reason="It is billing after all"
    )
    assert incident.entries.get(kind=TimelineEntry.Kind.QUESTION).question == question


def test_the_timeline_costs_the_same_whatever_its_length(
    social, lead, finance, django_assert_num_queries
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(social)
    incident = declare(social, departments=[finance])
    ask(finance)
    url = f"/api/v1/crisis/incidents/{incident.pk}/timeline/"
    api.get(url)
    with django_assert_num_queries(3) as one:  # the incident, its departments, the entries
        api.get(url)
    for n in range(5):
        ask(finance, f"charged twice again {n}")
        crisis.add_note(actor=lead, incident=incident, text=f"Note {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api.get(url).json()) == 12  # declared, 6 questions, 5 notes


def test_the_held_reply_is_approved_on_the_incident_page(social, second_social, finance):
    from crisis.models import HeldReply

    incident = declare(social, second_approval=True)
    question = answered(ask(finance))
    client = client_for(social)
    response = client.post(f"/questions/{question.pk}/reply/", {"text": "On it", "url": ""})
    assert response.status_code == 302
    held = HeldReply.objects.get()
    page = client_for(second_social).get(f"/crisis/incidents/{incident.pk}/").content.decode()
    assert "Approve and send" in page and "On it" in page
    assert client.post(f"/crisis/held/{held.pk}/approve/").status_code == 403  # not their own
    client_for(second_social).post(f"/crisis/held/{held.pk}/approve/")
    assert PublicReply.objects.get().text == "On it"
    assert client_for(second_social).post(f"/crisis/held/{held.pk}/nonsense/").status_code == 404


def test_a_new_listening_alert_lands_on_the_incidents_it_concerns_once(
    social, finance, engineering
):
    from django.utils import timezone

    from monitoring.models import Alert
    from monitoring.services.alerts import announce_alerts

    finance_incident = declare(social, departments=[finance])
    engineering_incident = declare(social, departments=[engineering], title="App outage")
    now = timezone.now()
    alert = Alert.objects.create(
        key=f"department:{finance.pk}",
        kind=Alert.Kind.DEPARTMENT,
        title="Questions for Finance",
        trigger=Alert.Trigger.SURGE,
        department=finance,
        opened_at=now,
        updated_at=now,
        last_activity_at=now,
    )
    announce_alerts(alert_ids=[alert.pk], opened_ids=[alert.pk])
    announce_alerts(alert_ids=[alert.pk], opened_ids=[alert.pk])  # a redelivered task
    entries = finance_incident.entries.filter(kind=TimelineEntry.Kind.ALERT)
    assert [(e.text, e.link) for e in entries] == [
        ("Questions for Finance", alert.get_absolute_url())
    ]
    assert not engineering_incident.entries.filter(kind=TimelineEntry.Kind.ALERT).exists()


def test_declaring_from_an_alert_page_fills_the_form_in_and_links_the_incident(
    social, finance, finance_leader
):
    alert = an_alert(finance)
    client = client_for(social)
    page = client.get(alert.get_absolute_url()).content.decode()
    link = f'href="/crisis/?alert={alert.pk}#declare-title"'
    assert "Declare an incident" in page and link in page
    form = client.get(f"/crisis/?alert={alert.pk}").content.decode()
    assert 'value="Questions for Finance"' in form
    assert "24 questions in 60 minutes, 3.0 expected." in form
    assert f'name="alert" value="{alert.pk}"' in form
    response = client.post(
        "/crisis/",
        {
            "title": "Double charges",
            "severity": "high",
            "summary": "Customers are charged twice.",
            "departments": [finance.pk],
            "alert": alert.pk,
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.alert == alert
    shown = client.get(incident.get_absolute_url()).content.decode()
    assert f'from the listening alert <a href="{alert.get_absolute_url()}">' in shown
    # Whoever does not declare gets no link; an alert nobody has: 404, nothing declared.
    leader_page = client_for(finance_leader).get(alert.get_absolute_url()).content.decode()
    assert "Declare an incident" not in leader_page
    assert client.get(f"/crisis/?alert={alert.pk + 1}").status_code == 404
    assert client.get("/crisis/?alert=x").status_code == 404
    missing = client.post(
        "/crisis/",
        {"title": "T", "severity": "high", "summary": "S", "alert": alert.pk + 1},
    )
    assert missing.status_code == 404 and Incident.objects.count() == 1
