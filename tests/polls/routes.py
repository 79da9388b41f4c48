"""The polls routes for the route gate (tests/test_routes.py). Who reads what beyond
"signed in" is the permission matrix in test_permissions.py."""

from ..route_kinds import API, LOGIN

ROUTES = {
    "polls/new/": ("/polls/new/", LOGIN),
    "polls/<int:poll_id>/": ("/polls/1/", LOGIN),
    "polls/<int:poll_id>/vote/": ("/polls/1/vote/", LOGIN),
    "polls/<int:poll_id>/close/": ("/polls/1/close/", LOGIN),
    "polls/<int:poll_id>/voters/": ("/polls/1/voters/", LOGIN),
    "api/v1/polls/": ("/api/v1/polls/", API),
    "api/v1/polls/<int:poll_id>/": ("/api/v1/polls/1/", API),
    "api/v1/polls/<int:poll_id>/votes/": ("/api/v1/polls/1/votes/", API),
    "api/v1/polls/<int:poll_id>/close/": ("/api/v1/polls/1/close/", API),
    "api/v1/polls/<int:poll_id>/voters/": ("/api/v1/polls/1/voters/", API),
    "api/v1/polls/<int:poll_id>/voters/<int:option_id>/": ("/api/v1/polls/1/voters/1/", API),
    "api/v1/posts/<int:post_id>/poll/": ("/api/v1/posts/1/poll/", API),
}
