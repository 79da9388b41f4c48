"""Read replicas (on when DATABASE_REPLICA_URL is set): the heaviest reads of a web request —
the feed, search and the people directory (DATABASE_REPLICA_APPS) — go to the `replica`
database; every write, and every read that must see a write, goes to the primary.

A read goes to the primary when:
- it is not inside a web request (tasks, commands, sockets): a task enqueued on commit must
  see the row that was just committed, and a replica may not have it yet;
- the view asked for the primary (read_primary(): the SCIM endpoints);
- the request is not a GET/HEAD/OPTIONS: a form that is read, then saved, reads the primary;
- the request has written anything (db_for_write was asked), or an atomic block is open on
  the primary (a service reading what it is about to change);
- the same client wrote less than DATABASE_REPLICA_PIN_SECONDS ago (a cookie): after
  "post, then redirect", the page shows the post even while the replica lags.

Replication lag still reaches other people's reads: someone removed from a private group may
read its feed on the replica for as long as the replica lags. Where that is not acceptable,
run the replica with synchronous_commit = remote_apply (README, "Read replicas").
"""

import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "sh_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Unit:
    """One web request's choice: may it read the replica, and has it written."""

    may_use_replica: bool
    wrote: bool = False


_unit: ContextVar[_Unit | None] = ContextVar("replica_unit", default=None)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        unit = _unit.get()
        if (
            unit is None
            or not unit.may_use_replica
            or unit.wrote
            or model._meta.app_label not in settings.DATABASE_REPLICA_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        unit = _unit.get()
        if unit is not None:
            unit.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one schema, the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # The replica follows the primary's schema by replication; `migrate` runs on the
        # primary. (Tests build the replica's database with migrations to stand in for it.)
        return True


class ReplicaMiddleware:
    """Opens a unit for each request and, after an unsafe one, pins the client to the
    primary for DATABASE_REPLICA_PIN_SECONDS. First in MIDDLEWARE: the session and user
    are read inside the unit (they are not replica apps, so they read the primary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pinned = _pinned_by_cookie(request)
        unit = _Unit(may_use_replica=request.method in SAFE_METHODS and not pinned)
        reset = _unit.set(unit)
        try:
            response = self.get_response(request)
        finally:
            _unit.reset(reset)
        if unit.wrote or request.method not in SAFE_METHODS:
            seconds = settings.DATABASE_REPLICA_PIN_SECONDS
            if seconds > 0:
                response.set_cookie(
                    PIN_COOKIE,
                    str(int(time.time() + seconds)),
                    max_age=seconds,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        return response


def read_primary() -> None:
    """The rest of this request reads the primary: for surfaces whose clients write, then
    read at once from another request (SCIM providers look up what they just created)."""
    unit = _unit.get()
    if unit is not None:
        unit.may_use_replica = False


def _pinned_by_cookie(request) -> bool:
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False
