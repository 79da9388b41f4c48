"""API routes of the campaigns surface for tests/test_routes.py and the schema test."""

from ..route_kinds import API

ROUTES: dict = {
    "api/v1/campaigns/": ("/api/v1/campaigns/", API),
    "api/v1/campaigns/<int:campaign_id>/": ("/api/v1/campaigns/1/", API),
    "api/v1/campaigns/<int:campaign_id>/status/": ("/api/v1/campaigns/1/status/", API),
    "api/v1/campaigns/<int:campaign_id>/contributions/": (
        "/api/v1/campaigns/1/contributions/",
        API,
    ),
    "api/v1/campaigns/<int:campaign_id>/contributions/<int:contribution_id>/pick/": (
        "/api/v1/campaigns/1/contributions/1/pick/",
        API,
    ),
    "api/v1/campaigns/<int:campaign_id>/posts/": ("/api/v1/campaigns/1/posts/", API),
    "api/v1/campaigns/<int:campaign_id>/posts/<int:share_post_id>/": (
        "/api/v1/campaigns/1/posts/1/",
        API,
    ),
    "api/v1/campaigns/<int:campaign_id>/posts/<int:share_post_id>/shares/": (
        "/api/v1/campaigns/1/posts/1/shares/",
        API,
    ),
    "api/v1/campaigns/<int:campaign_id>/report/": ("/api/v1/campaigns/1/report/", API),
}
