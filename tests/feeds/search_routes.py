"""Routes of this surface for tests/test_routes.py: route -> (path to request, what an
anonymous visitor gets: LOGIN for pages, API for /api/)."""

from ..route_kinds import API, LOGIN

ROUTES: dict = {
    "search/": ("/search/?q=x", LOGIN),
    "api/v1/search/": ("/api/v1/search/?q=x", API),
}
