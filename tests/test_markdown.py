"""User Markdown becomes HTML through one function ending in nh3; a real XSS corpus stays inert."""

import pytest

from core.markdown import render_markdown

from .xss import assert_inert, payloads


@pytest.mark.parametrize("payload", payloads())
def test_xss_vectors_render_inert(payload):
    assert_inert(render_markdown(payload), fragment=True)


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![img](javascript:alert(1))",
        "[ref]\n\n[ref]: javascript:alert(1)",
        '<a href="javascript:alert(1)">raw</a>',
    ],
)
def test_dangerous_links_lose_their_target(source):
    html = render_markdown(source)
    assert_inert(html, fragment=True)


def test_markdown_formats_and_links_get_rel():
    html = render_markdown("# Title\n\n**bold** and [site](https://example.com)\n\n- a\n- b")
    assert "<h3>Title</h3>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="nofollow noopener noreferrer">site</a>' in html
    assert "<li>a</li>" in html


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"


def test_html_text_is_what_the_reader_sees():
    from core.markdown import html_text, render_markdown

    html = render_markdown(
        "**Hi** @ben, see [the docs](https://x.org) &amp; <b>\n\n- one\n- two",
        mentions={"ben": ("/people/ben/", "Ben O'Kafor")},
    )
    assert html_text(html) == "Hi Ben O'Kafor, see the docs & <b> one two"
