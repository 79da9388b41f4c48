"""Posts written before the counters existed get them filled by the migration."""

import importlib

from django.db import connection

from feeds import services
from feeds.models import Comment, Post, Reaction
from groups import services as groups

from ..factories import make_person

migration = importlib.import_module("feeds.migrations.0004_post_counters")


class Editor:  # what the migration's function needs of a schema editor
    connection = connection


def test_the_migration_counts_the_comments_and_reactions_already_there(db):
    author = make_person("author").user
    group = groups.create_group(actor=author, name="Old times")
    quiet = services.create_post(actor=author, group=group, body="Nobody answered")
    busy = services.create_post(actor=author, group=group, body="Everybody did")
    fans = [make_person(f"fan{i}").user for i in range(3)]
    Comment.objects.bulk_create(
        [Comment(post=busy, author=f, body="c", body_html="<p>c</p>") for f in fans]
        + [Comment(post=busy, author=author, body="gone", body_html="", deleted_at=busy.created_at)]
    )
    Reaction.objects.bulk_create(
        [Reaction(post=busy, user=f, kind="like") for f in fans]
        + [Reaction(post=busy, user=fans[0], kind="support")]
    )
    Post.objects.update(comment_count=0, like_count=0, support_count=0)

    migration.count_existing(None, Editor)

    busy.refresh_from_db()
    quiet.refresh_from_db()
    assert busy.comment_count == 3
    assert busy.reaction_counts == {"like": 3, "support": 1}
    assert (quiet.comment_count, quiet.reaction_counts) == (0, {})
