"""Cursors for prepared statements (core.compiled's queries, the webhook's insert): on
PostgreSQL one cursor with server-side parameters kept per connection, whose statements psycopg
prepares, and psycopg's compiled reader of timestamps."""

import psycopg
from django.conf import settings
from psycopg.types.datetime import TimestamptzLoader


def prepared_cursor(connection, *, prepare: bool = True):
    """A cursor of Django's (counted, logged, errors translated); on PostgreSQL one with
    server-side parameters, whose statements psycopg prepares on the connection (a statement
    whose text never changes: its values as parameters). With `prepare=False` (a query whose
    best plan depends on its values: planned at each run) or DATABASE_PREPARED_STATEMENTS
    off, Django's own cursor class, which binds on the client and never prepares. Either
    reads timestamps with psycopg's compiled loader (below)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if prepare and settings.DATABASE_PREPARED_STATEMENTS:
            raw = _kept_cursor(connection)  # server-side parameters
        else:
            raw = connection.connection.cursor()  # the connection's cursor_factory: Django's
            _read_timestamps_fast(raw)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def _read_timestamps_fast(raw) -> None:
    """psycopg's own timestamptz loader (compiled, in psycopg's binary package), in the
    session's time zone, which Django sets: Django registers a loader written in Python that
    re-reads each value, 7 us a timestamp (a feed page has 26: about 170 us of a page's CPU,
    bench/feed.py's data; a directory search's page of 25 people, 75). The same instants, as
    aware datetimes."""
    raw.adapters.register_loader("timestamptz", TimestamptzLoader)


class _KeptCursor(psycopg.Cursor):
    """A cursor with server-side parameters, kept for its connection's next compiled
    query: making one and registering its loader for every query cost about 20 us of the
    100-200 us of Python a small prepared query takes inside a request (the home feed's
    two, bench/feed.py). Django's cursor wrapper closes its cursor after each query: this one
    stays open (its last rows are dropped by the next execute) and goes with its connection.
    A connection is one thread's (Django's), and so is its kept cursor."""

    def close(self) -> None:
        pass


def _kept_cursor(connection) -> psycopg.Cursor:
    raw_connection = connection.connection
    kept = getattr(connection, "_compiled_cursor", None)
    if kept is None or kept.connection is not raw_connection:
        kept = _KeptCursor(raw_connection)
        _read_timestamps_fast(kept)
        connection._compiled_cursor = kept
    return kept
