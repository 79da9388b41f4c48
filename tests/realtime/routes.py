"""Routes of the live surface for tests/test_routes.py: route -> (path to request, what an
anonymous visitor gets)."""

from ..route_kinds import LOGIN

ROUTES: dict = {
    "posts/since/": ("/posts/since/", LOGIN),
}
