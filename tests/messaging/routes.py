"""The messages routes for the route gate (tests/test_routes.py). Who reads what beyond
"signed in" is the permission matrix in test_permissions.py."""

from ..route_kinds import API, LOGIN

ROUTES = {
    "messages/": ("/messages/", LOGIN),
    "messages/start/": ("/messages/start/", LOGIN),
    "messages/unread/": ("/messages/unread/", LOGIN),
    "messages/email/": ("/messages/email/", LOGIN),
    "messages/<int:conversation_id>/": ("/messages/1/", LOGIN),
    "messages/<int:conversation_id>/send/": ("/messages/1/send/", LOGIN),
    "messages/<int:conversation_id>/since/": ("/messages/1/since/", LOGIN),
    "messages/<int:conversation_id>/read/": ("/messages/1/read/", LOGIN),
    "messages/<int:conversation_id>/people/": ("/messages/1/people/", LOGIN),
    "messages/<int:conversation_id>/remove/": ("/messages/1/remove/", LOGIN),
    "messages/<int:conversation_id>/leave/": ("/messages/1/leave/", LOGIN),
    "messages/m/<int:message_id>/edit/": ("/messages/m/1/edit/", LOGIN),
    "messages/m/<int:message_id>/delete/": ("/messages/m/1/delete/", LOGIN),
    "messages/m/<int:message_id>/react/": ("/messages/m/1/react/", LOGIN),
    "messages/m/<int:message_id>/files/<int:attachment_id>/": ("/messages/m/1/files/1/", LOGIN),
    "api/v1/messages/conversations/": ("/api/v1/messages/conversations/", API),
    "api/v1/messages/conversations/<int:conversation_id>/": (
        "/api/v1/messages/conversations/1/",
        API,
    ),
    "api/v1/messages/conversations/<int:conversation_id>/messages/": (
        "/api/v1/messages/conversations/1/messages/",
        API,
    ),
    "api/v1/messages/conversations/<int:conversation_id>/read/": (
        "/api/v1/messages/conversations/1/read/",
        API,
    ),
    "api/v1/messages/conversations/<int:conversation_id>/participants/": (
        "/api/v1/messages/conversations/1/participants/",
        API,
    ),
    "api/v1/messages/conversations/<int:conversation_id>/participants/<str:username>/": (
        "/api/v1/messages/conversations/1/participants/ana.garcia/",
        API,
    ),
    "api/v1/messages/<int:message_id>/": ("/api/v1/messages/1/", API),
    "api/v1/messages/<int:message_id>/reactions/": ("/api/v1/messages/1/reactions/", API),
    "api/v1/messages/<int:message_id>/reactions/<str:kind>/": (
        "/api/v1/messages/1/reactions/like/",
        API,
    ),
}
