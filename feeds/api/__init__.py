"""The posts API: feeds, posts, comments, reactions, topics and follows.

Every list of posts is the same pipeline: a feed selector (built on visible_posts) → a
keyset page of ids and versions → the posts' cards (feeds/cards.py: kept per version, made
by decorate_for_everyone and PostSerializer when missing) with the reader's own reactions,
so a page costs the same number of queries whatever its size and however busy its posts
are. The home feed's page is one query compiled once per process (selectors.home_feed_page).

The API by responsibility: feeds (home, group, topic and person posts), posts (writing,
reading, editing, deleting, revisions, accepting an answer), comments, reactions,
moderation (the leaders' actions and reports), follows (and the most used topics), and
common (the cards pipeline, which feeds.posting_api shares). feeds/api_urls.py reads them
from here.
"""

from .comments import CommentDetailApi, PostCommentsApi
from .common import PAGE_OF_POSTS, post_data, posts_response, serialize_posts
from .feeds import GroupPostsApi, HomeFeedApi, PersonPostsApi, TopicPostsApi
from .follows import PersonFollowApi, TopicFollowApi, TopicListApi
from .moderation import (
    CommentRemoveApi,
    PostCloseCommentsApi,
    PostOpenCommentsApi,
    PostPinApi,
    PostRemoveApi,
    PostUnpinApi,
    ReportCreateApi,
)
from .posts import PostAcceptAnswerApi, PostCreateApi, PostDetailApi, PostRevisionsApi
from .reactions import PostReactionsApi

__all__ = [
    "PAGE_OF_POSTS",
    "CommentDetailApi",
    "CommentRemoveApi",
    "GroupPostsApi",
    "HomeFeedApi",
    "PersonFollowApi",
    "PersonPostsApi",
    "PostAcceptAnswerApi",
    "PostCloseCommentsApi",
    "PostCommentsApi",
    "PostCreateApi",
    "PostDetailApi",
    "PostOpenCommentsApi",
    "PostPinApi",
    "PostReactionsApi",
    "PostRemoveApi",
    "PostRevisionsApi",
    "PostUnpinApi",
    "ReportCreateApi",
    "TopicFollowApi",
    "TopicListApi",
    "TopicPostsApi",
    "post_data",
    "posts_response",
    "serialize_posts",
]
