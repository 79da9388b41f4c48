"""Input and output shapes of the posts API. Output serializers read what
feeds.selectors.decorate_posts loaded: they never query."""

from rest_framework import serializers

from core.api import StrictSerializer
from groups.serializers import GroupRefSerializer
from people.serializers import UserRefSerializer

from .models import MAX_COMMENT_LENGTH, MAX_POST_LENGTH, Post, Reaction


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


class PostSerializer(serializers.Serializer):
    """A post as a feed shows it. `body_html` is sanitized by the Markdown door."""

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

    def get_url(self, post) -> str:
        return _absolute(self.context, post.get_absolute_url())

    def get_pinned(self, post) -> bool:
        return post.pinned_at is not None

    def get_my_reactions(self, post) -> list[str]:
        return sorted(post.my_reactions)


class PostCreateSerializer(StrictSerializer):
    group = serializers.SlugField(max_length=140)
    body = serializers.CharField(max_length=MAX_POST_LENGTH)
    kind = serializers.ChoiceField(choices=Post.Kind.choices, default=Post.Kind.UPDATE)


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
    """A top-level comment and its replies (one level: feeds.selectors.comments_of)."""

    replies = ReplySerializer(many=True, source="reply_list")


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
