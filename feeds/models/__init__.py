"""The feed's tables by subject: posts (topics, posts, their revisions, comments, reactions,
badges), attachments, and what people keep (follows, saved posts, drafts). Every model and
constant is imported from here: `from feeds.models import Post, Comment`."""

from .attachments import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_FOLDER,
    IMAGE_MAX_HEIGHT,
    Attachment,
)
from .keeping import (
    Draft,
    PersonFollow,
    SavedPost,
    TopicFollow,
)
from .posts import (
    BADGE_EMOJI,
    MAX_COMMENT_LENGTH,
    MAX_POST_LENGTH,
    REACTION_EMOJI,
    WRITABLE_POST_KINDS,
    Badge,
    Comment,
    Post,
    PostRevision,
    Reaction,
    Topic,
)

__all__ = [
    "MAX_POST_LENGTH",
    "MAX_COMMENT_LENGTH",
    "Topic",
    "Post",
    "WRITABLE_POST_KINDS",
    "PostRevision",
    "Comment",
    "Reaction",
    "REACTION_EMOJI",
    "Badge",
    "BADGE_EMOJI",
    "ATTACHMENT_FOLDER",
    "IMAGE_MAX_HEIGHT",
    "ATTACHMENT_EXTENSIONS",
    "Attachment",
    "TopicFollow",
    "PersonFollow",
    "SavedPost",
    "Draft",
]
