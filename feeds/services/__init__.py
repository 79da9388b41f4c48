"""Every write to posts, comments, reactions and follows: `verb_noun(*, actor, ...)`.

Permission is checked before anything is written (ApplicationError, status 403 or 400 with
the field); each write is one transaction.

The writes by responsibility: posts (starting, publishing, editing and deleting a post, the
company announcement), comments (and accepting an answer), reactions, follows, access (who
may write where), text (cleaning and rendering a body: mentions, topics; the preview),
counters (what a post's card counts), attachments (renaming files stored under their
uploader's name). The leaders' actions are feeds.moderation. Callers import from here:
`from feeds import services`.
"""

from ..models import MAX_COMMENT_LENGTH, MAX_POST_LENGTH
from .access import check_can_start_post
from .attachments import rename_legacy_attachment_file
from .comments import (
    accept_answer,
    create_comment,
    delete_comment,
    edit_comment,
    take_comment_down,
)
from .counters import record_card_change, recount_posts
from .follows import follow_person, follow_topic
from .posts import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    create_post,
    delete_post,
    edit_post,
    post_company_announcement,
    publish_post,
)
from .reactions import toggle_reaction
from .text import clean_body, render_body, rerender_mentions

__all__ = [
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_COMMENT_LENGTH",
    "MAX_POST_LENGTH",
    "accept_answer",
    "check_can_start_post",
    "clean_body",
    "create_comment",
    "create_post",
    "delete_comment",
    "delete_post",
    "edit_comment",
    "edit_post",
    "follow_person",
    "follow_topic",
    "post_company_announcement",
    "publish_post",
    "record_card_change",
    "recount_posts",
    "rename_legacy_attachment_file",
    "render_body",
    "rerender_mentions",
    "take_comment_down",
    "toggle_reaction",
]
