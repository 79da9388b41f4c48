"""Django's PostgreSQL backend, with a cheaper health check of a kept connection.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request
that reuses a connection (DATABASE_CONN_MAX_AGE), so that a connection the server closed
meanwhile (a restart, a terminated backend, idle_session_timeout) is replaced instead of
failing the request. That round trip was one of the three a home feed page makes
(bench/feed.py). A server that ends a connection says so on its socket first (an error
message, then the close), and an idle connection is otherwise sent nothing (socialhub uses no
LISTEN). So: a kept connection that is idle, not broken, and has nothing waiting to be read
is used as it is; anything else (something arrived, a transaction left open, TLS data)
gets Django's own check, `SELECT 1`, and a new connection if that fails. After an error in a
request Django still checks with `SELECT 1` (close_if_unusable_or_obsolete).
"""

import select

from django.db.backends.postgresql import base, operations
from psycopg import ClientCursor, errors
from psycopg.pq import TransactionStatus


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """Django's; for a statement run with server-side parameters (core.compiled's
        prepared statements), whose text psycopg keeps with $1 placeholders, or not at all once
        prepared, the statement with its values composed, as Django shows every query when it
        binds on the server: so the query log and whatever reads the captured queries see the
        SQL with its values, not None. Only asked when queries are logged (DEBUG, a test
        capturing them)."""
        if isinstance(cursor, ClientCursor) or self.connection.features.uses_server_side_binding:
            return super().last_executed_query(cursor, sql, params)
        try:
            return self.compose_sql(sql, params)
        except errors.DataError:
            return None


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._idle_and_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _idle_and_quiet(self) -> bool:
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            return False
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
        return not poller.poll(0)  # POLLHUP and POLLERR are reported without being asked
