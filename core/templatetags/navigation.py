"""{% nav_links navigation active_section %} and {% menu_links navigation %}: the shell's
navigation entries as links, rendered once per process for each person's set of entries
(core.navigation.links_html)."""

from django import template

from core.navigation import links_html

register = template.Library()


@register.simple_tag
def nav_links(navigation, active_section: str = ""):
    return links_html(navigation, active_section, in_menu=False)


@register.simple_tag
def menu_links(navigation):
    return links_html(navigation, "", in_menu=True)
