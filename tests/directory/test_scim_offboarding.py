"""A SCIM deactivation runs the one offboarding (policies.receivers → revoke_access_of_departed),
once: authorizations and certification revoked, brand accounts flagged for handover to the
manager, audited — however often the provider repeats the PATCH."""

import pytest
from django.contrib.auth import get_user_model

from policies import selectors
from policies.models import AuditEntry, Authorization, BrandAccount, Certification

from ..factories import make_person
from ..policies.conftest import policy  # noqa: F401  (fixtures)
from ..policies.test_accounts import accounts, leaver  # noqa: F401  (fixtures)
from .conftest import payload

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def managed_leaver(leaver):  # noqa: F811
    manager = make_person("mia.manager", display_name="Mia Manager")
    leaver.profile.manager = manager
    leaver.profile.save()
    return leaver, manager.user


def _offboardings(user) -> int:
    return AuditEntry.objects.filter(action="offboard", target_user=user).count()


@pytest.mark.parametrize(
    "body", ["entra_patch_disable_string", "entra_patch_disable", "okta_patch_deactivate"]
)
def test_deactivation_runs_the_offboarding_once(scim, managed_leaver, body):
    person, manager = managed_leaver
    for _ in range(3):  # providers retry; Entra re-sends on every sync cycle
        response = scim.patch(f"Users/{person.pk}", payload(body))
        assert response.status_code == 200, response.content
        assert response.json()["active"] is False
    assert not User.objects.get(pk=person.pk).is_active
    assert not Authorization.objects.filter(user=person, revoked_at__isnull=True).exists()
    assert not Certification.objects.filter(user=person, revoked_at__isnull=True).exists()
    assert not selectors.is_certified(person)
    flagged = BrandAccount.objects.filter(handover_from=person)
    assert flagged.count() == 2
    assert {a.handover_to_id for a in flagged} == {manager.pk}
    assert _offboardings(person) == 1
    assert AuditEntry.objects.filter(action="revoke_certification", target_user=person).count() == 1
    assert scim.get(f"Users/{person.pk}").json()["active"] is False


def test_scim_and_the_admin_share_one_offboarding(scim, admin_user, managed_leaver):
    person, _ = managed_leaver
    scim.patch(f"Users/{person.pk}", payload("okta_patch_deactivate"))
    user = User.objects.get(pk=person.pk)
    user.is_active = False
    user.save()  # the Django admin saving the departed person again
    assert _offboardings(person) == 1


def test_delete_deactivates_through_the_same_path(scim, managed_leaver):
    person, _ = managed_leaver
    assert scim.delete(f"Users/{person.pk}").status_code == 204
    assert not User.objects.get(pk=person.pk).is_active
    assert _offboardings(person) == 1


def test_reactivation_gives_nothing_back_by_itself(scim, managed_leaver):
    person, _ = managed_leaver
    scim.patch(f"Users/{person.pk}", payload("okta_patch_deactivate"))
    response = scim.patch(f"Users/{person.pk}", payload("okta_patch_reactivate"))
    assert response.json()["active"] is True
    assert User.objects.get(pk=person.pk).is_active
    assert not Authorization.objects.filter(user=person, revoked_at__isnull=True).exists()
