"""The web processes' heap, settled once they have started.

CPython's cyclic garbage collector now and then walks every object the process holds. A
web process holds about 250,000 of them once Django, the apps, DRF and the URL patterns are
loaded, and nearly all of them live as long as the process. Walking them took 174-195 ms
(a full collection, about every 60 searches in bench/feed.py's data), a pause that fell
inside whichever request was running. gc.freeze() moves what is alive at start-up out of
the collector's reach: it is still freed by reference counting, never walked again, and
collections only look at what requests create. The same search in one process (the median
of 60, beside its floor): 62-66 ms before, 56-62 ms after, with no full collection.
"""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Load the URL patterns (and so every view module) now rather than in the first
    request, collect what starting up left behind, then freeze the rest (config.wsgi,
    config.asgi: each worker process runs it once, after loading the application)."""
    get_resolver().url_patterns  # noqa: B018 (loads them)
    gc.collect()
    gc.freeze()
