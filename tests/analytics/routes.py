"""Community analytics routes for the route gate (tests/test_routes.py); who sees the
figures is tested in test_analytics.py."""

from ..route_kinds import API, LOGIN

ROUTES = {
    "groups/<slug:slug>/insights/": ("/groups/g/insights/", LOGIN),
    "analytics/": ("/analytics/", LOGIN),
    "api/v1/groups/<slug:slug>/analytics/": ("/api/v1/groups/g/analytics/", API),
    "api/v1/analytics/company/": ("/api/v1/analytics/company/", API),
}
