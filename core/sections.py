"""Boxes that apps above a page's owner add to it, without the owner importing them.

A page names itself ("profile", "topic") and asks `sections_for(page, viewer, obj)`; an app
registers `register_section(page, name, build)` in its AppConfig.ready, where
`build(viewer, obj)` returns None (nothing to show) or a dict with a "template" (rendered
with the dict as `section`) and whatever that template reads. A builder shows only what
`viewer` may read and costs a fixed number of queries.
"""

from collections.abc import Callable

SectionBuilder = Callable[[object, object], dict | None]
_sections: dict[str, dict[str, SectionBuilder]] = {}


def register_section(page: str, name: str, build: SectionBuilder) -> None:
    """Add (or replace, for the same name) a section of `page`."""
    _sections.setdefault(page, {})[name] = build


def sections_for(page: str, viewer, obj) -> list[dict]:
    """The sections of `page` about `obj` as `viewer` may see them, in registration order."""
    found = []
    for build in _sections.get(page, {}).values():
        section = build(viewer, obj)
        if section:
            found.append(section)
    return found
