"""What every signed-in page shows about its reader (the unread badge, the policy banner, the
crisis banner) is read with the session's account in one query (core.session_reads,
people.authentication.session_user), and says what the stand-alone queries say: the same
count, the same version, the same incident; a change the reader makes during the request is
not shown stale."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import session_reads
from crisis import services as crisis
from crisis.models import Severity
from crisis.selectors import banner_incident
from crisis.selectors.crisis_mode import CRISIS_MODE
from notifications import selectors as notifications
from notifications import services as notify
from notifications.models import Notification
from people.authentication import session_user
from policies import selectors as policies
from policies import services as policy_services
from policies.models import PolicySettings
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SHELL_TABLES = ('"notifications_notification"', '"policies_policyversion"', '"crisis_incident"')


def _unread(user, count: int) -> None:
    for i in range(count):
        Notification.objects.create(recipient=user, kind=Notification.Kind.MENTION, text=f"n{i}")


@pytest.fixture
def published(admin_user):
    """Version 3 in force: its id is no account's, so that a read keyed by the wrong id (the
    version's for the account's) cannot pass by chance."""
    for number in range(1, 4):
        version = policy_services.create_version(
            actor=admin_user, title="Social media policy", body=f"# Rules\n\nRule {number}."
        )
        policy_services.publish_version(actor=admin_user, version=version)
    version.refresh_from_db()
    assert not type(admin_user).objects.filter(pk=version.pk).exists()
    return version


def _gate(admin_user, gate) -> None:
    policy_services.update_settings(
        actor=admin_user,
        acknowledgement_gate=gate,
        engagement_model=PolicySettings.Engagement.COMMAND_AND_CONTROL,
        reminder_days=7,
    )


def _request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_page_shows_the_badge_and_both_banners_without_a_query_of_their_own(
    admin_user, published
):
    _unread(admin_user, 3)
    crisis.declare_incident(
        actor=admin_user, title="Billing outage", summary="Charged twice.", severity=Severity.HIGH
    )
    client = client_for(admin_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Notifications, 3 unread" in page
    assert 'class="policy-banner"' in page and "“Social media policy”" in page
    assert 'id="crisis-banner"' in page and "Billing outage" in page
    shell = [q["sql"] for q in queries if any(table in q["sql"] for table in SHELL_TABLES)]
    assert len(shell) == 1 and 'FROM "auth_user"' in shell[0], shell


@pytest.mark.parametrize("unread", [0, 4])
@pytest.mark.parametrize("acknowledged", [False, True])
@pytest.mark.parametrize("gate", [PolicySettings.Gate.NONE, PolicySettings.Gate.POSTING])
def test_the_session_reads_say_what_the_queries_say(
    employee, admin_user, published, unread, acknowledged, gate
):
    _unread(employee, unread)
    _gate(admin_user, gate)
    if acknowledged:
        policy_services.acknowledge_version(actor=employee, version=published)
    read = session_user(employee.pk)
    asked = type(employee).objects.get(pk=employee.pk)  # no session: the queries answer

    assert notifications.unread_count(read) == notifications.unread_count(asked) == unread
    pending = policies.pending_policy(_request_of(read))
    expected = policies.pending_policy(_request_of(asked))
    if acknowledged:
        assert pending is None and expected is None
    else:
        assert (pending.pk, pending.number, pending.title) == (
            expected.pk,
            expected.number,
            expected.title,
        )
        assert pending.gates_posting is expected.gates_posting is (gate != "none")


def test_the_crisis_read_is_the_incident_holding_crisis_mode(admin_user):
    assert session_reads.read(session_user(admin_user.pk), CRISIS_MODE) is None
    incident = crisis.declare_incident(
        actor=admin_user,
        title="Billing outage",
        summary="Charged twice.",
        severity=Severity.HIGH,
        second_approval=True,
    )
    shown, may_open = banner_incident(_request_of(session_user(admin_user.pk)))
    assert (shown.pk, shown.title, shown.second_approval, may_open) == (
        incident.pk,
        "Billing outage",
        True,
        True,
    )
    crisis.close_incident(actor=admin_user, incident=incident, resolution="Refunds issued.")
    assert banner_incident(_request_of(session_user(admin_user.pk))) == (None, False)


def test_marking_notifications_read_during_the_request_is_not_shown_stale(employee):
    _unread(employee, 2)
    user = session_user(employee.pk)
    assert notifications.unread_count(user) == 2
    notify.mark_read(actor=user, notification=Notification.objects.filter(recipient=user)[0])
    assert notifications.unread_count(user) == 1
    notify.mark_all_read(actor=user)
    assert notifications.unread_count(user) == 0


def test_acknowledging_during_the_request_forgets_the_banners_version(employee, published):
    user = session_user(employee.pk)
    assert session_reads.read(user, policies.PENDING)["id"] == published.pk
    policy_services.acknowledge_version(actor=user, version=published)
    assert session_reads.read(user, policies.PENDING) is session_reads.MISSING
    assert policies.pending_policy(_request_of(user)) is None


def test_an_api_token_request_reads_nothing_it_does_not_show(employee):
    """The API has no shell: its token's query carries none of the page's reads."""
    from rest_framework.authtoken.models import Token

    from people.authentication import TokenAuthentication

    token = Token.objects.create(user=employee)
    user, _ = TokenAuthentication().authenticate_credentials(token.key)
    assert session_reads.read(user, notifications.UNREAD) is session_reads.MISSING
