"""Who sees and votes in a poll: the readers of its post's group, on every surface (post page
card, fragment, voters page, API detail, vote, voters, the post's poll), for every role and
privacy of tests/feeds/world.py; former members of a private or secret group and
deactivated people vote nowhere."""

import pytest
from rest_framework.test import APIClient

from core.errors import ApplicationError
from polls import services

from ..conftest import client_for
from ..feeds.world import PRIVACIES, READERS
from .conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin")


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def polls(world):
    return {p: make_poll(world.member, world.groups[p]) for p in PRIVACIES}


def test_matrix_every_surface(world, polls):
    for privacy in PRIVACIES:
        poll = polls[privacy]
        services.vote(actor=world.member, poll=poll, option_ids=[option_ids(poll)[0]])
        for role in ROLES:
            user = world.users[role]
            reads = role in READERS[privacy]
            page, api = client_for(user), api_for(user)
            where = (privacy, role)
            post_page = page.get(poll.post.get_absolute_url())
            assert (post_page.status_code == 200) is reads, where
            assert (f'id="poll-{poll.pk}"'.encode() in post_page.content) is reads, where
            fragment = page.get(f"/polls/{poll.pk}/", HTTP_HX_REQUEST="true")
            assert fragment.status_code == (200 if reads else 404), where
            voters = page.get(f"/polls/{poll.pk}/voters/")
            assert voters.status_code == (200 if reads else 404), where
            assert (b"Member" in voters.content) is reads, where
            detail = api.get(f"/api/v1/polls/{poll.pk}/")
            assert detail.status_code == (200 if reads else 404), where
            of_post = api.get(f"/api/v1/posts/{poll.post_id}/poll/")
            assert of_post.status_code == (200 if reads else 404), where
            names = api.get(f"/api/v1/polls/{poll.pk}/voters/")
            assert names.status_code == (200 if reads else 404), where
            if not reads:
                assert b"Red" not in detail.content + names.content + fragment.content
            if role == "member":
                continue
            vote = api.post(
                f"/api/v1/polls/{poll.pk}/votes/",
                {"options": [option_ids(poll)[1]]},
                format="json",
            )
            assert vote.status_code == (200 if reads else 404), where
            page_vote = page.post(f"/polls/{poll.pk}/vote/", {"option": option_ids(poll)[2]})
            assert page_vote.status_code == (302 if reads else 404), where
        poll.refresh_from_db()
        voters = len(READERS[privacy])
        assert poll.voter_count == voters, privacy


def test_deactivated_reader_cannot_vote(world, polls):
    poll = polls["public"]
    world.member.is_active = False
    world.member.save()
    with pytest.raises(ApplicationError) as caught:
        services.vote(actor=world.member, poll=poll, option_ids=[option_ids(poll)[0]])
    assert caught.value.status == 404
    # Signed out everywhere: the API and the pages do not know them.
    assert APIClient().get(f"/api/v1/polls/{poll.pk}/").status_code in (401, 403)


def test_former_member_of_a_secret_group_votes_nowhere(world, polls):
    poll = polls["secret"]
    with pytest.raises(ApplicationError) as caught:
        services.vote(actor=world.former, poll=poll, option_ids=[option_ids(poll)[0]])
    assert caught.value.status == 404


def test_only_author_or_leaders_close(world, polls):
    poll = polls["private"]
    for role in ("muted", "outsider", "former"):
        response = api_for(world.users[role]).post(f"/api/v1/polls/{poll.pk}/close/")
        assert response.status_code in (403, 404), role
    assert api_for(world.leader).post(f"/api/v1/polls/{poll.pk}/close/").json()["closed"]


def test_removed_post_takes_its_poll_with_it(world, polls):
    from feeds import moderation

    poll = polls["public"]
    moderation.remove_post(actor=world.owner, post=poll.post, reason="Off topic")
    assert api_for(world.outsider).get(f"/api/v1/polls/{poll.pk}/").status_code == 404
    response = api_for(world.member).post(
        f"/api/v1/polls/{poll.pk}/votes/", {"options": [option_ids(poll)[0]]}, format="json"
    )
    assert response.status_code == 404
