"""Routes of this surface for tests/test_routes.py: route -> (path to request, what an
anonymous visitor gets: LOGIN for pages, API for /api/)."""

from ..route_kinds import API, LOGIN  # noqa: F401

ROUTES: dict = {
    "groups/": ("/groups/", LOGIN),
    "groups/<slug:slug>/": ("/groups/x/", LOGIN),
    "groups/<slug:slug>/members/": ("/groups/x/members/", LOGIN),
    "groups/<slug:slug>/about/": ("/groups/x/about/", LOGIN),
    "groups/<slug:slug>/moderation/": ("/groups/x/moderation/", LOGIN),
    "groups/<slug:slug>/edit/": ("/groups/x/edit/", LOGIN),
    "groups/<slug:slug>/cover/<str:name>": ("/groups/x/cover/a.png", LOGIN),
    "groups/<slug:slug>/join/": ("/groups/x/join/", LOGIN),
    "groups/<slug:slug>/join/cancel/": ("/groups/x/join/cancel/", LOGIN),
    "groups/<slug:slug>/leave/": ("/groups/x/leave/", LOGIN),
    "groups/<slug:slug>/invite/": ("/groups/x/invite/", LOGIN),
    "groups/<slug:slug>/requests/<int:request_id>/": ("/groups/x/requests/1/", LOGIN),
    "groups/<slug:slug>/reports/<int:report_id>/": ("/groups/x/reports/1/", LOGIN),
    "groups/<slug:slug>/members/<str:username>/remove/": ("/groups/x/members/a/remove/", LOGIN),
    "groups/<slug:slug>/members/<str:username>/mute/": ("/groups/x/members/a/mute/", LOGIN),
    "groups/<slug:slug>/members/<str:username>/role/": ("/groups/x/members/a/role/", LOGIN),
}
