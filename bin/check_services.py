"""Fail loudly, with the reason, when the test suite's PostgreSQL or Redis is unreachable.

Creates the PostgreSQL database named in the URL when the server answers but lacks it.
Usage: check_services.py DATABASE_URL REDIS_URL
"""

import sys
import time

import environ
import psycopg
import redis
from psycopg import sql


def check_postgres(url: str) -> None:
    config = environ.Env.db_url_config(url)
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or None,
    }
    conn = _retry(
        lambda: psycopg.connect(dbname="postgres", connect_timeout=3, autocommit=True, **params),
        url,
    )
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")
    conn.close()


def check_redis(url: str) -> None:
    _retry(lambda: redis.Redis.from_url(url, socket_connect_timeout=3).ping(), url)


def _retry(connect, url: str, attempts: int = 10):
    for attempt in range(attempts):
        try:
            return connect()
        except Exception as exc:  # noqa: BLE001 - any failure is reported below
            if attempt == attempts - 1:
                sys.exit(f"FAILED: cannot reach {url}: {exc}")
            time.sleep(1)
    return None


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    check_postgres(sys.argv[1])
    check_redis(sys.argv[2])
    print(f"services reachable: {sys.argv[1]}, {sys.argv[2]}")
