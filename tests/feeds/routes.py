"""Routes of this surface for tests/test_routes.py: route -> (path to request, what an
anonymous visitor gets: LOGIN for pages, API for /api/)."""

from ..route_kinds import API, LOGIN  # noqa: F401

ROUTES: dict = {
    "topics/<str:name>/": ("/topics/x/", LOGIN),
    "topics/<str:name>/follow/": ("/topics/x/follow/", LOGIN),
    "posts/new/": ("/posts/new/", LOGIN),
    "posts/preview/": ("/posts/preview/", LOGIN),
    "suggest/topics/": ("/suggest/topics/?q=a", LOGIN),
    "posts/<int:post_id>/": ("/posts/1/", LOGIN),
    "posts/<int:post_id>/edit/": ("/posts/1/edit/", LOGIN),
    "posts/<int:post_id>/delete/": ("/posts/1/delete/", LOGIN),
    "posts/<int:post_id>/comments/": ("/posts/1/comments/", LOGIN),
    "posts/<int:post_id>/react/": ("/posts/1/react/", LOGIN),
    "posts/<int:post_id>/accept/": ("/posts/1/accept/", LOGIN),
    "posts/<int:post_id>/pin/": ("/posts/1/pin/", LOGIN),
    "posts/<int:post_id>/close/": ("/posts/1/close/", LOGIN),
    "posts/<int:post_id>/remove/": ("/posts/1/remove/", LOGIN),
    "posts/<int:post_id>/report/": ("/posts/1/report/", LOGIN),
    "posts/<int:post_id>/attachments/<int:attachment_id>/": ("/posts/1/attachments/1/", LOGIN),
    "comments/<int:comment_id>/delete/": ("/comments/1/delete/", LOGIN),
    "comments/<int:comment_id>/remove/": ("/comments/1/remove/", LOGIN),
    "comments/<int:comment_id>/report/": ("/comments/1/report/", LOGIN),
    "people/<str:username>/posts/": ("/people/a/posts/", LOGIN),
    "people/<str:username>/follow/": ("/people/a/follow/", LOGIN),
    "posts/saved/": ("/posts/saved/", LOGIN),
    "posts/<int:post_id>/save/": ("/posts/1/save/", LOGIN),
    "posts/<int:post_id>/share/": ("/posts/1/share/", LOGIN),
    "posts/<int:post_id>/original/": ("/posts/1/original/", LOGIN),
    "posts/drafts/": ("/posts/drafts/", LOGIN),
    "posts/drafts/<int:draft_id>/": ("/posts/drafts/1/", LOGIN),
    "praise/new/": ("/praise/new/", LOGIN),
}
