"""Routes of the campaign pages for tests/test_routes.py."""

from ..route_kinds import LOGIN

ROUTES: dict = {
    "campaigns/": ("/campaigns/", LOGIN),
    "campaigns/new/": ("/campaigns/new/", LOGIN),
    "campaigns/<int:campaign_id>/": ("/campaigns/1/", LOGIN),
    "campaigns/<int:campaign_id>/edit/": ("/campaigns/1/edit/", LOGIN),
    "campaigns/<int:campaign_id>/open/": ("/campaigns/1/open/", LOGIN),
    "campaigns/<int:campaign_id>/close/": ("/campaigns/1/close/", LOGIN),
    "campaigns/<int:campaign_id>/contribute/": ("/campaigns/1/contribute/", LOGIN),
    "campaigns/<int:campaign_id>/contributions/<int:contribution_id>/photo/": (
        "/campaigns/1/contributions/1/photo/",
        LOGIN,
    ),
    "campaigns/<int:campaign_id>/contributions/<int:contribution_id>/pick/": (
        "/campaigns/1/contributions/1/pick/",
        LOGIN,
    ),
    "campaigns/<int:campaign_id>/shares/": ("/campaigns/1/shares/", LOGIN),
    "campaigns/<int:campaign_id>/shares/<int:share_post_id>/record/": (
        "/campaigns/1/shares/1/record/",
        LOGIN,
    ),
    "campaigns/<int:campaign_id>/shares/<int:share_post_id>/text/": (
        "/campaigns/1/shares/1/text/",
        LOGIN,
    ),
    "campaigns/<int:campaign_id>/report/": ("/campaigns/1/report/", LOGIN),
    "campaigns/<int:campaign_id>/report.csv": ("/campaigns/1/report.csv", LOGIN),
}
