"""List and detail pages and APIs cost a fixed number of queries, whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns import services

from ..conftest import client_for
from ..factories import make_person
from .conftest import make_campaign

pytestmark = pytest.mark.django_db


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _grow(social, campaign, n: int) -> None:
    for i in range(n):
        author = make_person(f"writer.{campaign.pk}.{i}").user
        item = services.contribute(actor=author, campaign=campaign, text=f"Story {i}", consent=True)
        if i % 2:
            services.pick_contribution(actor=social, contribution=item)


@pytest.mark.parametrize(
    "path",
    [
        "/campaigns/",
        "/campaigns/{id}/",
        "/campaigns/{id}/shares/",
        "/campaigns/{id}/report/",
        "/api/v1/campaigns/",
        "/api/v1/campaigns/{id}/",
        "/api/v1/campaigns/{id}/contributions/",
        "/api/v1/campaigns/{id}/posts/",
    ],
)
def test_query_count_does_not_grow(social, path, django_assert_num_queries):
    campaign = make_campaign(social)
    client = client_for(social)
    _grow(social, campaign, 2)
    url = path.format(id=campaign.pk)
    small = _count(client, url)
    for i in range(3):
        make_campaign(social, title=f"Another {i}")
    _grow(social, campaign, 8)
    with django_assert_num_queries(small):
        client.get(url)


# Two fewer on a page since the session's user comes with its roles and the top bar's own
# profile (people.authentication.session_user), two fewer again since the badge and the
# policy banner come with it too (core.session_reads); one fewer through the API (the roles).
@pytest.mark.parametrize(
    ("path", "pinned"),
    [("/campaigns/", 3), ("/campaigns/{id}/", 4), ("/api/v1/campaigns/", 3)],
)
def test_pinned_counts(social, path, pinned, django_assert_num_queries):
    campaign = make_campaign(social)
    _grow(social, campaign, 4)
    client = client_for(social)
    client.get("/campaigns/")  # warm the session
    with django_assert_num_queries(pinned):
        client.get(path.format(id=campaign.pk))
