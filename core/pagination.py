"""Keyset (cursor) pagination for every list that grows.

A page is "the next N rows after this key" over an index on the ordering columns, so page
1,000 costs what page 1 costs (OFFSET would scan and discard every earlier row). The cursor
is opaque to clients: base64 of the last row's ordering values.
"""

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

MAX_PAGE_SIZE = 100


class InvalidCursor(ValueError):
    pass


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None


def _encode(values: list) -> str:
    def plain(value):
        return value.isoformat() if isinstance(value, dt.datetime) else value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, fields: tuple[str, ...], sample_types: tuple[type, ...]) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("This cursor is not valid.") from exc
    if not isinstance(values, list) or len(values) != len(fields):
        raise InvalidCursor("This cursor is not valid.")
    decoded = []
    for value, kind in zip(values, sample_types, strict=True):
        if kind is dt.datetime:
            try:
                value = dt.datetime.fromisoformat(value)
            except (TypeError, ValueError) as exc:
                raise InvalidCursor("This cursor is not valid.") from exc
        elif not isinstance(value, kind) or isinstance(value, bool):
            raise InvalidCursor("This cursor is not valid.")
        decoded.append(value)
    return decoded


def _after(fields: tuple[str, ...], values: list) -> Q:
    """Rows strictly after `values` in the ordering `fields` ("-name" means descending).

    (a > x) OR (a = x AND b > y) alone is a filter the database checks row by row from the
    start of the index; the leading `a >= x` makes it an index condition, so a deep page
    starts where it should.
    """
    first = fields[0]
    leading = Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": values[0]})
    condition = Q()
    for i, field in enumerate(fields):
        name = field.lstrip("-")
        op = "lt" if field.startswith("-") else "gt"
        step = Q(**{f"{name}__{op}": values[i]})
        for earlier, value in zip(fields[:i], values[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return leading & condition


def paginate_keyset(
    queryset: QuerySet,
    *,
    ordering: tuple[str, ...],
    types: tuple[type, ...],
    cursor: str | None,
    size: int,
) -> KeysetPage:
    """One page of `queryset` in `ordering` after `cursor`.

    The last ordering field must be unique (the primary key) so that the order is total.
    `types` are the Python types of the ordering values, used to validate a cursor. Raises
    InvalidCursor for a cursor this function did not make.
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    after = decode_cursor(cursor, ordering=ordering, types=types)
    rows = list(page_query(queryset, ordering=ordering, after=after, size=size))
    return page_of(rows, ordering=ordering, size=size)


def decode_cursor(cursor: str | None, *, ordering: tuple[str, ...], types: tuple[type, ...]):
    """The ordering values a cursor carries (None for no cursor); InvalidCursor if bad."""
    return _decode(cursor, ordering, types) if cursor else None


def page_query(
    queryset: QuerySet, *, ordering: tuple[str, ...], after: list | None, size: int
) -> QuerySet:
    """The rows of a page after the ordering values `after`, and one more to tell whether
    another page follows (page_of)."""
    queryset = queryset.order_by(*ordering)
    if after is not None:
        queryset = queryset.filter(_after(ordering, after))
    return queryset[: size + 1]


def page_of(rows: list, *, ordering: tuple[str, ...], size: int) -> KeysetPage:
    """The page of up to `size` rows read by page_query, with the cursor of the next one."""
    items, more = rows[:size], len(rows) > size
    next_cursor = None
    if more:
        last = items[-1]
        next_cursor = _encode([_value_of(last, f.lstrip("-")) for f in ordering])
    return KeysetPage(items=items, next_cursor=next_cursor)


def first_pages(
    queryset: QuerySet, *, partition: str, ordering: tuple[str, ...], size: int
) -> dict:
    """The first page of each value of `partition` (the options of a poll, the answers to an
    event) in `ordering`, in one query (a window function ranks the rows of each part):
    {value: KeysetPage}, each with the cursor of its next page for paginate_keyset."""
    ranked = first_pages_query(queryset, partition=partition, ordering=ordering, size=size)
    return first_pages_of(ranked, partition=partition, ordering=ordering, size=size)


def first_pages_query(
    queryset: QuerySet, *, partition: str, ordering: tuple[str, ...], size: int
) -> QuerySet:
    """The rows first_pages reads: each part's first size + 1 rows, ranked by a window
    function, ordered by part then `ordering` (for a caller that runs it itself: a query
    compiled once, core.compiled)."""
    order = [F(f.lstrip("-")).desc() if f.startswith("-") else F(f).asc() for f in ordering]
    return (
        queryset.annotate(
            keyset_rank=Window(RowNumber(), partition_by=[F(partition)], order_by=order)
        )
        .filter(keyset_rank__lte=size + 1)
        .order_by(partition, *ordering)
    )


def first_pages_of(rows, *, partition: str, ordering: tuple[str, ...], size: int) -> dict:
    """first_pages' answer from the rows of first_pages_query (models or dicts)."""
    parts: dict = {}
    for row in rows:
        parts.setdefault(_value_of(row, partition), []).append(row)
    return {key: page_of(rows, ordering=ordering, size=size) for key, rows in parts.items()}


def keyset_after(ordering: tuple[str, ...], types: tuple[type, ...], cursor: str) -> Q:
    """The filter "after `cursor`" of paginate_keyset, for a caller that pages something
    paginate_keyset cannot take whole (a UNION of two tables, each filtered before the
    union). Raises InvalidCursor for a cursor that is not one of ours."""
    return _after(ordering, _decode(cursor, ordering, types))


def encode_cursor(values: list) -> str:
    """The cursor after a row whose ordering values are `values` (see keyset_after)."""
    return _encode(values)


def _value_of(obj, path: str):
    if isinstance(obj, dict):  # a row of .values()
        return obj[path]
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def page_size_from(raw: str | None, *, default: int = 25) -> int:
    """Parse a page size parameter, raising a message that names it when it is bad."""
    from .errors import ApplicationError

    if raw in (None, ""):
        return default
    try:
        size = int(raw)
    except ValueError as exc:
        raise ApplicationError("Enter a whole number.", field="page_size") from exc
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ApplicationError(
            f"Choose a page size between 1 and {MAX_PAGE_SIZE}.", field="page_size"
        )
    return size
