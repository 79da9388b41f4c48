"""The acknowledgement gate blocks exactly what the setting says, and the engagement model
decides who may reply to customers publicly (policies.selectors.may_reply_publicly)."""

import pytest
from django.contrib.auth.models import Group as Role

from core.errors import ApplicationError
from feeds import services as feeds
from feeds.models import Comment, Post
from groups import services as groups
from people import roles
from policies import selectors, services
from policies.models import PolicySettings

from ..conftest import client_for
from ..factories import make_person
from .conftest import right_answers, set_gate

pytestmark = pytest.mark.django_db

Gate = PolicySettings.Gate
Model = PolicySettings.Engagement


@pytest.fixture
def group(admin_user):
    return groups.create_group(actor=admin_user, name="Coffee")


@pytest.fixture
def post(admin_user, group):
    return feeds.create_post(actor=admin_user, group=group, body="Hello")


def _certify(user, policy):
    services.acknowledge_version(actor=user, version=policy)
    services.submit_quiz(actor=user, quiz=policy.quiz, answers=right_answers(policy.quiz))


def test_no_published_policy_means_no_gate(admin_user, employee, group):
    set_gate(admin_user, Gate.POSTING_AND_REPLIES)
    assert selectors.may_post(employee)
    feeds.create_post(actor=employee, group=group, body="Fine")


def test_gate_none_lets_everyone_post(employee, group, policy):
    assert selectors.may_post(employee)
    feeds.create_post(actor=employee, group=group, body="Before reading")


@pytest.mark.parametrize("gate", [Gate.POSTING, Gate.POSTING_AND_REPLIES])
def test_posting_gate_blocks_posts_and_comments_until_acknowledged(
    admin_user, employee, group, post, policy, gate
):
    set_gate(admin_user, gate)
    with pytest.raises(ApplicationError) as exc:
        feeds.create_post(actor=employee, group=group, body="Too early")
    assert exc.value.status == 403 and "policy" in exc.value.message
    with pytest.raises(ApplicationError):
        feeds.create_comment(actor=employee, post=post, body="Too early")
    api = client_for(employee).post(
        "/api/v1/posts/", {"group": group.slug, "body": "api"}, content_type="application/json"
    )
    assert api.status_code == 403
    assert not Post.objects.filter(author=employee).exists()
    assert not Comment.objects.filter(author=employee).exists()
    # Reading is not gated.
    assert client_for(employee).get(f"/groups/{group.slug}/").status_code == 200
    services.acknowledge_version(actor=employee, version=policy)
    feeds.create_post(actor=employee, group=group, body="Now I may")
    feeds.create_comment(actor=employee, post=post, body="Me too")


def test_posting_gate_does_not_block_customer_replies(admin_user, employee, policy):
    set_gate(admin_user, Gate.POSTING, Model.DECENTRALIZED)
    _certify(employee, policy)
    services.publish_version(
        actor=admin_user,
        version=services.create_version(actor=admin_user, title="v2", body="New rules"),
    )
    assert not selectors.may_post(employee)  # v2 not acknowledged
    assert selectors.may_reply_publicly(employee)


def test_replies_gate_blocks_customer_replies_until_acknowledged(admin_user, employee, policy):
    set_gate(admin_user, Gate.POSTING_AND_REPLIES, Model.DECENTRALIZED)
    _certify(employee, policy)
    v2 = services.publish_version(
        actor=admin_user,
        version=services.create_version(actor=admin_user, title="v2", body="New rules"),
    )
    assert not selectors.may_reply_publicly(employee)
    services.acknowledge_version(actor=employee, version=v2)
    assert selectors.may_reply_publicly(employee)


def test_replies_gate_holds_the_social_team_too(admin_user, policy):
    social = make_person("sam.social").user
    social.groups.add(Role.objects.get_or_create(name=roles.SOCIAL_TEAM)[0])
    set_gate(admin_user, Gate.POSTING_AND_REPLIES)
    assert not selectors.may_reply_publicly(social)
    services.acknowledge_version(actor=social, version=policy)
    assert selectors.may_reply_publicly(social)


def test_command_and_control_only_the_social_team(admin_user, employee, policy):
    social = make_person("sam.social").user
    social.groups.add(Role.objects.get_or_create(name=roles.SOCIAL_TEAM)[0])
    _certify(employee, policy)
    set_gate(admin_user, Gate.NONE, Model.COMMAND_AND_CONTROL)
    assert selectors.may_reply_publicly(social)
    assert not selectors.may_reply_publicly(employee)


def test_empowered_units_certified_people_of_designated_departments(
    admin_user, employee, colleague, engineering, policy
):
    _certify(employee, policy)  # engineering
    _certify(colleague, policy)  # finance
    outsider = make_person("not.certified", department=engineering).user
    set_gate(admin_user, Gate.NONE, Model.EMPOWERED_UNITS, depts=[engineering])
    assert selectors.may_reply_publicly(employee)
    assert not selectors.may_reply_publicly(colleague)
    assert not selectors.may_reply_publicly(outsider)


def test_empowered_units_need_a_designated_department(admin_user):
    with pytest.raises(ApplicationError) as exc:
        set_gate(admin_user, Gate.NONE, Model.EMPOWERED_UNITS)
    assert exc.value.field == "designated_departments"


def test_decentralized_any_certified_employee(admin_user, employee, colleague, policy):
    _certify(employee, policy)
    set_gate(admin_user, Gate.NONE, Model.DECENTRALIZED)
    assert selectors.may_reply_publicly(employee)
    assert not selectors.may_reply_publicly(colleague)


