"""API routes of the policies surface for tests/test_routes.py and the schema test."""

from ..route_kinds import API

ROUTES: dict = {
    "api/v1/policies/current/": ("/api/v1/policies/current/", API),
    "api/v1/policies/me/": ("/api/v1/policies/me/", API),
    "api/v1/policies/versions/": ("/api/v1/policies/versions/", API),
    "api/v1/policies/versions/<int:number>/": ("/api/v1/policies/versions/1/", API),
    "api/v1/policies/versions/<int:number>/publish/": ("/api/v1/policies/versions/1/publish/", API),
    "api/v1/policies/versions/<int:number>/acknowledge/": (
        "/api/v1/policies/versions/1/acknowledge/",
        API,
    ),
    "api/v1/policies/versions/<int:number>/quiz/": ("/api/v1/policies/versions/1/quiz/", API),
    "api/v1/policies/diff/": ("/api/v1/policies/diff/", API),
    "api/v1/policies/quiz/": ("/api/v1/policies/quiz/", API),
    "api/v1/policies/quiz/attempts/": ("/api/v1/policies/quiz/attempts/", API),
    "api/v1/policies/settings/": ("/api/v1/policies/settings/", API),
    "api/v1/policies/report/": ("/api/v1/policies/report/", API),
    "api/v1/policies/representatives/": ("/api/v1/policies/representatives/", API),
    "api/v1/policies/representatives/<str:username>/revoke/": (
        "/api/v1/policies/representatives/x/revoke/",
        API,
    ),
    "api/v1/policies/accounts/": ("/api/v1/policies/accounts/", API),
    "api/v1/policies/accounts/<int:account_id>/": ("/api/v1/policies/accounts/1/", API),
    "api/v1/policies/accounts/<int:account_id>/authorizations/": (
        "/api/v1/policies/accounts/1/authorizations/",
        API,
    ),
    "api/v1/policies/accounts/<int:account_id>/authorizations/<str:username>/": (
        "/api/v1/policies/accounts/1/authorizations/x/",
        API,
    ),
    "api/v1/policies/accounts/<int:account_id>/handover/": (
        "/api/v1/policies/accounts/1/handover/",
        API,
    ),
    "api/v1/policies/offboarding/": ("/api/v1/policies/offboarding/", API),
    "api/v1/policies/offboarding/preview/": ("/api/v1/policies/offboarding/preview/", API),
    "api/v1/policies/audit-log/": ("/api/v1/policies/audit-log/", API),
}
