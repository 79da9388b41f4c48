"""core.links: the shell's fixed links, worked out once, follow the script prefix, the URL
configuration and the static settings as {% url %} and {% static %} do."""

import pytest
from django.template import engines
from django.templatetags.static import static
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core import links


def test_a_fixed_link_is_what_url_and_static_give_under_every_prefix_and_setting():
    assert links.fixed_url("people:directory") == reverse("people:directory")
    try:
        set_script_prefix("/intranet/")
        assert links.fixed_url("people:directory") == "/intranet/people/"
        assert links.asset_url("css/socialhub.css") == static("css/socialhub.css")
    finally:
        set_script_prefix("/")
    assert links.fixed_url("people:directory") == "/people/"
    with override_settings(STATIC_URL="/assets/"):
        assert links.asset_url("css/socialhub.css") == "/assets/css/socialhub.css"
    assert links.asset_url("css/socialhub.css") == "/static/css/socialhub.css"


def test_the_tags_write_the_links():
    page = engines["django"].from_string(
        "{% load links %}<a href=\"{% link 'people:edit' %}\"></a>{% asset 'img/menu.svg' %}"
    )
    assert page.render({}) == '<a href="/people/me/edit/"></a>/static/img/menu.svg'


def test_a_link_with_a_number_is_what_url_gives_for_it():
    for name, pk in (("feeds:delete-comment", 7), ("feeds:comment", 123456), ("feeds:post", 0)):
        assert links.id_url(name, pk) == reverse(name, args=[pk])
    try:
        set_script_prefix("/intranet/")
        assert links.id_url("feeds:report-comment", 42) == "/intranet/comments/42/report/"
    finally:
        set_script_prefix("/")
    page = engines["django"].from_string("{% load links %}{% link 'feeds:remove-comment' c %}")
    assert page.render({"c": 9}) == "/comments/9/remove/"
    # A name that takes no argument is refused, as reverse() refuses it.
    with pytest.raises(NoReverseMatch):
        links.id_url("people:directory", 1)
