"""What every signed-in page shows about its reader, read with their account in one query.

A page's shell shows things about whoever reads it: the unread badge (notifications), the
policy banner (policies), the crisis banner (crisis). Each cost a round trip of its own on
every page, after the one that read the account. An app above core registers here, in its
ready(), an expression of the reader's account id (`register`); the session's account is
read with every registered expression in the same query (people.authentication), and the
app's selector answers from it (`read`) instead of asking again.

A value is what held when the request began. A service that changes it for the reader
during the request (marking notifications read, acknowledging a policy) calls `forget`, so
that a page rendered after it asks again. A request without a session (an API token, a
socket's re-check of many sessions) carries none, and the selectors ask as before.
"""

from collections.abc import Callable

from django.db.models import Expression, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject

_registered: dict[str, Callable[[OuterRef], Expression]] = {}
# What `read` answers for a value this request did not read.
MISSING = object()


def register(name: str, expression: Callable[[OuterRef], Expression]) -> None:
    """Read `expression(OuterRef(<the account's id>))` with every session's account, as
    `name` ("app.what"). Call it from an AppConfig.ready(): the session's query is compiled
    once per process, at its first run."""
    _registered[name] = expression


def first_row(rows: QuerySet, *fields: str) -> Expression:
    """The first of `rows` as a JSON object of `fields`, or null when there is none: what a
    registered expression reads of one row of another table (the banner's policy version, the
    incident holding crisis mode), in the account's query."""
    first = rows.values(row=JSONObject(**{field: field for field in fields}))[:1]
    return Subquery(first, output_field=JSONField())


def annotations(user_ref: str) -> dict[str, Expression]:
    """The registered expressions of the account `user_ref` (an OuterRef's name), as
    annotations named by `_field`."""
    return {_field(i): make(OuterRef(user_ref)) for i, make in enumerate(_registered.values())}


def remember(user, row: dict) -> None:
    """Keep on `user` the registered values of `row` (a row read with `annotations`)."""
    user._session_reads = {name: row[_field(i)] for i, name in enumerate(_registered)}


def read(user, name: str, default=MISSING):
    """The value of `name` read with `user`'s session, or `default` (MISSING) when this
    request did not read it (no session, or forgotten since)."""
    return getattr(user, "_session_reads", {}).get(name, default)


def forget(user, name: str) -> None:
    """`name` changed for `user` during this request: the next question asks again."""
    getattr(user, "_session_reads", {}).pop(name, None)


def _field(index: int) -> str:
    return f"session_read_{index}"
