"""The main navigation of the shell, in one place.

Each entry names a URL; an entry whose app has not shipped its pages yet (the URL name does
not resolve) is left out rather than shown as a dead link. An app may count something for
its entry (unread messages) with `register_badge(section, url_name)`: the URL answers the
count as plain text, and the page script fills the badge from it (static/js/messages.js) and
again on live events, so rendering a page costs no query for it.

A person's entries are a tuple of `NavLink`s, and the bar's HTML for one tuple and active
section is rendered once per process (`links_html`): the two loops over the entries cost
0.3-0.6 ms of every page's template (base.html rendered alone, in one process; issue 18),
for markup that only a handful of (entries, section) pairs ever produce.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils.safestring import SafeString

from .kept_markup import kept
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


class NavLink(NamedTuple):
    """One entry as a person's bar shows it (hashable: the rendered bar is kept per tuple)."""

    label: str
    url: str
    section: str
    badge_url: str
    in_menu: bool


def navigation_for(user) -> tuple[NavLink, ...]:
    """The entries `user` sees, in order: the bar's, then those of the account menu."""
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
            NavLink(
                label=item.label,
                url=url,
                section=item.section,
                badge_url=fixed_url(badge) if badge else "",
                in_menu=item.in_menu,
            )
        )
    return tuple(items)


def links_html(links: tuple[NavLink, ...], active_section: str, *, in_menu: bool) -> SafeString:
    """The links of the bar (`in_menu` False: the section shown marked as the current page)
    or of the account menu, as core/_nav_links.html renders them; the same markup for the
    same arguments, so each combination is rendered once per process (at most 512 kept)."""
    return _rendered_links(links, active_section if not in_menu else "", in_menu)


@kept(maxsize=512)
def _rendered_links(links: tuple[NavLink, ...], active_section: str, in_menu: bool) -> SafeString:
    shown = [link for link in links if link.in_menu == in_menu]
    return render_to_string(
        "core/_nav_links.html", {"links": shown, "active_section": active_section}
    )
