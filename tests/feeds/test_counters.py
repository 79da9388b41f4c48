"""A post's counters stay true when many people comment and react at the same moment."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from feeds import services
from feeds.models import Post
from groups import services as groups

from ..factories import make_person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL (SQLite takes one writer at a time)",
    ),
]


def test_simultaneous_comments_and_reactions_all_count():
    author = make_person("author").user
    group = groups.create_group(actor=author, name="Busy")
    post = services.create_post(actor=author, group=group, body="Hello")
    people = [make_person(f"fan{i}").user for i in range(8)]
    for person in people:
        groups.join_group(actor=person, group=group)

    def act(person):
        try:
            mine = Post.objects.get(pk=post.pk)
            services.toggle_reaction(actor=person, post=mine, kind="like")
            services.create_comment(actor=person, post=mine, body="me too")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(act, people))
    post.refresh_from_db()
    assert (post.like_count, post.comment_count) == (8, 8)
    assert post.version == 16
