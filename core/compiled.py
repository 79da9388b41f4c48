"""Querysets compiled once per process, run with each request's values.

Building and compiling a queryset with subqueries costs the ORM milliseconds of Python on every
request: the home feed's page (feeds.selectors.home_feed_page) took 2.6 ms to compile and
0.7 ms to run in PostgreSQL at a million posts (bench/feed.py). A hot read whose SQL differs
between requests only in its values builds its queryset once, with marker values where the
request's values go, and later runs that SQL with the values swapped in.

What may differ between two calls with the same `shape` is only the marked values. Everything
else that changes the SQL (the viewer's roles, whether there is a cursor, the page size) goes
into `shape`: the caller says what its query depends on, next to the selector that builds it.

On PostgreSQL the SQL also becomes a prepared statement of each connection from its second run
there (server-side parameters; psycopg's prepare_threshold, set in config/databases.py), so a
persistent connection (a pool, DATABASE_CONN_MAX_AGE) plans it once, not on every request.
At a million posts (bench/feed.py's data, one process) that took the API token's query from
1.1 to 0.24 ms and the home feed page's from 2.1 to 1.1 ms: planning them cost as much as
running them. DATABASE_PREPARED_STATEMENTS=false turns this off, for a transaction-pooling
PgBouncer older than 1.21 (README, "Production"). The queries still go through Django's
cursor wrapper: they are counted, logged and their errors translated.
"""

import datetime as dt
import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

from .prepared import prepared_cursor

# Values no request sends: an id below any primary key (inside a 32-bit column's range: the
# ORM drops a comparison with a value outside it), an instant no row has.
_INT_MARK = -2_073_000_000
_TIME_MARK = dt.datetime(1901, 3, 7, 5, 11, tzinfo=dt.UTC)

# The `wrap` of `rows` that counts the compiled query's rows.
COUNT = "SELECT COUNT(*) FROM ({}) counted"

_templates: dict[tuple, "_Template"] = {}
_lock = threading.Lock()


def marker(kind: type, n: int):
    """The n-th marker value of a kind (int, str or datetime) for a build function."""
    if kind is int:
        return _INT_MARK - n
    if kind is dt.datetime:
        return _TIME_MARK + dt.timedelta(seconds=n)
    if kind is str:
        return f"\x1fcompiled-marker-{n}\x1f"
    raise TypeError(f"No marker for {kind.__name__}")


def run(
    shape: tuple, build: Callable[..., QuerySet], values: dict, *, prepare: bool = True
) -> list[dict]:
    """The rows of `build(**markers)` with each marker replaced by the value of the same name
    in `values` (an int, a str or an aware datetime), as dicts by column name.

    `build` receives one marker per name in `values`, of the value's type, and must return a
    `.values(...)` queryset; it runs once per process and `shape`. A marker the SQL does not
    carry as a parameter is an error, so a value is never silently left out. `prepare` as
    for `rows`."""
    return _template(shape, build, values, "{}").run(values, prepare=prepare)


def run_tuples(
    shape: tuple, build: Callable[..., QuerySet], values: dict, *, columns: tuple[str, ...]
) -> list[tuple]:
    """`run`'s rows as tuples in the order of `columns`, which must be the queryset's
    columns in the order `.values()` gives them (compared with the compiled query's names at
    each call, a tuple of a few strings; a mismatch is an error): for a hot read whose rows
    are only unpacked, a dict per row is work thrown away."""
    template = _template(shape, build, values, "{}")
    if template.names != columns:
        raise ValueError(f"The query's columns are {template.names}, not {columns}.")
    return template.converted(values)


def rows(
    shape: tuple, build: Callable[..., QuerySet], values: dict, *, wrap: str, prepare: bool = True
) -> list[tuple]:
    """The rows, as tuples, of the SQL `wrap` with build(**markers)'s SQL where its "{}" is
    ("SELECT COUNT(*) FROM ({}) subquery"), the markers replaced as in `run`. No converters
    run: the outer columns are the wrap's own.

    `prepare=False` for a query whose best plan depends on its values (a search: a rare
    word's plan reads the word's index, a common word's the date index): its statement is
    sent with its values, planned each time, and only the ORM's compiling is saved."""
    return _template((shape, wrap), build, values, wrap).rows(values, prepare=prepare)