def test_revoked_certification_cannot_reply(admin_user, employee, policy):
    _certify(employee, policy)
    set_gate(admin_user, Gate.NONE, Model.DECENTRALIZED)
    services.revoke_certification(actor=admin_user, user=employee, reason="test")
    assert not selectors.may_reply_publicly(employee)


def test_only_admins_change_settings(admin_user, employee):
    client = client_for(employee)
    response = client.patch(
        "/api/v1/policies/settings/",
        {"acknowledgement_gate": "posting"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (
        client.post("/policies/settings/", {"acknowledgement_gate": "posting"}).status_code == 403
    )
    assert selectors.policy_settings().acknowledgement_gate == Gate.NONE


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"acknowledgement_gate": "sometimes"}, "acknowledgement_gate"),
        ({"engagement_model": "anarchy"}, "engagement_model"),
        ({"reminder_days": 0}, "reminder_days"),
        ({"reminder_days": 400}, "reminder_days"),
        ({"reminder_days": "soon"}, "reminder_days"),
        ({"designated_departments": ["nope"]}, "designated_departments"),
        ({"engagement_model": "empowered_units"}, "designated_departments"),
        ({"gate": "posting"}, "gate"),
    ],
)
def test_bad_settings_are_a_400_naming_the_field(admin_user, body, field):
    response = client_for(admin_user).patch(
        "/api/v1/policies/settings/", body, content_type="application/json"
    )
    assert response.status_code == 400 and field in response.json()


def test_admin_changes_settings_in_the_app(admin_user, engineering):
    response = client_for(admin_user).post(
        "/policies/settings/",
        {
            "acknowledgement_gate": "posting_and_replies",
            "engagement_model": "empowered_units",
            "designated_departments": [engineering.pk],
            "reminder_days": 3,
            "ownership_statement": "Ours.",
        },
    )
    assert response.status_code == 302
    row = selectors.policy_settings()
    assert (row.acknowledgement_gate, row.engagement_model, row.reminder_days) == (
        "posting_and_replies",
        "empowered_units",
        3,
    )
    assert list(row.designated_departments.all()) == [engineering]


# --- The gate is visible before anyone types ---------------------------------------------


def test_the_compose_box_explains_the_gate_before_typing(admin_user, employee, group, policy):
    set_gate(admin_user, Gate.POSTING)
    for path in ("/", f"/groups/{group.slug}/"):
        page = client_for(employee).get(path).content.decode()
        assert 'id="compose-gate"' in page, path
        assert "Posting waits for the social media policy." in page
        assert 'href="/policies/"' in page
        assert 'id="compose-body"' not in page  # nothing to type into and lose
    services.acknowledge_version(actor=employee, version=policy)
    page = client_for(employee).get(f"/groups/{group.slug}/").content.decode()
    assert 'id="compose-gate"' not in page and 'id="compose-body"' in page


def test_without_a_gate_the_compose_box_says_nothing_of_it(employee, group, policy):
    page = client_for(employee).get(f"/groups/{group.slug}/").content.decode()
    assert 'id="compose-gate"' not in page and 'id="compose-body"' in page


def test_the_comment_box_explains_the_gate_before_typing(admin_user, employee, post, policy):
    set_gate(admin_user, Gate.POSTING)
    page = client_for(employee).get(post.get_absolute_url()).content.decode()
    assert 'id="comment-gate"' in page and 'id="thread-body"' not in page


def test_cards_loaded_later_explain_the_gate_too(admin_user, employee, group, policy, settings):
    """ "Load more" and the catch-up after a reconnect render cards as the page does: the
    comment box gives way to the reason; the feed tells live.js to do the same to cards
    that arrive over the socket (rendered once for every reader)."""
    from feeds.views import FEED_PAGE_SIZE

    first = feeds.create_post(actor=admin_user, group=group, body="The first post")
    for n in range(FEED_PAGE_SIZE):
        feeds.create_post(actor=admin_user, group=group, body=f"Post {n}")
    set_gate(admin_user, Gate.POSTING)
    client = client_for(employee)
    page = client.get(f"/groups/{group.slug}/")
    assert 'data-comment-gate="/policies/"' in page.content.decode()
    cursor = page.context["next_cursor"]
    more = client.get(f"/groups/{group.slug}/?cursor={cursor}", HTTP_HX_REQUEST="true")
    html = more.content.decode()
    assert "The first post" in html
    assert 'class="muted small comment-gate"' in html and 'class="comment-form"' not in html
    since = client.get(
        f"/posts/since/?feed=group&group={group.pk}&after={first.pk - 1}"
    ).content.decode()
    assert "The first post" in since
    assert "comment-gate" in since and 'class="comment-form"' not in since
    services.acknowledge_version(actor=employee, version=policy)
    more = client.get(f"/groups/{group.slug}/?cursor={cursor}", HTTP_HX_REQUEST="true")
    assert 'class="comment-form"' in more.content.decode()
    assert "data-comment-gate" not in client.get(f"/groups/{group.slug}/").content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_a_post_the_gate_refuses_comes_back_inline_with_its_text(
    admin_user, employee, group, policy, settings, debug
):
    """The gate closed while the person typed: the htmx answer is the compose box again,
    marked as an error fragment, with the text and the reason, in every mode."""
    settings.DEBUG = debug
    set_gate(admin_user, Gate.POSTING)
    response = client_for(employee).post(
        "/posts/new/",
        {"group": group.slug, "body": "My long careful text", "kind": "update"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert response["X-Fragment"] == "error" and response["HX-Retarget"] == "#compose"
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "My long careful text</textarea>" in fragment
    assert "Read and acknowledge the social media policy" in fragment
    assert 'id="compose-gate"' in fragment
    assert not Post.objects.filter(author=employee).exists()
