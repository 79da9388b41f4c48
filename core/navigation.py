"""The main navigation of the shell, in one place.

Each entry names a URL; an entry whose app has not shipped its pages yet (the URL name does
not resolve) is left out rather than shown as a dead link. An app may count something for
its entry (unread messages) with `register_badge(section, url_name)`: the URL answers the
count as plain text, and the page script fills the badge from it (static/js/messages.js) and
again on live events, so rendering a page costs no query for it.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import NoReverseMatch

from .links import fixed_url


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    section: str
    staff_only: bool = False
    # Shown only to those the predicate registered under this name says (register_audience):
    # the app that owns the page decides, core does not know the roles.
    audience: str = ""
    # In the account menu rather than the bar: pages a few people visit now and then (the
    # bar must hold the busiest role's sections at 1366 px).
    in_menu: bool = False


NAVIGATION = (
    NavItem("Feed", "home", "feed"),
    NavItem("Groups", "groups:directory", "groups"),
    NavItem("Messages", "messaging:inbox", "messages"),
    NavItem("People", "people:directory", "people"),
    NavItem("Questions", "routing:inbox", "questions"),
    NavItem("Knowledge", "knowledge:list", "knowledge"),
    NavItem("Alerts", "monitoring:alerts", "alerts", audience="listening"),
    NavItem("Campaigns", "campaigns:list", "campaigns"),
    NavItem("Policy", "policies:current", "policy"),
    NavItem("Social", "social:org", "social"),
    NavItem(
        "Company insights", "analytics:company", "insights", audience="analytics", in_menu=True
    ),
    NavItem("Admin", "admin:index", "admin", staff_only=True),
)


_audiences: dict = {}


def _nobody(user) -> bool:
    return False


def register_audience(name: str, predicate) -> None:
    """Who sees the entries with `audience=name`: `predicate(user) -> bool`, registered by
    the app that owns the page (in its AppConfig.ready). Called on every page: keep it to a
    cached lookup or one query. An entry whose audience nobody registered is hidden."""
    _audiences[name] = predicate


def remembered(name: str, predicate, *, seconds: int = 60, known=lambda user: False):
    """`predicate` as an audience the bar may ask on every page at no query: its answer for a
    user is kept in the cache for `seconds` (a changed role shows in the bar within that
    time; the page itself always checks afresh). Asked directly when `known(user)` says the
    answer is free (the user's roles came with the account) and for superusers; that
    answer is not kept."""

    def check(user) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser or known(user):
            return bool(predicate(user))  # free now
        key = f"nav:{name}:{user.pk}"
        shown = cache.get(key)
        if shown is None:
            shown = bool(predicate(user))
            cache.set(key, shown, seconds)
        return shown

    return check


_badges: dict[str, str] = {}


def register_badge(section: str, url_name: str) -> None:
    """Show the count that `url_name` answers beside the navigation entry of `section`."""
    _badges[section] = url_name


def navigation_for(user) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if item.staff_only and not user.is_staff:
            continue
        if item.audience and not _audiences.get(item.audience, _nobody)(user):
            continue
        try:
            url = fixed_url(item.url_name)
        except NoReverseMatch:
            continue
        badge = _badges.get(item.section)
        items.append(
            {
                "label": item.label,
                "url": url,
                "section": item.section,
                "badge_url": fixed_url(badge) if badge else "",
                "in_menu": item.in_menu,
            }
        )
    return items
