"""Input and output shapes of the posts API. Output serializers read what
feeds.selectors.decorate_posts loaded: they never query."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictSerializer
from groups.serializers import GroupRefSerializer
from people.serializers import UserRefSerializer

from .models import (
    MAX_COMMENT_LENGTH,
    MAX_POST_LENGTH,
    WRITABLE_POST_KINDS,
    Badge,
    Draft,
    Post,
    Reaction,
)


def _absolute(context, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


class CommentSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = UserRefSerializer()
    body_html = serializers.CharField()
    created_at = serializers.DateTimeField()


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.SerializerMethodField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()

    def get_url(self, attachment) -> str:
        return _absolute(self.context, attachment.get_absolute_url())


class SharedOriginalSerializer(serializers.Serializer):
    """The post a share shares, as its reader may see it."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    group = GroupRefSerializer()
    author = UserRefSerializer()
    body_html = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_url(self, post) -> str:
        return _absolute(self.context, post.get_absolute_url())


class SharedSerializer(serializers.Serializer):
    """What a share shows of the post it shares: the post only to readers who may read it
    themselves; to anyone else `visible` is false and `post` null."""

    visible = serializers.BooleanField()
    post = SharedOriginalSerializer(allow_null=True)


def shared_data(post, context) -> dict | None:
    """The `shared` field of a post for the reader attach_shared_originals decided for."""
    if not post.shared_post_id:
        return None
    original = getattr(post, "shared_original", None)
    return {
        "visible": original is not None,
        "post": SharedOriginalSerializer(original, context=context).data if original else None,
    }


class PostSerializer(serializers.Serializer):
    """A post as a feed shows it. `body_html` is sanitized by the Markdown door. `saved`
    and `shared` depend on the reader (feeds.api.serialize_posts adds them)."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    group = GroupRefSerializer()
    author = UserRefSerializer()
    kind = serializers.CharField(help_text="One of: " + ", ".join(Post.Kind.values))
    body = serializers.CharField()
    body_html = serializers.CharField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    pinned = serializers.SerializerMethodField()
    comments_closed = serializers.BooleanField()
    accepted_answer = serializers.IntegerField(source="accepted_answer_id", allow_null=True)
    topics = serializers.ListField(child=serializers.CharField(), source="topic_names")
    comment_count = serializers.IntegerField()
    latest_comments = CommentSummarySerializer(many=True)
    reactions = serializers.DictField(child=serializers.IntegerField(), source="reaction_counts")
    my_reactions = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, source="attachments.all")
    badge = serializers.CharField(help_text="Praise only: one of " + ", ".join(Badge.values))
    praised = UserRefSerializer(many=True, source="praised_people")
    saved = serializers.BooleanField(default=False)
    shared = SharedSerializer(allow_null=True, default=None)

    def get_url(self, post) -> str:
        return _absolute(self.context, post.get_absolute_url())

    def get_pinned(self, post) -> bool:
        return post.pinned_at is not None

    def get_my_reactions(self, post) -> list[str]:
        return sorted(post.my_reactions)


class PostCreateSerializer(StrictSerializer):
    group = serializers.SlugField(max_length=140)
    body = serializers.CharField(max_length=MAX_POST_LENGTH)
    kind = serializers.ChoiceField(choices=WRITABLE_POST_KINDS, default=Post.Kind.UPDATE)


class PostUpdateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=MAX_POST_LENGTH)


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    edited_by = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class AcceptAnswerSerializer(StrictSerializer):
    comment = serializers.IntegerField(allow_null=True, min_value=1)


# --- Comments ------------------------------------------------------------------------------


class ReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    post = serializers.IntegerField(source="post_id")
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    author = UserRefSerializer()
    body = serializers.CharField()
    body_html = serializers.CharField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)


class CommentSerializer(ReplySerializer):
    """A top-level comment and its replies (one level: feeds.selectors.comments_page)."""

    author = serializers.SerializerMethodField()
    replies = ReplySerializer(many=True, source="reply_list")

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_author(self, comment) -> dict | None:
        """null for a comment deleted or removed since, kept for its live replies."""
        return UserRefSerializer(comment.author).data if comment.is_live else None


class CommentCreateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=MAX_COMMENT_LENGTH)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class CommentUpdateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=MAX_COMMENT_LENGTH)


# --- Reactions, topics, follows ------------------------------------------------------------


class ReactionInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Reaction.Kind.choices)


class ReactionResultSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="One of: " + ", ".join(Reaction.Kind.values))
    active = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField())


class TopicSerializer(serializers.Serializer):
    name = serializers.CharField()
    post_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, topic) -> str:
        return _absolute(self.context, topic.get_absolute_url())


class FollowResultSerializer(serializers.Serializer):
    following = serializers.BooleanField()


# --- Saved, shares, drafts, praise -----------------------------------------------------------


class SavedResultSerializer(serializers.Serializer):
    saved = serializers.BooleanField()


class ShareCreateSerializer(StrictSerializer):
    group = serializers.SlugField(max_length=140, help_text="Where to share it.")
    body = serializers.CharField(
        max_length=MAX_POST_LENGTH, required=False, allow_blank=True, default=""
    )


class DraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    group = GroupRefSerializer(allow_null=True)
    kind = serializers.CharField()
    body = serializers.CharField()
    state = serializers.ChoiceField(choices=Draft.State.choices)
    publish_at = serializers.DateTimeField(allow_null=True)
    failure = serializers.CharField(help_text="Why a scheduled post was not published.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_url(self, draft) -> str:
        return _absolute(self.context, draft.get_absolute_url())


class DraftCreateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=MAX_POST_LENGTH)
    group = serializers.SlugField(max_length=140, required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=WRITABLE_POST_KINDS, default=Post.Kind.UPDATE)
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Schedule it (in the future)."
    )


class DraftUpdateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=MAX_POST_LENGTH, required=False)
    group = serializers.SlugField(max_length=140, required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=WRITABLE_POST_KINDS, required=False)
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="A time schedules it; null cancels that."
    )


class PraiseCreateSerializer(StrictSerializer):
    group = serializers.SlugField(max_length=140)
    people = serializers.ListField(
        child=serializers.CharField(max_length=150),
        min_length=1,
        max_length=20,
        help_text="Usernames of the people praised.",
    )
    badge = serializers.ChoiceField(choices=Badge.choices)
    body = serializers.CharField(max_length=MAX_POST_LENGTH, help_text="What for.")
