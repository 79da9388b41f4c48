"""{% link "name" %} and {% asset "path" %}: {% url %} without arguments and {% static %},
worked out once per process (core.links)."""

from django import template

from core.links import asset_url, fixed_url

register = template.Library()


@register.simple_tag
def link(name: str) -> str:
    return fixed_url(name)


@register.simple_tag
def asset(path: str) -> str:
    return asset_url(path)
