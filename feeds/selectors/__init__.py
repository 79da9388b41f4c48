"""Every read of posts, comments and reactions goes through visible_posts(user).

The home feed, group, topic and person feeds, post pages, search, the API and (later) live
delivery and digests are all built on it, so a rule about who may read a post is written
once: a live post in a group the user may read (groups.selectors.readable_group_q).

The reads by responsibility: visibility (the rule, and one post or comment loaded through
it), feeds (home, group, topic and person feeds, pinned posts, follows), display (what a
feed card shows, in a constant number of queries), posts (a post's page: comments,
revisions, attachments), topics, saved posts, drafts and praise. Callers import from here:
`from feeds import selectors`.
"""

from .display import (
    LATEST_COMMENTS,
    attach_my_reactions,
    attach_shared_originals,
    card_keys,
    decorate_for_everyone,
    decorate_posts,
    for_display,
    get_shared_original,
    posts_for_display,
)
from .drafts import OPEN_DRAFT_STATES, drafts_of, get_own_draft
from .feeds import (
    FEED_ORDER,
    FEED_TYPES,
    REACTION_KINDS,
    FeedRow,
    follows_person,
    follows_topic,
    group_feed,
    home_feed,
    home_feed_page,
    home_feed_page_read,
    person_feed,
    pinned_posts,
    topic_feed,
)
from .posts import (
    COMPANY_ANNOUNCEMENT_JOB,
    REPLY_PAGE,
    THREAD_PAGE,
    Window,
    announcement_progress,
    announcement_subject,
    comments_page,
    get_attachment,
    get_removed_post_for_author,
    revisions_of,
    tells_company,
    thread_of,
)
from .praise import praise_received, praise_summary, profile_praise
from .saved import is_saved, saved_entries
from .topics import get_readable_topic, get_topic, popular_topics, suggest_topics
from .visibility import (
    get_visible_comment,
    get_visible_post,
    searchable_comments,
    searchable_posts,
    visible_comments,
    visible_posts,
)

__all__ = [
    "COMPANY_ANNOUNCEMENT_JOB",
    "FEED_ORDER",
    "FEED_TYPES",
    "LATEST_COMMENTS",
    "REPLY_PAGE",
    "OPEN_DRAFT_STATES",
    "REACTION_KINDS",
    "THREAD_PAGE",
    "FeedRow",
    "Window",
    "announcement_progress",
    "announcement_subject",
    "attach_my_reactions",
    "attach_shared_originals",
    "card_keys",
    "comments_page",
    "decorate_for_everyone",
    "decorate_posts",
    "drafts_of",
    "follows_person",
    "follows_topic",
    "for_display",
    "get_attachment",
    "get_own_draft",
    "get_readable_topic",
    "get_removed_post_for_author",
    "get_shared_original",
    "get_topic",
    "get_visible_comment",
    "get_visible_post",
    "group_feed",
    "home_feed",
    "home_feed_page",
    "home_feed_page_read",
    "is_saved",
    "person_feed",
    "pinned_posts",
    "popular_topics",
    "posts_for_display",
    "praise_received",
    "praise_summary",
    "profile_praise",
    "revisions_of",
    "saved_entries",
    "searchable_comments",
    "searchable_posts",
    "suggest_topics",
    "tells_company",
    "thread_of",
    "topic_feed",
    "visible_comments",
    "visible_posts",
]
