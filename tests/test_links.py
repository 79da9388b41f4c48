"""core.links: the shell's fixed links, worked out once, follow the script prefix, the URL
configuration and the static settings as {% url %} and {% static %} do."""

from django.template import engines
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse, set_script_prefix

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
