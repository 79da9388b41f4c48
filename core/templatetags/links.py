"""{% link "name" %}, {% link "name" pk %} and {% asset "path" %}: {% url %} without
arguments or with one number, and {% static %}, worked out once per process (core.links)."""

from django import template

from core.links import asset_url, fixed_url, id_url

register = template.Library()


@register.simple_tag
def link(name: str, pk: int | None = None) -> str:
    return fixed_url(name) if pk is None else id_url(name, pk)


@register.simple_tag
def asset(path: str) -> str:
    return asset_url(path)
