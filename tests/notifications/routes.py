"""Routes of the notifications surface for tests/test_routes.py: route -> (path to request,
what an anonymous visitor gets)."""

from ..route_kinds import API, LOGIN, PUBLIC

ROUTES: dict = {
    "notifications/": ("/notifications/", LOGIN),
    "notifications/count/": ("/notifications/count/", LOGIN),
    "notifications/read/": ("/notifications/read/", LOGIN),
    "notifications/<int:notification_id>/read/": ("/notifications/1/read/", LOGIN),
    "notifications/preferences/": ("/notifications/preferences/", LOGIN),
    "notifications/mute/<slug:slug>/": ("/notifications/mute/x/", LOGIN),
    # Signed one-click unsubscribe: works signed out; a bad token is a 400 page.
    "notifications/unsubscribe/<str:token>/": ("/notifications/unsubscribe/x/", PUBLIC),
    "api/v1/notifications/": ("/api/v1/notifications/", API),
    "api/v1/notifications/read/": ("/api/v1/notifications/read/", API),
    "api/v1/notifications/<int:notification_id>/read/": ("/api/v1/notifications/1/read/", API),
    "api/v1/notifications/preferences/": ("/api/v1/notifications/preferences/", API),
}
