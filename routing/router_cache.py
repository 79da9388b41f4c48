"""The active router, loaded once per process and swapped when a new version is activated.

Each process keeps the unpickled router in memory. At most every
ROUTING_ROUTER_CHECK_SECONDS it reads the active version's id from the cache (one cache
get; a database query only when the cache is cold) and loads the new bytes only if the id
changed: a new version reaches every web process and worker without a restart.

A version this process cannot load (a router trained with sentence embeddings, in a process
without ONNX Runtime) is logged as an error and treated as no router: questions
still arrive, keyword rules still apply, the rest waits in triage. It is not retried until
another version is activated.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

ACTIVE_KEY = "routing:active-router"
ACTIVE_TTL = 60

_lock = threading.Lock()
_state: dict = {"id": None, "router": None, "checked": float("-inf")}


def forget() -> None:
    """Drop this process's copy (a new version was stored, or a test starts afresh)."""
    cache.delete(ACTIVE_KEY)
    with _lock:
        _state.update(id=None, router=None, checked=float("-inf"))


def _active_id() -> int:
    from .models import RouterVersion

    active = cache.get(ACTIVE_KEY)
    if active is None:
        active = RouterVersion.objects.filter(active=True).values_list("id", flat=True).first()
        active = active or 0
        cache.set(ACTIVE_KEY, active, ACTIVE_TTL)
    return active


def current_router():
    """(router, version id) of the active version, or (None, None) before any training."""
    now = time.monotonic()
    if now - _state["checked"] < settings.ROUTING_ROUTER_CHECK_SECONDS:
        return _loaded()
    active = _active_id()
    with _lock:
        if active != _state["id"]:
            router = None
            if active:
                from .ml.classifier import Router
                from .models import RouterVersion

                data = RouterVersion.objects.filter(pk=active).values_list("data", flat=True)
                blob = data.first()
                try:
                    router = Router.loads(bytes(blob)) if blob is not None else None
                except Exception:  # e.g. an embedding router without ONNX Runtime
                    log.exception(
                        "router version %s cannot be loaded: questions wait in triage", active
                    )
            _state.update(id=active, router=router)
        _state["checked"] = now
        return _loaded()


def active_version_not_loaded() -> int | None:
    """The active version's id when this process tried it and could not load it."""
    return _state["id"] if _state["id"] and _state["router"] is None else None


def _loaded():
    router = _state["router"]
    return (router, _state["id"]) if router is not None else (None, None)
