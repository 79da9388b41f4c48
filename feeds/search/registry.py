"""What a result is (Hit), and the kinds of result apps above feeds add (SearchType,
register_search_type) beside the built-in ones."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from .query import TYPES


@dataclass
class Hit:
    """One result, whatever its kind, as the page and the API show it."""

    type: str
    id: int
    title: str
    url: str
    snippet: SafeString
    created_at: object = None
    group: object = None
    author: object = None  # a Profile
    obj: object = None
    kind_label: str = ""  # what the page calls a registered kind's hit ("Knowledge")


@dataclass(frozen=True)
class SearchType:
    """A kind of result an app above feeds adds (register_search_type).

    `matching(user, query, markers)` returns the rows `user` may read that match, in rank
    order (with `markers`: loaded for display, a fixed number of queries per page);
    `hit(row, query, markers)` makes its Hit. `label` names the tab ("Knowledge"), `one`
    a single result ("entry")."""

    name: str
    label: str
    one: str
    matching: Callable[..., QuerySet]
    hit: Callable[..., Hit]


_registered: dict[str, SearchType] = {}


def register_search_type(search_type: SearchType) -> None:
    """Add (or replace, by name) a kind of result; call from AppConfig.ready."""
    if search_type.name in TYPES:
        raise ValueError(f"{search_type.name} is a built-in search type")
    _registered[search_type.name] = search_type


def search_types() -> tuple[str, ...]:
    """Every kind of result, the built-in ones first."""
    return TYPES + tuple(_registered)


def registered_type(name: str) -> SearchType | None:
    return _registered.get(name)
