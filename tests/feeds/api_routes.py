"""Routes of this surface for tests/test_routes.py: route -> (path to request, what an
anonymous visitor gets: LOGIN for pages, API for /api/)."""

from ..route_kinds import API, LOGIN  # noqa: F401

ROUTES: dict = {
    "api/v1/feed/": ("/api/v1/feed/", API),
    "api/v1/groups/<slug:slug>/posts/": ("/api/v1/groups/x/posts/", API),
    "api/v1/posts/": ("/api/v1/posts/", API),
    "api/v1/posts/<int:post_id>/": ("/api/v1/posts/1/", API),
    "api/v1/posts/<int:post_id>/revisions/": ("/api/v1/posts/1/revisions/", API),
    "api/v1/posts/<int:post_id>/remove/": ("/api/v1/posts/1/remove/", API),
    "api/v1/posts/<int:post_id>/pin/": ("/api/v1/posts/1/pin/", API),
    "api/v1/posts/<int:post_id>/unpin/": ("/api/v1/posts/1/unpin/", API),
    "api/v1/posts/<int:post_id>/close-comments/": ("/api/v1/posts/1/close-comments/", API),
    "api/v1/posts/<int:post_id>/open-comments/": ("/api/v1/posts/1/open-comments/", API),
    "api/v1/posts/<int:post_id>/accept/": ("/api/v1/posts/1/accept/", API),
    "api/v1/posts/<int:post_id>/comments/": ("/api/v1/posts/1/comments/", API),
    "api/v1/posts/<int:post_id>/reactions/": ("/api/v1/posts/1/reactions/", API),
    "api/v1/comments/<int:comment_id>/": ("/api/v1/comments/1/", API),
    "api/v1/comments/<int:comment_id>/remove/": ("/api/v1/comments/1/remove/", API),
    "api/v1/topics/": ("/api/v1/topics/", API),
    "api/v1/topics/<str:name>/posts/": ("/api/v1/topics/x/posts/", API),
    "api/v1/topics/<str:name>/follow/": ("/api/v1/topics/x/follow/", API),
    "api/v1/people/<str:username>/posts/": ("/api/v1/people/ana.garcia/posts/", API),
    "api/v1/people/<str:username>/follow/": ("/api/v1/people/ana.garcia/follow/", API),
    "api/v1/posts/saved/": ("/api/v1/posts/saved/", API),
    "api/v1/posts/<int:post_id>/save/": ("/api/v1/posts/1/save/", API),
    "api/v1/posts/<int:post_id>/share/": ("/api/v1/posts/1/share/", API),
    "api/v1/posts/drafts/": ("/api/v1/posts/drafts/", API),
    "api/v1/posts/drafts/<int:draft_id>/": ("/api/v1/posts/drafts/1/", API),
    "api/v1/posts/drafts/<int:draft_id>/publish/": ("/api/v1/posts/drafts/1/publish/", API),
    "api/v1/posts/praise/": ("/api/v1/posts/praise/", API),
    "api/v1/people/<str:username>/praise/": ("/api/v1/people/ana.garcia/praise/", API),
}
