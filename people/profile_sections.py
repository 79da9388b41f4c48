"""Sections that apps above people add to a person's profile page.

people sits below the feature apps and imports none of them: an app registers a section in
its AppConfig.ready (feeds: "Praise received"), the way digest sections register with
notifications. A section's `build(viewer, profile)` returns the context of its template,
already filtered for `viewer` through the app's own visibility selectors, or None to leave
the section out; it should cost a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileSection:
    name: str
    template: str
    build: Callable[[object, object], dict | None]
    order: int


_sections: dict[str, ProfileSection] = {}


def register_profile_section(
    name: str, *, template: str, build: Callable[[object, object], dict | None], order: int = 100
) -> None:
    _sections[name] = ProfileSection(name=name, template=template, build=build, order=order)


def sections_for(viewer, profile) -> list[dict]:
    """The registered sections `viewer` sees on `profile`'s page, in order: each a dict
    with its `name`, `template` and `data` (what its build returned)."""
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.name)):
        data = section.build(viewer, profile)
        if data is not None:
            shown.append({"name": section.name, "template": section.template, "data": data})
    return shown
