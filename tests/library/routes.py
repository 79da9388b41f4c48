"""The file library's routes for the route gate (tests/test_routes.py). Who reads what
beyond "signed in" is the permission matrix in test_library.py."""

from ..route_kinds import API, LOGIN

ROUTES = {
    "groups/<slug:slug>/files/": ("/groups/g/files/", LOGIN),
    "groups/<slug:slug>/files/<int:file_id>/": ("/groups/g/files/1/", LOGIN),
    "groups/<slug:slug>/files/<int:file_id>/delete/": ("/groups/g/files/1/delete/", LOGIN),
    "groups/<slug:slug>/files/<int:file_id>/v<int:number>/download/": (
        "/groups/g/files/1/v1/download/",
        LOGIN,
    ),
    "groups/<slug:slug>/files/<int:file_id>/v<int:number>/preview.png": (
        "/groups/g/files/1/v1/preview.png",
        LOGIN,
    ),
    "groups/<slug:slug>/files/attachments/<int:attachment_id>/preview.png": (
        "/groups/g/files/attachments/1/preview.png",
        LOGIN,
    ),
    "api/v1/groups/<slug:slug>/files/": ("/api/v1/groups/g/files/", API),
    "api/v1/groups/<slug:slug>/files/<int:file_id>/": ("/api/v1/groups/g/files/1/", API),
    "api/v1/groups/<slug:slug>/files/<int:file_id>/versions/": (
        "/api/v1/groups/g/files/1/versions/",
        API,
    ),
    "api/v1/groups/<slug:slug>/files/<int:file_id>/versions/<int:number>/download/": (
        "/api/v1/groups/g/files/1/versions/1/download/",
        API,
    ),
}
