"""Plain summaries of what people typed (issue 12, "one display bug"): one helper,
core.markdown.excerpt, builds them from the source Markdown for the digest (HTML and
text parts), notification titles, email subjects and search snippets. What a person typed
arrives as they typed it, escaped exactly once in HTML; no Markdown syntax, no entity, no
word cut in half."""

import html
import re

import pytest
from django.core import mail
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from core.markdown import ELLIPSIS, excerpt, markdown_text, render_markdown, shorten
from feeds import services as feeds
from feeds.digest import DigestPost
from feeds.search import excerpt as search_excerpt
from groups import services as groups
from groups.models import Group
from notifications import digests, emails, services
from notifications.models import Notification
from tests.conftest import client_for
from tests.factories import make_person
from tests.xss import assert_inert, payloads

from .test_digest import busy_post, digest_for, run

pytestmark = pytest.mark.django_db

TYPED = '<b> & "quotes"'
# What HTML shows of it, escaped once.
ONCE = "&lt;b&gt; &amp; &quot;quotes&quot;"
MARKDOWN = "Welcome to **socialhub**, _the_ `place` to [meet](https://example.org) # people"
SYNTAX = ("**", "`", "](", "_the_", "&amp;", "&lt;", "&#")


@pytest.fixture
def public(employee, colleague):
    group = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    groups.join_group(actor=colleague, group=group)
    return group


def _html_text(document: str) -> str:
    """What a mail client shows of the HTML: tags out, entities decoded once."""
    return html.unescape(re.sub(r"<[^>]+>", "", document))


# --- The digest -------------------------------------------------------------------------------


def test_the_digest_shows_what_was_typed_escaped_once(employee, colleague, public):
    busy_post(public, employee, TYPED)
    busy_post(public, employee, MARKDOWN)
    run()
    (message,) = digest_for(colleague)
    document = message.alternatives[0][0]
    assert ONCE in document
    assert "&amp;lt;" not in document and "&amp;amp;" not in document
    assert TYPED in _html_text(document)
    assert TYPED in message.body  # the text part: plain, as typed
    shown = "Welcome to socialhub, the place to meet # people"
    assert shown in message.body and shown in _html_text(document)
    assert "**" not in message.body and "**" not in document


def test_the_digest_shows_a_mention_as_the_persons_name(employee, colleague, public):
    busy_post(public, employee, "Thanks @ben.okafor for the **launch**")
    run()
    (message,) = digest_for(colleague)
    shown = "Thanks Ben Okafor for the launch"
    assert shown in message.body and shown in _html_text(message.alternatives[0][0])
    assert "@ben.okafor" not in message.body


def test_the_digest_keeps_the_xss_corpus_inert():
    """Every vector of the corpus as a busy post, rendered through the digest templates."""
    user = make_person("xena.x").user
    digest = digests.Digest(user=user, since=timezone.now())
    digest.posts = [
        DigestPost(
            pk=i + 1, group_id=1, author_id=user.pk, created_at=timezone.now(), body=vector,
            body_html=render_markdown(vector), group_name="Guild", author_name="Xena",
            url=f"/posts/{i + 1}/", activity=3, comment_count=1, reaction_count=2,
        )
        for i, vector in enumerate(payloads())
    ]  # fmt: skip
    subject, text, document, _ = digests.render_digest(digest, frequency="weekly")
    assert_inert(document)
    for post in digest.posts:
        assert html.escape(post.excerpt) in document  # escaped once, as plain text
        assert post.excerpt in text
        assert "&amp;lt;" not in document


# --- Notification titles and email subjects ------------------------------------------------


