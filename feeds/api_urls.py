from django.urls import path

from . import api, posting_api

# The home feed is the API's most read URL: config/urls.py puts it near the top of the API's
# patterns, since every pattern above a URL is tried before it (resolving it after the people
# and groups patterns cost about 48 us of a page's CPU, bench/feed.py).
feed_urlpatterns = [
    path("feed/", api.HomeFeedApi.as_view(), name="feed"),
]

urlpatterns = [
    path("groups/<slug:slug>/posts/", api.GroupPostsApi.as_view(), name="group-posts"),
    path("posts/", api.PostCreateApi.as_view(), name="post-create"),
    path("posts/<int:post_id>/", api.PostDetailApi.as_view(), name="post-detail"),
    path("posts/<int:post_id>/revisions/", api.PostRevisionsApi.as_view(), name="post-revisions"),
    path("posts/<int:post_id>/remove/", api.PostRemoveApi.as_view(), name="post-remove"),
    path("posts/<int:post_id>/pin/", api.PostPinApi.as_view(), name="post-pin"),
    path("posts/<int:post_id>/unpin/", api.PostUnpinApi.as_view(), name="post-unpin"),
    path(
        "posts/<int:post_id>/close-comments/",
        api.PostCloseCommentsApi.as_view(),
        name="post-close-comments",
    ),
    path(
        "posts/<int:post_id>/open-comments/",
        api.PostOpenCommentsApi.as_view(),
        name="post-open-comments",
    ),
    path("posts/<int:post_id>/accept/", api.PostAcceptAnswerApi.as_view(), name="post-accept"),
    path("posts/<int:post_id>/comments/", api.PostCommentsApi.as_view(), name="post-comments"),
    path("posts/<int:post_id>/reactions/", api.PostReactionsApi.as_view(), name="post-reactions"),
    path("comments/<int:comment_id>/", api.CommentDetailApi.as_view(), name="comment-detail"),
    path(
        "comments/<int:comment_id>/remove/", api.CommentRemoveApi.as_view(), name="comment-remove"
    ),
    path("reports/", api.ReportCreateApi.as_view(), name="report-create"),
    path("topics/", api.TopicListApi.as_view(), name="topic-list"),
    path("topics/<str:name>/posts/", api.TopicPostsApi.as_view(), name="topic-posts"),
    path("topics/<str:name>/follow/", api.TopicFollowApi.as_view(), name="topic-follow"),
    path("people/<str:username>/posts/", api.PersonPostsApi.as_view(), name="person-posts"),
    path("people/<str:username>/follow/", api.PersonFollowApi.as_view(), name="person-follow"),
    path("posts/saved/", posting_api.SavedPostsApi.as_view(), name="saved-posts"),
    path("posts/<int:post_id>/save/", posting_api.PostSaveApi.as_view(), name="post-save"),
    path("posts/<int:post_id>/share/", posting_api.PostShareApi.as_view(), name="post-share"),
    path("posts/drafts/", posting_api.DraftListApi.as_view(), name="draft-list"),
    path("posts/drafts/<int:draft_id>/", posting_api.DraftDetailApi.as_view(), name="draft-detail"),
    path(
        "posts/drafts/<int:draft_id>/publish/",
        posting_api.DraftPublishApi.as_view(),
        name="draft-publish",
    ),
    path("posts/praise/", posting_api.PraiseCreateApi.as_view(), name="praise-create"),
    path(
        "people/<str:username>/praise/",
        posting_api.PersonPraiseApi.as_view(),
        name="person-praise",
    ),
]
