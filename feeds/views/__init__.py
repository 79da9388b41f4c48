"""Feed pages and their htmx fragments: a group's feed tab, topic and person feeds, the
post page, compose, comments, reactions, follows, and the moderation actions on a post
(and the leaders' decisions on reports, from the group's moderation tab).

Every view parses its input, asks one selector or service, and renders. Services raise
ApplicationError: a form shows it as a field error (with the text kept); anywhere else
core.middleware.ApplicationErrorMiddleware answers it (400/403/404/409 page, or an alert
for htmx).

The pages by responsibility: composer (posting, drafts, the preview, topic
suggestions), posts (the post page, its edits, comments and reactions), moderation (the
leaders' actions and reports), feeds (group, topic, person and home feeds, follows),
catch_up (live catch-up), and common (what the pages share, the home page and
feeds.posting_views too). feeds/urls.py and feeds/group_urls.py read them from here.
"""

from .catch_up import SINCE_LIMIT, SINCE_MAX_IDS, since
from .common import (
    FEED_PAGE_SIZE,
    back,
    compose_context,
    decorate,
    feed_page,
    fragment_error,
)
from .composer import (
    compose,
    compose_draft,
    in_my_zone,
    my_zone,
    preview,
    suggest_topics,
)
from .feeds import (
    follow_person,
    follow_topic,
    group_feed,
    home_feed_context,
    person_feed,
    topic,
)
from .moderation import (
    close_comments,
    decide_report,
    pin_post,
    remove_comment,
    remove_post,
    report_comment,
    report_post,
)
from .posts import (
    accept_answer,
    attachment,
    comment,
    delete_comment,
    delete_post,
    edit_post,
    post_detail,
    react,
)

__all__ = [
    "FEED_PAGE_SIZE",
    "SINCE_LIMIT",
    "SINCE_MAX_IDS",
    "accept_answer",
    "attachment",
    "back",
    "close_comments",
    "comment",
    "compose",
    "compose_context",
    "compose_draft",
    "decide_report",
    "decorate",
    "delete_comment",
    "delete_post",
    "edit_post",
    "feed_page",
    "follow_person",
    "follow_topic",
    "fragment_error",
    "group_feed",
    "home_feed_context",
    "in_my_zone",
    "my_zone",
    "person_feed",
    "pin_post",
    "post_detail",
    "preview",
    "react",
    "remove_comment",
    "remove_post",
    "report_comment",
    "report_post",
    "since",
    "suggest_topics",
    "topic",
]
