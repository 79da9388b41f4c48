"""The web processes' heap, settled once they have started.

CPython's cyclic garbage collector now and then walks every object the process holds. A
web process holds about 250,000 of them once Django, the apps, DRF and the URL patterns are
loaded, and nearly all of them live as long as the process. Walking them took 174-195 ms
(a full collection, about every 60 searches in bench/feed.py's data), a pause that fell
inside whichever request was running. gc.freeze() moves what is alive at start-up out of
the collector's reach: it is still freed by reference counting, never walked again, and
collections only look at what requests create. The same search in one process (the median
of 60, beside its floor): 62-66 ms before, 56-62 ms after, with no full collection.

A process that holds connections (daphne: every open socket's consumer, tasks and protocol,
a few hundred objects each, for as long as the socket lives) also collects less often.
What start-up loaded is frozen, but the sockets opened since are not, and each company-wide
post that makes every socket re-check its session leaves new long-lived objects behind (its
fresh account, its timer): with the default thresholds a full collection walked every
socket every few such posts, 300-390 ms at 1,000 sockets a process, inside a delivery.
With LONG_LIVED_THRESHOLDS a young collection waits for 10,000 new objects and a full one
for 100 middle ones. Six company-wide events sent raw to 4,000 sockets on four daphne
processes, every socket re-checking: 10 full collections a process (the longest 363-386
ms) and p99 1,293 ms before, 2 (119-194 ms, opening and closing the sockets) and p99 791
ms after. Garbage in cycles waits longer to be freed; reference counting still frees the
rest at once.
"""

import gc

from django.urls import get_resolver

LONG_LIVED_THRESHOLDS = (10_000, 10, 100)


def settle(*, holds_connections: bool = False) -> None:
    """Load the URL patterns (and so every view module) now rather than in the first
    request, collect what starting up left behind, then freeze the rest (config.wsgi,
    config.asgi: each worker process runs it once, after loading the application). With
    `holds_connections` (config.asgi), collect at LONG_LIVED_THRESHOLDS."""
    get_resolver().url_patterns  # noqa: B018 (loads them)
    gc.collect()
    gc.freeze()
    if holds_connections:
        gc.set_threshold(*LONG_LIVED_THRESHOLDS)
