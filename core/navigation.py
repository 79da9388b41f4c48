"""The main navigation of the shell, in one place.

Each entry names a URL; an entry whose app has not shipped its pages yet (the URL name does
not resolve) is left out rather than shown as a dead link.
"""

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
    NavItem("People", "people:directory", "people"),
    NavItem("Questions", "routing:inbox", "questions"),
    NavItem("Campaigns", "campaigns:list", "campaigns"),
    NavItem("Policy", "policies:current", "policy"),
    NavItem("Admin", "admin:index", "admin", staff_only=True),
)


def navigation_for(user) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if item.staff_only and not user.is_staff:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "section": item.section})
    return items
