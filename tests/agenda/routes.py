"""The events routes for the route gate (tests/test_routes.py). Who reads what beyond
"signed in" is the permission matrix in test_permissions.py; the calendar feed is reached
by its signed URL alone (test_calendar.py)."""

from ..route_kinds import API, LOGIN, TOKEN

ROUTES = {
    "events/": ("/events/", LOGIN),
    "events/new/": ("/events/new/", LOGIN),
    "events/calendar/reset/": ("/events/calendar/reset/", LOGIN),
    "events/calendar/<str:token>/events.ics": ("/events/calendar/forged/events.ics", TOKEN),
    "events/<int:event_id>/": ("/events/1/", LOGIN),
    "events/<int:event_id>/edit/": ("/events/1/edit/", LOGIN),
    "events/<int:event_id>/answer/": ("/events/1/answer/", LOGIN),
    "events/<int:event_id>/cancel/": ("/events/1/cancel/", LOGIN),
    "events/<int:event_id>/people/": ("/events/1/people/", LOGIN),
    "events/<int:event_id>/event.ics": ("/events/1/event.ics", LOGIN),
    "api/v1/events/": ("/api/v1/events/", API),
    "api/v1/events/calendar/": ("/api/v1/events/calendar/", API),
    "api/v1/events/calendar/reset/": ("/api/v1/events/calendar/reset/", API),
    "api/v1/events/<int:event_id>/": ("/api/v1/events/1/", API),
    "api/v1/events/<int:event_id>/cancel/": ("/api/v1/events/1/cancel/", API),
    "api/v1/events/<int:event_id>/answer/": ("/api/v1/events/1/answer/", API),
    "api/v1/events/<int:event_id>/people/": ("/api/v1/events/1/people/", API),
    "api/v1/events/<int:event_id>/people/<str:answer>/": (
        "/api/v1/events/1/people/going/",
        API,
    ),
}
