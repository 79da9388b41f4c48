"""DRF's content negotiation, answered once per kind of request rather than on every one.

Which renderer answers depends only on the Accept header, the `?format=` or URL suffix and
the view's renderers; DRF works it out on every API request (parsing the header into media
types, ordering them by precedence, matching each renderer): 60-80 us of a home feed
page's 1.45 ms of Python, measured inside the request (bench/feed.py's data). Here the
answer is kept per process for each such combination, at most KEPT of them: an Accept
header is the client's to choose, so once the table is full a new combination is worked
out each time, as DRF does. Refusals (a 406, an unknown format's 404) are never kept: DRF
raises them again.
"""

import threading

from rest_framework.negotiation import DefaultContentNegotiation

KEPT = 256

_answers: dict[tuple, tuple[int, str]] = {}
_lock = threading.Lock()


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        format_ = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        key = (
            request.META.get("HTTP_ACCEPT"),
            format_,
            tuple(type(renderer) for renderer in renderers),
        )
        known = _answers.get(key)
        if known is None:
            renderer, media_type = super().select_renderer(request, renderers, format_suffix)
            known = (renderers.index(renderer), media_type)
            with _lock:
                if len(_answers) < KEPT:
                    _answers[key] = known
        index, media_type = known
        return renderers[index], media_type


def forget() -> None:
    """Empty the table (tests)."""
    with _lock:
        _answers.clear()
