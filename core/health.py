"""Liveness and readiness, for load balancers, docker compose and Kubernetes.

`/healthz` says the process answers: it touches nothing else, so a slow database never
gets a healthy process restarted. `/readyz` says this process can serve now: every check in
the registry below passes (the database, the cache, the broker, all migrations applied, and
what the apps register: routing adds "the active router is loaded, or none is set"). Each
check is timed and named in the JSON body; the first failure's reason is in its entry.

Checks are cheap by design: one round trip each, and "migrations applied", once true, is
remembered for the life of the process (migrations are not unapplied under a running app).
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

log = logging.getLogger(__name__)

# name -> a callable that returns a short note (or None) when ready and raises when not
_checks: dict[str, Callable[[], str | None]] = {}


def register_check(name: str, check: Callable[[], str | None]) -> None:
    """For the apps (AppConfig.ready): one more thing /readyz waits for."""
    _checks[name] = check


def readiness() -> tuple[bool, dict[str, dict]]:
    """(ready, {check name: {"ok", "ms", and "detail" or "error"}}), every check run."""
    results: dict[str, dict] = {}
    for name, check in _checks.items():
        started = time.perf_counter()
        try:
            detail = check()
        except Exception as exc:
            log.warning("readiness check %s failed: %s", name, exc.__class__.__name__)
            entry = {"ok": False, "error": f"{exc.__class__.__name__}: {exc}"[:300]}
        else:
            entry = {"ok": True, **({"detail": detail} if detail else {})}
        entry["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = entry
    return all(r["ok"] for r in results.values()), results


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> str | None:
    cache.get("readyz:probe")
    return None if settings.REDIS_URL else "in-process cache"


def check_broker() -> str | None:
    from celery import current_app

    if current_app.conf.task_always_eager:
        return "embedded: tasks run in-process"
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    return None


_migrated = False


def check_migrations() -> None:
    global _migrated
    if _migrated:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied (run manage.py migrate)")
    _migrated = True


register_check("database", check_database)
register_check("cache", check_cache)
register_check("broker", check_broker)
register_check("migrations", check_migrations)