def run_joined(
    shape: tuple,
    first: Callable[..., QuerySet],
    first_values: dict,
    then: Callable[..., QuerySet],
    then_values: dict,
    *,
    link: dict[str, str],
    columns: tuple[str, ...],
) -> tuple[dict | None, list[tuple]]:
    """Two reads in one statement, one round trip, where the second needs a value of the
    first's row: the API token's account, then the page of the home feed of that account.
    `first` (one row at most: a lookup by a unique key) runs once, as a materialized CTE;
    `then` as a LATERAL subquery of it, with each of its markers named in `link` taken from
    the first's column of that name ({"viewer": "user__id"}; `then_values` gives such a
    marker's type, its value is not used). Each is compiled once per process and shape, as
    in `run`. Returns the first's row as a dict (None when it matched nothing) and then's
    rows as tuples in the order of `columns` (checked as in `run_tuples`); the statement
    gives then's rows in no promised order (sort them), and then's first column must never
    be null (its primary key: a null there is the first's row with no match). Neither query
    may need the ORM's converters (PostgreSQL's types need none). On SQLite, which has no
    LATERAL, the two run one after the other."""
    key = (shape, "joined", _signature(first_values), _signature(then_values))
    joined = _templates.get(key)
    if joined is None:  # outside the lock: _template takes it
        head = _template((shape, "first"), first, first_values, "{}")
        joined = _Joined(head, _template((shape, "then"), then, then_values, "{}"), link)
        with _lock:
            joined = _templates.setdefault(key, joined)
    if joined.then.names != columns:
        raise ValueError(f"The query's columns are {joined.then.names}, not {columns}.")
    head = joined.first
    if joined.sql is None:
        found = head.run(first_values)
        if not found:
            return None, []
        linked = {name: found[0][column] for name, column in joined.link.items()}
        return found[0], joined.then.converted({**then_values, **linked})
    rows = joined.rows({**first_values, **then_values})
    if not rows:
        return None, []
    width = len(head.names)
    found = [row[width:] for row in rows if row[width] is not None]
    return dict(zip(head.names, rows[0][:width], strict=True)), found


def _signature(values: dict) -> tuple:
    return tuple(sorted((name, type(v).__name__) for name, v in values.items()))


def _template(shape: tuple, build, values: dict, wrap: str) -> "_Template":
    key = (shape, _signature(values))
    template = _templates.get(key)
    if template is None:
        with _lock:
            template = _templates.get(key) or _Template(build, values, wrap)
            _templates[key] = template
    return template


def instance(model, row: dict, *, db: str | None = None):
    """A row of `run` as the ORM loads it into `model` (Model.from_db: not being added, its
    database set; fields the row lacks deferred, as with `.only()`): the model's own fields
    by attname, and anything else the row holds (an annotation) set as an attribute, as
    `.annotate()` does."""
    names, extra = _columns(model, tuple(row))
    obj = model.from_db(db or model.objects.db, names, [row[name] for name in names])
    for name in extra:
        setattr(obj, name, row[name])
    return obj


