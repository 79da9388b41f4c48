"""Crisis mode is enforced where public replies are sent (routing.services.record_public_reply,
through the reply gate crisis registers): for every engagement model, with crisis mode on and
off, for the social team, a certified representative and anyone else."""

import pytest

from core.errors import ApplicationError
from crisis import services as crisis
from crisis.models import HeldReply, Severity, TimelineEntry
from policies.models import PolicySettings
from routing import services
from routing.models import PublicReply

from ..conftest import client_for
from .conftest import answered, ask, declare, set_model

pytestmark = pytest.mark.django_db

MODELS = [
    PolicySettings.Engagement.COMMAND_AND_CONTROL,
    PolicySettings.Engagement.EMPOWERED_UNITS,
    PolicySettings.Engagement.DECENTRALIZED,
]

# Who may reply with crisis mode off (the engagement model decides), and on (social only).
ALLOWED_OFF = {
    ("social", PolicySettings.Engagement.COMMAND_AND_CONTROL): True,
    ("social", PolicySettings.Engagement.EMPOWERED_UNITS): True,
    ("social", PolicySettings.Engagement.DECENTRALIZED): True,
    ("rep", PolicySettings.Engagement.COMMAND_AND_CONTROL): False,
    ("rep", PolicySettings.Engagement.EMPOWERED_UNITS): True,
    ("rep", PolicySettings.Engagement.DECENTRALIZED): True,
    ("other", PolicySettings.Engagement.COMMAND_AND_CONTROL): False,
    ("other", PolicySettings.Engagement.EMPOWERED_UNITS): False,
    ("other", PolicySettings.Engagement.DECENTRALIZED): False,
}


@pytest.mark.parametrize("crisis_on", [False, True], ids=["crisis-off", "crisis-on"])
@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("who", ["social", "rep", "other"])
def test_who_may_reply(who, model, crisis_on, admin_user, social, certified_rep, other, finance):
    set_model(admin_user, model, departments=[finance])
    actor = {"social": social, "rep": certified_rep, "other": other}[who]
    if crisis_on:
        declare(social, severity=Severity.HIGH)
    question = answered(ask(finance))
    allowed = ALLOWED_OFF[(who, model)] and (who == "social" or not crisis_on)
    if allowed:
        reply = services.record_public_reply(actor=actor, question=question, text="Sorted!")
        assert PublicReply.objects.get().pk == reply.pk
        return
    with pytest.raises(ApplicationError) as refused:
        services.record_public_reply(actor=actor, question=question, text="Sorted!")
    assert refused.value.status == 403
    assert not PublicReply.objects.exists()
    if crisis_on and ALLOWED_OFF[(who, model)] is True:
        # Paused by crisis mode, not by the policy: told why.
        assert "Crisis mode is on" in refused.value.message
        assert "Billing outage" in refused.value.message


def test_a_low_severity_incident_does_not_switch_crisis_mode_on(
    admin_user, social, certified_rep, finance
):
    set_model(admin_user, PolicySettings.Engagement.DECENTRALIZED)
    incident = declare(social, severity=Severity.LOW)
    assert not incident.crisis_mode
    question = answered(ask(finance))
    assert services.record_public_reply(actor=certified_rep, question=question, text="Hi")


def test_closing_the_incident_ends_crisis_mode(admin_user, social, certified_rep, finance):
    set_model(admin_user, PolicySettings.Engagement.DECENTRALIZED)
    incident = declare(social)
    question = answered(ask(finance))
    with pytest.raises(ApplicationError):
        services.record_public_reply(actor=certified_rep, question=question, text="Hi")
    crisis.close_incident(actor=social, incident=incident)
    assert services.record_public_reply(actor=certified_rep, question=question, text="Hi")


def test_the_refusal_lands_on_the_timeline_with_its_reason(
    admin_user, social, certified_rep, finance
):
    set_model(admin_user, PolicySettings.Engagement.DECENTRALIZED)
    incident = declare(social)
    question = answered(ask(finance))
    with pytest.raises(ApplicationError):
        services.record_public_reply(actor=certified_rep, question=question, text="Hi")
    refused = incident.entries.get(kind=TimelineEntry.Kind.REPLY_REFUSED)
    assert refused.actor == certified_rep
    assert "Crisis mode is on" in refused.text


def test_representatives_are_told_their_replies_are_paused(
    admin_user, social, certified_rep, other
):
    declare(social)
    notice = certified_rep.notifications.get(target_key__startswith="crisis-pause:")
    assert "paused" in notice.text and "Billing outage" in notice.text
    assert not other.notifications.filter(target_key__startswith="crisis-pause:").exists()


def test_second_approval_holds_the_reply_until_a_colleague_approves(social, second_social, finance):
    incident = declare(social, second_approval=True)
    question = answered(ask(finance))
    with pytest.raises(ApplicationError) as held:
        services.record_public_reply(actor=social, question=question, text="We are on it.")
    assert held.value.status == 409
    assert not PublicReply.objects.exists()
    waiting = HeldReply.objects.get()
    assert waiting.status == HeldReply.Status.PENDING and waiting.text == "We are on it."
    with pytest.raises(ApplicationError) as own:
        crisis.approve_held_reply(actor=social, held=waiting)
    assert own.value.status == 403
    reply = crisis.approve_held_reply(actor=second_social, held=waiting)
    assert reply.author == social and reply.text == "We are on it."
    waiting.refresh_from_db()
    assert waiting.status == HeldReply.Status.SENT and waiting.decided_by == second_social
    kinds = list(incident.entries.values_list("kind", flat=True))
    assert TimelineEntry.Kind.APPROVAL in kinds and TimelineEntry.Kind.REPLY_SENT in kinds