def test_notification_titles_and_subjects_carry_no_markdown(
    employee, colleague, public, django_capture_on_commit_callbacks
):
    services.set_preferences(
        actor=colleague, deliveries={"announcement": "immediate", "comment": "immediate"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        feeds.create_post(actor=employee, group=public, body=MARKDOWN, kind="announcement")
        mine = feeds.create_post(actor=colleague, group=public, body=f"{TYPED} **bold** news")
        feeds.create_comment(actor=employee, post=mine, body="Nice")
    texts = dict(Notification.objects.filter(recipient=colleague).values_list("kind", "text"))
    assert texts["announcement"].startswith("Announcement in Guild: Welcome to socialhub, the")
    assert texts["comment"] == f"Ana Garcia commented on your post “{TYPED} bold news”"
    subjects = [m.subject for m in mail.outbox if m.to == [colleague.email]]
    assert len(subjects) == 2
    for text in [*texts.values(), *subjects]:
        assert not any(s in text for s in SYNTAX), text
    center = html.unescape(client_for(colleague).get("/notifications/").content.decode())
    assert "Welcome to socialhub" in center and "**socialhub**" not in center


def test_an_email_subject_is_cut_between_words(colleague):
    notification = Notification.objects.create(
        recipient=colleague, kind="mention", text=("lengthy " * 30).strip(), url="/"
    )
    assert emails.send_notification_emails([notification.pk]) == 1
    subject = mail.outbox[-1].subject
    assert len(subject) <= 200 and subject.endswith(ELLIPSIS)
    assert set(subject.rstrip(ELLIPSIS).split()) == {"lengthy"}
    assert (
        shorten("word " * 80, 50) == " ".join(["word"] * 10) + ELLIPSIS
    )  # 49 characters and the ellipsis


# --- The helper -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("Welcome to **socialhub**", "Welcome to socialhub"),
        (TYPED, TYPED),
        ("a &amp; b &lt;c&gt; &copy;", "a & b <c> ©"),
        ("# Title\n\n- one\n- two\n\n```\ncode()\n```", "Title one two code()"),
        ("see [the docs](https://x.org) and ![logo](l.png)", "see the docs and logo"),
        ("line one  \nline two\nthree", "line one line two three"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "a b 1 2"),
        ("", ""),
    ],
)
def test_markdown_text(source, shown):
    assert markdown_text(source) == shown


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé<>&\"'", min_size=1, max_size=12)
MARKUP = st.sampled_from(["", "**", "_", "`", "~~"])


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.tuples(MARKUP, WORD), min_size=1, max_size=60),
    limit=st.integers(min_value=15, max_value=240),
)
def test_excerpts_never_cut_a_word(words, limit):
    plain = [w for _, w in words]
    source = " ".join(f"{m}{w}{m}" for m, w in words)
    shown = excerpt(source, limit)
    assert len(shown) <= limit
    whole = set(markdown_text(source).split())
    kept = shown.removesuffix(ELLIPSIS).split()
    assert all(word in whole for word in kept), (source, shown)
    if shown.endswith(ELLIPSIS):
        full = markdown_text(source).split()
        assert kept == full[: len(kept)]
    assert plain  # the source had words


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abcdefgh<&", min_size=1, max_size=15), max_size=80),
    radius=st.integers(min_value=5, max_value=90),
)
def test_search_snippets_never_cut_a_word(words, radius):
    text = " ".join([*words, "needle", *words])
    snippet = html.unescape(re.sub(r"</?mark>", "", search_excerpt(text, ("needle",), radius)))
    kept = snippet.removeprefix("… ").removesuffix(" …").split()
    assert "needle" in kept
    assert all(word in text.split() for word in kept), (text, snippet)


def test_a_notification_title_shows_a_mention_as_the_name(employee, colleague, public):
    make_person("ben.okafor", display_name="Ben Okafor")
    mine = feeds.create_post(actor=colleague, group=public, body="Thanks @ben.okafor, *great*")
    feeds.create_comment(actor=employee, post=mine, body="Nice")
    text = Notification.objects.get(recipient=colleague, kind="comment").text
    assert text == "Ana Garcia commented on your post “Thanks Ben Okafor, great”"
