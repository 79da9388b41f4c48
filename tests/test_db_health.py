"""core.postgresql: a kept connection is checked before a request's first query without a
round trip when nothing has arrived on it, and is still replaced when the server ended it."""

import select

import psycopg
import pytest
from django.core.signals import request_started
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL backend's health check"
    ),
]


@pytest.fixture
def kept(monkeypatch):
    """The connection kept between requests (as DATABASE_CONN_MAX_AGE keeps it), and how
    many times Django's own check (`SELECT 1`) ran on it."""
    connection.ensure_connection()
    monkeypatch.setattr(connection, "close_at", None)
    checks = []
    real = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or real())
    yield checks
    connection.close()


def backend_pid() -> int:
    """The first query of a request, through Django's cursor (and its health check)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_quiet_kept_connection_is_used_without_a_round_trip(kept):
    before = backend_pid()
    request_started.send(sender=None)
    assert backend_pid() == before
    assert kept == []


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(kept):
    ended = backend_pid()
    params = connection.get_connection_params()
    where = {key: params[key] for key in ("dbname", "user", "host", "port") if key in params}
    with psycopg.connect(autocommit=True, **where) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [ended])
    select.select([connection.connection.fileno()], [], [], 5)  # the server's goodbye
    request_started.send(sender=None)
    assert backend_pid() != ended  # no error: a new connection answered
    assert kept == [1]  # something had arrived: Django's own check ran, and failed
