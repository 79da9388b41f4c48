"""DATABASES for config/data.py: a SQLite file with nothing set, PostgreSQL from
DATABASE_URL, and a read replica from DATABASE_REPLICA_URL.

Besides DATABASE_URL, the variables read here apply to a served database only and are
listed in the README's configuration table: DATABASE_CONN_MAX_AGE, DATABASE_POOL_MAX_SIZE,
DATABASE_POOL_TIMEOUT, DATABASE_PARALLEL_WORKERS, DATABASE_JIT.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

SQLITE = "django.db.backends.sqlite3"


def databases(
    env: environ.Env,
    *,
    var_dir: Path,
    testing: bool,
    prepared_statements: bool,
    replica_url: str,
) -> dict:
    """DATABASES: "default", and "replica" when `replica_url` is set."""
    default = env.db("DATABASE_URL", default=f"sqlite:///{var_dir / 'db.sqlite3'}")
    default.setdefault("ATOMIC_REQUESTS", False)
    if default["ENGINE"] == SQLITE:
        _embedded(default, var_dir=var_dir, testing=testing)
    else:
        _served(default, env=env, prepared_statements=prepared_statements)
    if not replica_url:
        return {"default": default}
    return {"default": default, "replica": _replica(replica_url, primary=default)}


def _embedded(database: dict, *, var_dir: Path, testing: bool) -> None:
    # A file, not :memory:, so that live-server tests can share it with a server process.
    database["TEST"] = {"NAME": str(var_dir / "test.sqlite3")}
    database.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    if not testing:
        # `make run` writes from two processes (daphne and the clock, bin/run): in WAL mode
        # readers never wait for a writer, and writers queue for up to `timeout` seconds.
        database["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"


def _served(database: dict, *, env: environ.Env, prepared_statements: bool) -> None:
    # Named explicitly: the live-server test process derives its database from TEST.NAME.
    database["TEST"] = {"NAME": f"test_{database['NAME']}"}
    # Under ASGI each request may run in a new thread, so persistent connections pile up;
    # pool with PgBouncer instead, or raise this only for a WSGI (gunicorn) deployment.
    database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
    database["CONN_HEALTH_CHECKS"] = True
    # Django's backend, whose health check of a kept connection sends no `SELECT 1` when
    # nothing has arrived on it (core/postgresql/base.py).
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["ENGINE"] = "core.postgresql"
    options = database.setdefault("OPTIONS", {})
    session = [options.get("options", "")]
    # Short reads served many at once, not reports: no parallel workers and no JIT by
    # default. A search's page query planned a parallel bitmap scan for a phrase: the
    # workers' start-up cost more than they saved, and at concurrency 8 on 2 cores the
    # phrase's p95 was 472 ms with them, 288 ms without (bench/search.py). JIT compiles any
    # query estimated above jit_above_cost (a count capped by LIMIT is estimated uncapped):
    # 280 ms seen for a people count that ran in 3.5 ms. Both are per-session settings.
    parallel = env.int("DATABASE_PARALLEL_WORKERS", default=0)
    if parallel < 0:
        raise ImproperlyConfigured("DATABASE_PARALLEL_WORKERS must be 0 (none) or more.")
    session.append(f"-c max_parallel_workers_per_gather={parallel}")
    session.append(f"-c jit={'on' if env.bool('DATABASE_JIT', default=False) else 'off'}")
    if prepared_statements:
        # Django turns psycopg's prepared statements off (None). With 1, a statement is
        # prepared on its second run on a connection, but only core.compiled's cursors bind
        # server-side and can be: Django's own bind client-side and never prepare.
        options.setdefault("prepare_threshold", 1)
        # ...and planned once: with the default (auto) PostgreSQL kept planning the home feed
        # page anew on every run, as its generic plan's estimate is the higher one, though
        # the plans are the same index scan (bench/feed.py: 4.7 ms against 1.05 ms per page
        # at load 3.5). Only prepared statements follow this setting.
        session.append("-c plan_cache_mode=force_generic_plan")
    options["options"] = " ".join(filter(None, session))
    # psycopg 3's connection pool inside each process (Django's OPTIONS["pool"]): at most
    # DATABASE_POOL_MAX_SIZE connections per process, kept open and handed to each request.
    # Off (0) by default; for gunicorn (README, "Production"). It replaces CONN_MAX_AGE.
    pool_max = env.int("DATABASE_POOL_MAX_SIZE", default=0)
    if pool_max < 0:
        raise ImproperlyConfigured("DATABASE_POOL_MAX_SIZE must be 0 (off) or more.")
    if pool_max:
        if database["CONN_MAX_AGE"]:
            raise ImproperlyConfigured(
                "DATABASE_POOL_MAX_SIZE and DATABASE_CONN_MAX_AGE exclude each other: "
                "the pool keeps the connections open."
            )
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": pool_max,
            # a request that finds every connection busy waits this long, then fails
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
        }


def _replica(url: str, *, primary: dict) -> dict:
    """The replica's connection: its own address, the primary's engine and connection
    handling (persistence, health checks, pool, prepared statements)."""
    if primary["ENGINE"] == SQLITE:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (PostgreSQL).")
    replica = environ.Env.db_url_config(url)
    replica["ENGINE"] = primary["ENGINE"]
    for key in ("ATOMIC_REQUESTS", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        replica[key] = primary[key]
    primary_options = primary.get("OPTIONS", {})
    if "pool" in primary_options:
        replica.setdefault("OPTIONS", {})["pool"] = dict(primary_options["pool"])
    for key in ("prepare_threshold", "options"):  # prepared statements, session settings
        if key in primary_options:
            replica.setdefault("OPTIONS", {})[key] = primary_options[key]
    # In tests the replica is its own database, filled by the test itself: a read that
    # reaches it instead of the primary does not see the primary's rows.
    replica["TEST"] = {"NAME": f"test_{replica['NAME']}"}
    return replica
