"""Routes of the listening pages and API for tests/test_routes.py: route -> (path to request,
what an anonymous visitor gets)."""

from ..route_kinds import API, LOGIN

ROUTES: dict = {
    "listening/alerts/": ("/listening/alerts/", LOGIN),
    "listening/alerts/list/": ("/listening/alerts/list/", LOGIN),
    "listening/alerts/<int:alert_id>/": ("/listening/alerts/1/", LOGIN),
    "listening/alerts/<int:alert_id>/acknowledge/": ("/listening/alerts/1/acknowledge/", LOGIN),
    "listening/alerts/<int:alert_id>/resolve/": ("/listening/alerts/1/resolve/", LOGIN),
    "listening/rules/": ("/listening/rules/", LOGIN),
    "listening/rules/<int:rule_id>/": ("/listening/rules/1/", LOGIN),
    "listening/rules/<int:rule_id>/delete/": ("/listening/rules/1/delete/", LOGIN),
    "api/v1/monitoring/rules/": ("/api/v1/monitoring/rules/", API),
    "api/v1/monitoring/rules/<int:rule_id>/": ("/api/v1/monitoring/rules/1/", API),
    "api/v1/monitoring/alerts/": ("/api/v1/monitoring/alerts/", API),
    "api/v1/monitoring/alerts/<int:alert_id>/": ("/api/v1/monitoring/alerts/1/", API),
    "api/v1/monitoring/alerts/<int:alert_id>/acknowledge/": (
        "/api/v1/monitoring/alerts/1/acknowledge/",
        API,
    ),
    "api/v1/monitoring/alerts/<int:alert_id>/resolve/": (
        "/api/v1/monitoring/alerts/1/resolve/",
        API,
    ),
}