@functools.lru_cache(maxsize=256)
def _columns(model, keys: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """A row's keys as `model`'s own fields (by attname, in the model's order) and the
    rest (annotations): worked out once per model and set of keys, not per row."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in keys]
    return names, [key for key in keys if key not in names]


def related_fields(model, related: tuple[str, ...]) -> list[str]:
    """The `.values()` names of `model`'s own fields and of every field of each of `related`
    (forward foreign keys or one-to-ones: "user__username"): a row that `loaded` makes into
    instances, what `.select_related(*related)` reads."""
    names = [f.attname for f in model._meta.concrete_fields]
    for name in related:
        target = model._meta.get_field(name).related_model
        names += [f"{name}__{f.attname}" for f in target._meta.concrete_fields]
    return names


def loaded(model, row: dict, *, related: tuple[str, ...], db: str | None = None):
    """`instance`, with each of `related` built from its own values in the row (named as
    `related_fields` names them) and cached on it both ways, as `.select_related()` leaves
    them: reading `profile.user` costs no query. A relation whose key is null is None."""
    own, parts = _split(model, tuple(row), related)
    db = db or model.objects.db
    obj = model.from_db(db, own.names, [row[key] for key in own.names])
    for key in own.extra:
        setattr(obj, key, row[key])
    for field, keys, part in parts:
        target = None
        if row[keys[part.names.index(field.target_field.attname)]] is not None:
            values = [row[key] for key in keys]
            target = field.related_model.from_db(db, part.names, values[: len(part.names)])
            for name, value in zip(part.extra, values[len(part.names) :], strict=True):
                setattr(target, name, value)
            if field.one_to_one:
                field.remote_field.set_cached_value(target, obj)
        field.set_cached_value(obj, target)
    return obj


@dataclass(frozen=True)
class _Part:
    names: list  # the model's own fields, by attname, in the model's order
    extra: list  # the rest (annotations)


@functools.lru_cache(maxsize=256)
def _split(model, keys: tuple[str, ...], related: tuple[str, ...]):
    """How `loaded` reads a row with `keys`: worked out once per model, keys and relations
    (splitting every row's keys by prefix cost a fifth of a page of 25 people, issue 18).
    (own part, [(field, the row's keys for the relation in the order of its part, part)])."""
    parts, taken = [], set()
    for name in related:
        prefix = f"{name}__"
        named = {k.removeprefix(prefix): k for k in keys if k.startswith(prefix)}
        taken.update(named.values())
        names, extra = _columns(model._meta.get_field(name).related_model, tuple(named))
        part = _Part(names, extra)
        parts.append((model._meta.get_field(name), [named[k] for k in names + extra], part))
    names, extra = _columns(model, tuple(k for k in keys if k not in taken))
    return _Part(names, extra), parts


class _Template:
    def __init__(self, build, values: dict, wrap: str):
        marks = {name: marker(type(v), i) for i, (name, v) in enumerate(sorted(values.items()))}
        queryset = build(**marks)
        self.db = queryset.db
        compiler = queryset.query.get_compiler(using=self.db)
        sql, params = compiler.as_sql()
        prepared = {_prepare(self.db, mark): name for name, mark in marks.items()}
        self.sql, self.params, self.slots = _inline_constants(
            self.db, wrap.format(sql), list(params), [_slot(prepared, p) for p in params]
        )
        carried = {s if isinstance(s, str) else s[0] for s in self.slots if s}
        missing = set(marks) - carried
        if missing:
            raise ValueError(f"The query does not carry {sorted(missing)} as parameters.")
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        self.names = (
            *queryset.query.extra_select,
            *queryset.query.values_select,
            *queryset.query.annotation_select,
        )
        self.converters = list(compiler.get_converters(fields).items())

    def rows(self, values: dict, *, prepare: bool = True) -> list[tuple]:
        connection = connections[self.db]
        params = [
            self._param(connection, p, slot, values)
            for p, slot in zip(self.params, self.slots, strict=True)
        ]
        with prepared_cursor(connection, prepare=prepare) as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def converted(self, values: dict, *, prepare: bool = True) -> list:
        rows = self.rows(values, prepare=prepare)
        if self.converters:  # as SQLCompiler.apply_converters, with this thread's connection
            connection = connections[self.db]
            rows = [list(row) for row in rows]
            for row in rows:
                for pos, (convs, expression) in self.converters:
                    for convert in convs:
                        row[pos] = convert(row[pos], expression, connection)
        return rows

    def run(self, values: dict, *, prepare: bool = True) -> list[dict]:
        rows = self.converted(values, prepare=prepare)
        return [dict(zip(self.names, row, strict=True)) for row in rows]

    def _param(self, connection, param, slot, values: dict):
        if slot is None:
            return param
        if isinstance(slot, tuple):  # a LIKE pattern around a marker: escaped as the ORM does
            name, before, after = slot
            return before + connection.ops.prep_for_like_query(values[name]) + after
        return _prepare(self.db, values[slot])


# A parameter's place in the SQL the ORM compiles ("%%" is a literal percent sign).
_PLACEHOLDERS = re.compile(r"(%%|%s)")
_JOINED = (
    "WITH joined_first AS MATERIALIZED ({}) SELECT joined_first.*, joined_then.* "
    "FROM joined_first LEFT JOIN LATERAL ({}) joined_then ON TRUE"
)


def _inline_constants(db: str, sql: str, params: list, slots: list) -> tuple[str, list, list]:
    """On PostgreSQL, the query's constants (a str, int or bool that is no marker) written
    into its SQL as literals: a prepared statement's generic plan is made without its
    parameters' values, and a parameter where the ORM had a constant kept the planner from
    what it knows of that value (All company's group found by a scan of every group instead
    of its partial unique index, whose condition names the constant)."""
    connection = connections[db]
    if connection.vendor != "postgresql":
        return sql, params, slots

    def literal(param, slot) -> str | None:
        if slot is None and isinstance(param, str | int):  # bool is an int
            return connection.ops.compose_sql("%s", [_plain(param)]).replace("%", "%%")
        return None

    return _replace_parameters(sql, params, slots, literal)


def _replace_parameters(sql: str, params: list, slots: list, replace) -> tuple[str, list, list]:
    """`sql` with each parameter for which replace(param, slot) gives SQL text written as
    that text; the parameters and slots left, in order."""
    pieces, kept_params, kept_slots = [], [], []
    parameters = iter(zip(params, slots, strict=True))
    for piece in _PLACEHOLDERS.split(sql):
        if piece == "%s":
            param, slot = next(parameters)
            written = replace(param, slot)
            if written is None:
                kept_params.append(param)
                kept_slots.append(slot)
            else:
                piece = written
        pieces.append(piece)
    return "".join(pieces), kept_params, kept_slots


def _plain(constant: str | int):
    """A constant as its plain type: a TextChoices member as its str, psycopg's Int4 an int."""
    if isinstance(constant, bool):
        return bool(constant)
    return int(constant) if isinstance(constant, int) else str.__str__(constant)


class _Joined(_Template):
    """Two templates as one statement (run_joined): the first a materialized CTE (inlined,
    its role checks ran for every row of the second), the second a LATERAL subquery."""

    def __init__(self, first: _Template, then: _Template, link: dict[str, str]):
        self.first, self.then, self.link, self.sql = first, then, link, None
        if connections[first.db].vendor != "postgresql":  # no LATERAL: two statements
            return
        if first.converters or then.converters or first.db != then.db:
            raise ValueError("run_joined needs two reads of one database without converters.")
        quote = connections[first.db].ops.quote_name

        def column(param, slot) -> str | None:
            linked = isinstance(slot, str) and slot in link
            return f"joined_first.{quote(link[slot])}" if linked else None

        sql, params, slots = _replace_parameters(then.sql, then.params, then.slots, column)
        self.db, self.sql = first.db, _JOINED.format(first.sql, sql)
        self.params, self.slots = [*first.params, *params], [*first.slots, *slots]
        self.names = (*first.names, *then.names)
        self.converters = []


def _slot(prepared: dict, param) -> str | tuple[str, str, str] | None:
    """Which marker `param` is: its name; (name, before, after) for a LIKE pattern around a
    str marker (a contains, icontains, startswith or endswith lookup: "%marker%"); None,
    also for a marker inside any other string, whose value could not be swapped in."""
    try:
        found = prepared.get(param)
    except TypeError:  # an unhashable parameter (a list) is never a marker
        return None
    if found is not None or not isinstance(param, str):
        return found
    for mark, name in prepared.items():
        if isinstance(mark, str) and mark in param:
            before, _, after = param.partition(mark)
            if before.strip("%") or after.strip("%"):  # not a LIKE pattern: not carried
                return None
            return (name, before, after)
    return None


def _prepare(db: str, value):
    """The value as the ORM passes it to the database driver."""
    if isinstance(value, dt.datetime):
        return connections[db].ops.adapt_datetimefield_value(value)
    return value
