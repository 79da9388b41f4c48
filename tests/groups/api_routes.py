"""Routes of this surface for tests/test_routes.py: route -> (path to request, what an
anonymous visitor gets: LOGIN for pages, API for /api/)."""

from ..route_kinds import API, LOGIN  # noqa: F401

ROUTES: dict = {
    "api/v1/groups/": ("/api/v1/groups/", API),
    "api/v1/groups/<slug:slug>/": ("/api/v1/groups/x/", API),
    "api/v1/groups/<slug:slug>/join/": ("/api/v1/groups/x/join/", API),
    "api/v1/groups/<slug:slug>/leave/": ("/api/v1/groups/x/leave/", API),
    "api/v1/groups/<slug:slug>/members/": ("/api/v1/groups/x/members/", API),
    "api/v1/groups/<slug:slug>/members/<str:username>/": ("/api/v1/groups/x/members/y/", API),
    "api/v1/groups/<slug:slug>/join-requests/": ("/api/v1/groups/x/join-requests/", API),
    "api/v1/groups/<slug:slug>/join-requests/<int:request_id>/approve/": (
        "/api/v1/groups/x/join-requests/1/approve/",
        API,
    ),
    "api/v1/groups/<slug:slug>/join-requests/<int:request_id>/deny/": (
        "/api/v1/groups/x/join-requests/1/deny/",
        API,
    ),
    "api/v1/groups/<slug:slug>/reports/": ("/api/v1/groups/x/reports/", API),
    "api/v1/groups/<slug:slug>/audit-log/": ("/api/v1/groups/x/audit-log/", API),
    "api/v1/reports/": ("/api/v1/reports/", API),
    "api/v1/reports/<int:report_id>/dismiss/": ("/api/v1/reports/1/dismiss/", API),
}
