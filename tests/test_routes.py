"""Every route is known to this file, and none answers a stranger with content.

A new URL pattern fails test_every_route_is_listed until someone decides here who may
reach it: that is how a page nobody thought about does not ship open.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .agenda import routes as agenda_routes
from .analytics import routes as analytics_routes
from .campaigns import api_routes as campaign_api_routes
from .campaigns import routes as campaign_routes
from .crisis import routes as crisis_routes
from .directory import routes as directory_routes
from .feeds import api_routes as feed_api_routes
from .feeds import routes as feed_routes
from .feeds import search_routes
from .groups import api_routes as group_api_routes
from .groups import routes as group_routes
from .knowledge import routes as knowledge_routes
from .library import routes as library_routes
from .messaging import routes as messaging_routes
from .monitoring import routes as monitoring_routes
from .notifications import routes as notification_routes
from .policies import api_routes as policy_api_routes
from .policies import routes as policy_routes
from .polls import routes as poll_routes
from .realtime import routes as realtime_routes
from .route_kinds import API, CLOSED, LOGIN, PUBLIC, TOKEN
from .routing import routes as routing_routes

pytestmark = pytest.mark.django_db

# route -> (a concrete path to request, what an anonymous visitor gets)
ROUTES = {
    "": ("/", LOGIN),
    "healthz": ("/healthz", PUBLIC),
    "readyz": ("/readyz", PUBLIC),
    "metrics": ("/metrics", CLOSED),
    "bulk-jobs/<int:pk>/": ("/bulk-jobs/1/", LOGIN),
    "people/": ("/people/", LOGIN),
    "people/me/": ("/people/me/", LOGIN),
    "people/me/edit/": ("/people/me/edit/", LOGIN),
    "people/me/token/": ("/people/me/token/", LOGIN),
    "people/me/sign-out-everywhere/": ("/people/me/sign-out-everywhere/", LOGIN),
    "people/me/data/": ("/people/me/data/", LOGIN),
    "people/me/data/<int:export_id>/download/": ("/people/me/data/1/download/?key=x", LOGIN),
    "people/experts/": ("/people/experts/", LOGIN),
    "people/org/": ("/people/org/", LOGIN),
    "people/org/<str:username>/": ("/people/org/ana.garcia/", LOGIN),
    "people/suggest/": ("/people/suggest/?q=a", LOGIN),
    "people/pick/": ("/people/pick/?q=a", LOGIN),
    "people/<str:username>/": ("/people/ana.garcia/", LOGIN),
    "media/avatars/<str:name>": ("/media/avatars/x.png", LOGIN),
    "accounts/login/": ("/accounts/login/", PUBLIC),
    "accounts/login/ (django)": ("/accounts/login/", PUBLIC),
    "accounts/logout/": ("/accounts/logout/", PUBLIC),
    "accounts/password_change/": ("/accounts/password_change/", LOGIN),
    "accounts/password_change/done/": ("/accounts/password_change/done/", LOGIN),
    "accounts/password_reset/": ("/accounts/password_reset/", PUBLIC),
    "accounts/password_reset/done/": ("/accounts/password_reset/done/", PUBLIC),
    "accounts/reset/<uidb64>/<token>/": ("/accounts/reset/MQ/set-password/", PUBLIC),
    "accounts/reset/done/": ("/accounts/reset/done/", PUBLIC),
    "admin/login/": ("/admin/login/", PUBLIC),
    "admin/": ("/admin/", LOGIN),
    "api/v1/auth/token/": ("/api/v1/auth/token/", PUBLIC),
    "api/v1/people/": ("/api/v1/people/", API),
    "api/v1/people/me/": ("/api/v1/people/me/", API),
    "api/v1/people/me/avatar/": ("/api/v1/people/me/avatar/", API),
    "api/v1/people/me/sign-out-everywhere/": ("/api/v1/people/me/sign-out-everywhere/", API),
    "api/v1/people/<str:username>/": ("/api/v1/people/ana.garcia/", API),
    "api/v1/people/me/data/": ("/api/v1/people/me/data/", API),
    "api/v1/people/me/data/<int:export_id>/download/": ("/api/v1/people/me/data/1/download/", API),
    "api/v1/people/<str:username>/data/": ("/api/v1/people/ana.garcia/data/", API),
    "api/v1/departments/": ("/api/v1/departments/", API),
    "api/schema/": ("/api/schema/", API),
    "api/docs/": ("/api/docs/", LOGIN),
}
# Each surface keeps its routes beside its tests; the gate sees them all.
for _surface in (
    group_routes,
    group_api_routes,
    feed_routes,
    feed_api_routes,
    search_routes,
    policy_routes,
    policy_api_routes,
    routing_routes,
    monitoring_routes,
    knowledge_routes,
    notification_routes,
    messaging_routes,
    realtime_routes,
    directory_routes,
    crisis_routes,
    campaign_routes,
    campaign_api_routes,
    poll_routes,
    agenda_routes,
    library_routes,
    analytics_routes,
):
    _overlap = set(_surface.ROUTES) & set(ROUTES)
    assert not _overlap, f"listed twice: {_overlap}"
    ROUTES.update(_surface.ROUTES)


def app_routes() -> set[str]:
    """The project's own routes (the admin's internals are Django's and all need staff)."""
    routes: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            text = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if text == "admin/":
                    routes.add(text)
                    continue
                walk(p.url_patterns, text)
            elif isinstance(p, URLPattern):
                routes.add(text)

    walk(get_resolver().url_patterns, "")
    return routes


def test_every_route_is_listed():
    known = {r.removesuffix(" (django)") for r in ROUTES}
    assert app_routes() - known == set(), "decide who may reach these routes, in ROUTES"
    assert known - app_routes() == set(), "ROUTES lists routes that no longer exist"


@pytest.mark.parametrize(("route", "expected"), list(ROUTES.items()))
def test_anonymous_visitor(client, route, expected):
    path, kind = expected
    response = client.get(path)
    if kind == LOGIN:
        assert response.status_code == 302, route
        if response.url.startswith("/admin/login/"):  # the admin's own redirect, then ours
            response = client.get(response.url)
        assert response.url.startswith("/accounts/login/"), route
    elif kind == API:
        assert response.status_code in (401, 403), route
        assert b"detail" in response.content
    elif kind == CLOSED:
        assert response.status_code in (401, 403), route
    elif kind == TOKEN:
        assert response.status_code == 404, route
    else:
        assert response.status_code in (200, 302, 405), route
        if response.status_code == 302:
            assert not response.url.startswith("/admin/"), route


def test_unknown_page_is_a_styled_404(client_employee):
    response = client_employee.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_unknown_api_path_is_json_404(client_employee):
    response = client_employee.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["detail"]
