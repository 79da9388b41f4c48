"""Routes of the questions pages and API for tests/test_routes.py: route -> (path to request,
what an anonymous visitor gets)."""

from ..route_kinds import API, LOGIN, PUBLIC

_PAGES = ("assign", "route", "reroute", "decline", "answer", "notes", "reply", "close", "tags")

ROUTES: dict = {
    "questions/": ("/questions/", LOGIN),
    "questions/new/": ("/questions/new/", LOGIN),
    "questions/import/": ("/questions/import/", LOGIN),
    "questions/insights/": ("/questions/insights/", LOGIN),
    "questions/dashboard/": ("/questions/dashboard/", LOGIN),
    "questions/dashboard/retrain/": ("/questions/dashboard/retrain/", LOGIN),
    "questions/queue/": ("/questions/queue/", LOGIN),
    "questions/queue/<int:question_id>/assign/": ("/questions/queue/1/assign/", LOGIN),
    "questions/bulk/": ("/questions/bulk/", LOGIN),
    "questions/experts/": ("/questions/experts/?q=a", LOGIN),
    "questions/<int:question_id>/": ("/questions/1/", LOGIN),
    **{f"questions/<int:question_id>/{a}/": (f"/questions/1/{a}/", LOGIN) for a in _PAGES},
    "api/v1/questions/": ("/api/v1/questions/", API),
    "api/v1/questions/bulk/": ("/api/v1/questions/bulk/", API),
    # Signed, not signed in: a GET is 405, a POST without a signature 401 (test_webhook.py).
    "api/v1/questions/webhook/": ("/api/v1/questions/webhook/", PUBLIC),
    "api/v1/questions/insights/": ("/api/v1/questions/insights/", API),
    "api/v1/questions/dashboard/": ("/api/v1/questions/dashboard/", API),
    "api/v1/questions/router/retrain/": ("/api/v1/questions/router/retrain/", API),
    "api/v1/questions/<int:question_id>/": ("/api/v1/questions/1/", API),
    **{
        f"api/v1/questions/<int:question_id>/{a}/": (f"/api/v1/questions/1/{a}/", API)
        for a in _PAGES
    },
}
