"""Deleting an account follows the documented policy (README, "My data"): per kind of
content kept, anonymised or deleted; an admin action with a confirmation page; audited."""

import re
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from core import exports
from core.errors import ApplicationError
from feeds import services as feeds
from feeds.models import Comment, PersonFollow, Post, Reaction
from groups import services as groups
from groups.models import Group, Membership
from messaging import services as messaging
from messaging.models import Message, Participant
from messaging.selectors import get_seat
from notifications.models import Notification
from people import personal_data
from people.models import DataExport, Profile

from ..conftest import client_for

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def leaver(employee, colleague, cleo_chat):
    group = groups.create_group(actor=colleague, name="Guild", privacy=Group.Privacy.PUBLIC)
    groups.join_group(actor=employee, group=group)
    post = feeds.create_post(actor=employee, group=group, body="Ana's post")
    feeds.create_comment(actor=colleague, post=post, body="Ben replies")
    feeds.toggle_reaction(actor=employee, post=post, kind="like")
    feeds.follow_person(actor=colleague, person=employee)
    feeds.create_comment(actor=employee, post=post, body="Ana mentions @ben.okafor")
    messaging.send_message(actor=employee, seat=get_seat(employee, cleo_chat.pk), body="bye all")
    DataExport.objects.create(person=employee, requested_by=employee)
    profile = employee.profile
    profile.bio = "Loves sailing"
    profile.avatar.save("a.png", SimpleUploadedFile("a.png", b"png"), save=True)
    return employee


@pytest.fixture
def cleo_chat(employee, colleague):
    from ..factories import make_person

    cleo = make_person("cleo.lin", display_name="Cleo Lin").user
    return messaging.start_conversation(actor=employee, people=[colleague, cleo], title="Crew")


def test_deletion_applies_the_policy_per_kind(leaver, colleague, admin_user, cleo_chat):
    post = Post.objects.get(author=leaver)
    personal_data.delete_account(actor=admin_user, person=leaver)
    leaver.refresh_from_db()
    profile = Profile.objects.get(user=leaver)
    # Profile and account: anonymised, deactivated, cannot sign in.
    assert leaver.username == f"deleted-{leaver.pk}" and not leaver.is_active
    assert leaver.email == "" and not leaver.has_usable_password()
    assert profile.display_name == "Deleted account" and profile.bio == ""
    assert not profile.avatar and not profile.skills.exists()
    # Kept: posts, comments, reactions, messages (for the others), shown under the new name.
    assert Post.objects.filter(pk=post.pk).exists()
    assert Comment.objects.filter(author=leaver).count() == 1
    assert Reaction.objects.filter(user=leaver).count() == 1
    assert Message.objects.filter(author=leaver, body="bye all").exists()
    page = client_for(colleague).get(f"/messages/{cleo_chat.pk}/")
    assert b"bye all" in page.content and b"Deleted account" in page.content
    assert b"Ana Garcia" not in client_for(colleague).get(post.get_absolute_url()).content
    # Deleted: memberships, follows, notifications, copies; their seats end.
    assert not Membership.objects.filter(user=leaver).exists()
    assert not PersonFollow.objects.filter(followee=leaver).exists()
    assert not Notification.objects.filter(recipient=leaver).exists()
    assert not DataExport.objects.filter(person=leaver).exists()
    assert not Participant.objects.filter(user=leaver, left_at__isnull=True).exists()
    entry = LogEntry.objects.get(object_id=str(leaver.pk))
    assert entry.user == admin_user and "Ana Garcia (@ana.garcia)" in entry.change_message


def test_only_admins_delete_and_never_themselves(employee, colleague, admin_user):
    for actor, person in [(employee, colleague), (admin_user, admin_user)]:
        with pytest.raises(ApplicationError) as refused:
            personal_data.delete_account(actor=actor, person=person)
        assert refused.value.status == 403
    personal_data.delete_account(actor=admin_user, person=colleague)
    with pytest.raises(ApplicationError):
        personal_data.delete_account(actor=admin_user, person=colleague)


def test_the_admin_action_asks_for_confirmation_first(leaver, admin_user):
    client = client_for(admin_user)
    data = {"action": "delete_by_policy", "_selected_action": [leaver.pk]}
    confirm = client.post("/admin/auth/user/", data)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "cannot be undone" in text and "@ana.garcia" in text
    for erasure in exports.erasures():
        assert erasure.name in text
    leaver.refresh_from_db()
    assert leaver.is_active  # nothing happened yet
    done = client.post("/admin/auth/user/", {**data, "confirm": "yes"})
    assert done.status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active and leaver.username.startswith("deleted-")
    # Removing the row (which would take everything with it) is not offered.
    assert client.get(f"/admin/auth/user/{leaver.pk}/delete/").status_code == 403
    assert "delete_selected" not in client.get("/admin/auth/user/").content.decode()


def test_the_readme_documents_every_kind_of_the_policy():
    """The table in the README and the registry say the same."""
    text = README.read_text()
    section = text.split("### Deleting an account", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([^`]+)` \| \*\*(\w+)\*\* \|", section, flags=re.M))
    assert rows == {e.name: e.policy for e in exports.erasures()}
