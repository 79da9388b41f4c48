"""What feeds holds of a person, for their copy and for the deletion policy (core.exports;
registered in FeedsConfig.ready). Only what they wrote or chose: their posts (with edits
and attachments), comments, reactions and follows; never others' posts they read."""

from core import exports

from .models import Attachment, Comment, PersonFollow, Post, PostRevision, Reaction, TopicFollow

CHUNK = 500


def posts(user):
    rows = Post.objects.filter(author=user).select_related("group")
    for chunk in exports.in_chunks(rows, CHUNK):
        ids = [post.pk for post in chunk]
        files = exports.grouped(
            Attachment.objects.filter(post_id__in=ids).order_by("id"), "post_id"
        )
        revisions = exports.grouped(
            PostRevision.objects.filter(post_id__in=ids)
            .order_by("created_at", "id")
            .values("post_id", "body", "created_at"),
            "post_id",
        )
        for post in chunk:
            yield _post(post, files.get(post.pk, []), revisions.get(post.pk, []))


def _post(post, files, revisions) -> dict:
    return {
        "id": post.pk,
        "group": post.group.name,
        "kind": post.kind,
        "body": post.body,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "deleted_at": post.deleted_at,
        "removed_at": post.removed_at,
        "removed_reason": post.removed_reason,
        "earlier_versions": [
            {"body": r["body"], "replaced_at": r["created_at"]} for r in revisions
        ],
        "_files": [(f"{post.pk}-{a.name}", a.file) for a in files],
    }


def comments(user):
    rows = Comment.objects.filter(author=user).order_by("id")
    for comment in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": comment.pk,
            "post": comment.post_id,
            "reply_to": comment.parent_id,
            "body": comment.body,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
            "deleted_at": comment.deleted_at,
            "removed_at": comment.removed_at,
        }


def reactions(user):
    rows = Reaction.objects.filter(user=user).order_by("id").values("post_id", "kind", "created_at")
    for row in rows.iterator(chunk_size=CHUNK):
        yield {"post": row["post_id"], "kind": row["kind"], "created_at": row["created_at"]}


def follows(user):
    topics = TopicFollow.objects.filter(user=user).select_related("topic").order_by("id")
    for follow in topics.iterator(chunk_size=CHUNK):
        yield {"topic": follow.topic.name, "since": follow.created_at}
    people = PersonFollow.objects.filter(follower=user).select_related("followee").order_by("id")
    for follow in people.iterator(chunk_size=CHUNK):
        yield {"person": follow.followee.username, "since": follow.created_at}


def erase_follows(user) -> None:
    TopicFollow.objects.filter(user=user).delete()
    PersonFollow.objects.filter(follower=user).delete()
    PersonFollow.objects.filter(followee=user).delete()


def register() -> None:
    exports.register_exporter(
        "posts", posts, describe="your posts, their earlier versions and their attachments"
    )
    exports.register_exporter("comments", comments, describe="your comments and replies")
    exports.register_exporter("reactions", reactions, describe="your reactions to posts")
    exports.register_exporter("follows", follows, describe="the topics and people you follow")
    exports.register_erasure(
        "posts-and-comments",
        policy=exports.KEEP,
        describe="kept where they are, shown as by “Deleted account”: the discussions "
        "others joined stay readable",
    )
    exports.register_erasure(
        "reactions", policy=exports.KEEP, describe="kept in the counts, under the erased name"
    )
    exports.register_erasure(
        "follows",
        policy=exports.DELETE,
        describe="the topics and people they followed, and who followed them",
        erase=erase_follows,
    )
