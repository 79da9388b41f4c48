"""Tabs that apps above groups add to the group page (templates/groups/_header.html).

The group page's header belongs to groups, but some of its tabs are pages of higher apps
(the file library, community analytics). They register here in their AppConfig.ready, so
groups never imports them: `register_group_tab("Files", "library:files", "files")`.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class GroupTab:
    label: str
    url_name: str  # reversed with the group's slug
    tab: str  # the `tab` of group_context that marks it current
    leaders_only: bool = False  # shown to the group's leaders and admins only


_tabs: list[GroupTab] = []


def register_group_tab(label: str, url_name: str, tab: str, *, leaders_only: bool = False):
    """Add a tab after About (in registration order); registering the same tab twice keeps
    one."""
    entry = GroupTab(label, url_name, tab, leaders_only)
    if entry not in _tabs:
        _tabs.append(entry)


def tabs_for(slug: str, *, moderator: bool) -> list[dict]:
    """The registered tabs this viewer sees on the group `slug`, with their URLs."""
    found = []
    for entry in _tabs:
        if entry.leaders_only and not moderator:
            continue
        try:
            url = reverse(entry.url_name, args=[slug])
        except NoReverseMatch:
            continue
        found.append({"label": entry.label, "url": url, "tab": entry.tab})
    return found
