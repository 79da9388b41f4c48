"""The main navigation of the shell, in one place.

Each entry names a URL; an entry whose app has not shipped its pages yet (the URL name does
not resolve) is left out rather than shown as a dead link. An app may count something for
its entry (unread messages) with `register_badge(section, count_for_user)`: one query per
page, shown as a small count beside the label.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    section: str
    staff_only: bool = False


NAVIGATION = (
    NavItem("Feed", "home", "feed"),
    NavItem("Groups", "groups:directory", "groups"),
    NavItem("Messages", "messaging:inbox", "messages"),
    NavItem("People", "people:directory", "people"),
    NavItem("Questions", "routing:inbox", "questions"),
    NavItem("Policy", "policies:current", "policy"),
    NavItem("Admin", "admin:index", "admin", staff_only=True),
)


_badges: dict[str, Callable[[object], int]] = {}


def register_badge(section: str, count: Callable[[object], int]) -> None:
    """Show `count(user)` beside the navigation entry of `section` when it is not zero."""
    _badges[section] = count


def navigation_for(user) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if item.staff_only and not user.is_staff:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        badge = _badges.get(item.section)
        items.append(
            {
                "label": item.label,
                "url": url,
                "section": item.section,
                "badge": badge(user) if badge else None,
            }
        )
    return items