def test_an_approval_by_someone_outside_the_social_team_sends_nothing(social, other, finance):
    declare(social, second_approval=True)
    question = answered(ask(finance))
    with pytest.raises(ApplicationError) as held:
        services.record_public_reply(
            actor=social, question=question, text="Hello", approved_by=other
        )
    assert held.value.status == 409
    assert not PublicReply.objects.exists()


def test_the_reply_page_says_why_a_representative_is_refused(
    admin_user, social, certified_rep, finance
):
    set_model(admin_user, PolicySettings.Engagement.DECENTRALIZED)
    declare(social)
    question = answered(ask(finance))
    client = client_for(certified_rep)
    response = client.post(
        f"/questions/{question.pk}/reply/", {"text": "Sorted!", "url": ""}, follow=True
    )
    assert response.status_code == 200
    assert "Crisis mode is on" in response.content.decode()
    assert not PublicReply.objects.exists()


def test_the_reply_api_refuses_a_representative_with_the_reason(
    admin_user, social, certified_rep, finance
):
    from rest_framework.test import APIClient

    set_model(admin_user, PolicySettings.Engagement.DECENTRALIZED)
    declare(social)
    question = answered(ask(finance))
    api = APIClient()
    api.force_authenticate(certified_rep)
    response = api.post(
        f"/api/v1/questions/{question.pk}/reply/", {"text": "Sorted!"}, format="json"
    )
    assert response.status_code == 403
    assert "Crisis mode is on" in str(response.json())


def test_the_reply_form_offers_the_playbook_holding_statements(admin_user, social, finance):
    version = crisis.create_playbook_version(
        actor=admin_user,
        title="Crisis playbook",
        body="# Roles\n\nLead decides.\n\n## Holding statements\n\n### Outage\n\n"
        "We know about the problem and are fixing it.\n\n### Data leak\n\nWe are looking into it.",
    )
    crisis.publish_playbook_version(actor=admin_user, version=version)
    question = answered(ask(finance))
    page = client_for(social).get(f"/questions/{question.pk}/").content.decode()
    assert "Holding statements" not in page  # no crisis: nothing offered
    declare(social)
    page = client_for(social).get(f"/questions/{question.pk}/").content.decode()
    assert "We know about the problem and are fixing it." in page
    assert "Data leak" in page


@pytest.mark.parametrize(
    "who, sees, opens",
    [
        ("social", True, True),
        ("certified_rep", True, False),
        ("finance_mentor", True, True),  # the incident is Finance's: its mentor reads it
        ("finance_leader", True, True),
        ("engineering_leader", False, False),
        ("other", False, False),
    ],
)
def test_the_crisis_banner_reaches_whoever_speaks_for_the_brand(
    request, who, sees, opens, social, finance
):
    incident = declare(social, departments=[finance])
    request.getfixturevalue("certified_rep")
    request.getfixturevalue("finance_mentor")
    page = client_for(request.getfixturevalue(who)).get("/").content.decode()
    assert ('id="crisis-banner"' in page) is sees
    assert ("Billing outage" in page) is sees
    assert (f'href="/crisis/incidents/{incident.pk}/"' in page) is opens


def test_no_banner_once_crisis_mode_ends(social, certified_rep, finance):
    incident = declare(social, departments=[finance])
    crisis.close_incident(actor=social, incident=incident, resolution="Refunds issued.")
    assert 'id="crisis-banner"' not in client_for(certified_rep).get("/").content.decode()


def _api(user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api


def test_held_replies_are_listed_and_approved_through_the_api(
    social, second_social, finance, django_assert_num_queries
):
    incident = declare(social, second_approval=True)
    question = answered(ask(finance))
    with pytest.raises(ApplicationError):
        services.record_public_reply(actor=social, question=question, text="We are on it.")
    held = HeldReply.objects.get()
    url = f"/api/v1/crisis/incidents/{incident.pk}/held-replies/"
    api = _api(second_social)
    api.get(url)  # a first request warms the session's caches
    # The viewer's roles, the incident, its pending replies with author and question.
    with django_assert_num_queries(3):
        listed = api.get(url)
    assert listed.status_code == 200
    [item] = listed.json()
    assert (item["id"], item["question"], item["status"]) == (held.pk, question.pk, "pending")
    assert item["author"]["username"] == "sam.social" and item["text"] == "We are on it."

    own = _api(social).post(f"/api/v1/crisis/held-replies/{held.pk}/approve/")
    assert own.status_code == 403 and not PublicReply.objects.exists()
    approved = api.post(f"/api/v1/crisis/held-replies/{held.pk}/approve/")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "sent"
    assert approved.json()["decided_by"]["username"] == "sue.social"
    assert PublicReply.objects.get().text == "We are on it."
    again = api.post(f"/api/v1/crisis/held-replies/{held.pk}/reject/")
    assert again.status_code == 409 and "already decided" in again.json()["status"][0]
    assert api.get(url).json() == []


def test_held_replies_api_is_the_social_teams_alone(social, second_social, finance_mentor, finance):
    incident = declare(social, second_approval=True, departments=[finance])
    question = answered(ask(finance))
    with pytest.raises(ApplicationError):
        services.record_public_reply(actor=social, question=question, text="Hold on.")
    held = HeldReply.objects.get()
    mentor = _api(finance_mentor)  # reads the incident, not its held replies
    assert mentor.get(f"/api/v1/crisis/incidents/{incident.pk}/held-replies/").json() == []
    assert mentor.post(f"/api/v1/crisis/held-replies/{held.pk}/reject/").status_code == 404
    rejected = _api(second_social).post(f"/api/v1/crisis/held-replies/{held.pk}/reject/")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert not PublicReply.objects.exists()
    assert _api(second_social).post("/api/v1/crisis/held-replies/99999/approve/").status_code == 404
