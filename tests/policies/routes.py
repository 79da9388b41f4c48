"""Routes of this surface for tests/test_routes.py: route -> (path to request, what an
anonymous visitor gets: LOGIN for pages, API for /api/)."""

from ..route_kinds import LOGIN

ROUTES: dict = {
    "policies/": ("/policies/", LOGIN),
    "policies/versions/": ("/policies/versions/", LOGIN),
    "policies/versions/<int:number>/": ("/policies/versions/1/", LOGIN),
    "policies/versions/<int:number>/publish/": ("/policies/versions/1/publish/", LOGIN),
    "policies/versions/<int:number>/acknowledge/": ("/policies/versions/1/acknowledge/", LOGIN),
    "policies/versions/<int:number>/quiz/": ("/policies/versions/1/quiz/", LOGIN),
    "policies/diff/": ("/policies/diff/", LOGIN),
    "policies/quiz/": ("/policies/quiz/", LOGIN),
    "policies/report/": ("/policies/report/", LOGIN),
    "policies/report.csv": ("/policies/report.csv", LOGIN),
    "policies/representatives/": ("/policies/representatives/", LOGIN),
    "policies/accounts/": ("/policies/accounts/", LOGIN),
    "policies/accounts/<int:account_id>/": ("/policies/accounts/1/", LOGIN),
    "policies/accounts/<int:account_id>/authorize/": ("/policies/accounts/1/authorize/", LOGIN),
    "policies/accounts/<int:account_id>/handover/": ("/policies/accounts/1/handover/", LOGIN),
    "policies/settings/": ("/policies/settings/", LOGIN),
    "policies/offboard/": ("/policies/offboard/", LOGIN),
    "policies/audit/": ("/policies/audit/", LOGIN),
    "policies/representatives/<str:username>/revoke/": (
        "/policies/representatives/x/revoke/",
        LOGIN,
    ),
    "policies/accounts/<int:account_id>/revoke/<str:username>/": (
        "/policies/accounts/1/revoke/x/",
        LOGIN,
    ),
}
