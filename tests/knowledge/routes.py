"""Routes of the knowledge pages and API for tests/test_routes.py: route -> (path to request,
what an anonymous visitor gets)."""

from ..route_kinds import API, LOGIN

ROUTES: dict = {
    "knowledge/": ("/knowledge/", LOGIN),
    "knowledge/themes/": ("/knowledge/themes/", LOGIN),
    "knowledge/from-question/<int:question_id>/": ("/knowledge/from-question/1/", LOGIN),
    "knowledge/<int:entry_id>/": ("/knowledge/1/", LOGIN),
    "knowledge/<int:entry_id>/edit/": ("/knowledge/1/edit/", LOGIN),
    "knowledge/<int:entry_id>/state/": ("/knowledge/1/state/", LOGIN),
    "knowledge/<int:entry_id>/reuse/": ("/knowledge/1/reuse/", LOGIN),
    "api/v1/knowledge/": ("/api/v1/knowledge/", API),
    "api/v1/knowledge/<int:entry_id>/": ("/api/v1/knowledge/1/", API),
    "api/v1/knowledge/<int:entry_id>/publish/": ("/api/v1/knowledge/1/publish/", API),
    "api/v1/knowledge/<int:entry_id>/revisions/": ("/api/v1/knowledge/1/revisions/", API),
    "api/v1/questions/<int:question_id>/similar/": ("/api/v1/questions/1/similar/", API),
}
