"""{% comment_html c %}: one comment's markup (templates/feeds/_comment.html), and
{% thread_items thread %}: every thread of a post's page (templates/feeds/_thread.html), each
comment with its replies and its reply form, written in Python with format_html.

A post's page shows up to 50 threads with their latest replies; a template included for
each comment was the largest part of rendering it (the bench's busiest post: 120 -> 100 ms
in one process with comment_html, issue 18), and the template's loop over the threads, each
with its links, its reply form and its CSRF token, the largest part after that: 42 -> 27 ms
of CPU a page with thread_items (one process, the busiest post at a million posts).
The markup is the one the templates had; a comment's context is the template's: `post`,
and, on a post's page (`thread`), the reader's tools from `request`, `can_accept`,
`moderator` and the page's CSRF token."""

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import date as date_filter
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from core.links import fixed_url, id_url
from people.templatetags.people import avatar_html

register = template.Library()

ACCEPTED = mark_safe('<span class="badge badge-in">✓ Accepted answer</span>')  # noqa: S308 - constant


@register.simple_tag(takes_context=True)
def comment_html(context, comment):
    csrf = CsrfTokenNode().render(context) if context.get("thread") else ""
    return _comment(context, comment, csrf)


def _comment(context, comment, csrf: str) -> str:
    """A comment's markup; with `csrf` (a post's page: the form's hidden field), the
    reader's tools."""
    post = context["post"]
    accepted = post.accepted_answer_id == comment.pk
    profile = comment.author.profile
    created = template_localtime(comment.created_at)
    return format_html(
        '<div class="comment{}" id="comment-{}">\n  {}\n  <div class="comment-main">\n'
        '    <div class="comment-bubble">\n      <div class="comment-head">'
        '<a class="person-name" href="{}">{}</a>\n'
        '        <time class="muted small" datetime="{}">{}</time>\n        {}\n      </div>\n'
        '      <div class="prose">{}</div>\n    </div>\n    {}\n  </div>\n</div>\n',
        " is-accepted" if accepted else "",
        comment.pk,
        avatar_html(profile, "sm"),
        profile.get_absolute_url(),
        profile.display_name,
        date_filter(created, "c"),
        naturaltime(comment.created_at),
        ACCEPTED if accepted else "",
        mark_safe(comment.body_html),  # noqa: S308 - nh3 sanitised it when written (core.markdown)
        _tools(context, post, comment, accepted, csrf) if csrf else "",
    )


@register.simple_tag(takes_context=True)
def thread_items(context, thread):
    """The threads of `thread` (feeds.selectors.thread_of's Window) on a post's page: each
    comment (a placeholder for a gone one), its replies with the links to earlier and later
    ones, and, unless comments are closed or the reader is muted, its reply form."""
    post = context["post"]
    csrf = CsrfTokenNode().render(context)  # what {% csrf_token %} writes, once a page
    post_url = post.get_absolute_url()
    replying = not post.comments_closed and not context.get("muted")
    comment_url = id_url("feeds:comment", post.pk)
    suggest = (fixed_url("people:suggest"), fixed_url("feeds:suggest-topics"))
    items = []
    for c in thread.items:
        if c.is_live:
            head = _comment(context, c, csrf)
        else:
            head = format_html(
                '<p class="comment comment-gone muted small" id="comment-{}">'
                "This comment was removed.</p>",
                c.pk,
            )
        replies = c.reply_window
        items.append(
            format_html(
                '<div class="thread-item">\n      {}\n      <div class="replies" id="replies-{}">'
                "\n        {}{}{}\n        {}\n      </div>\n    </div>\n",
                head,
                c.pk,
                _more_replies(post_url, c.pk, replies.earlier, earlier=True),
                format_html_join("", "{}", ((_comment(context, r, csrf),) for r in replies.items)),
                _more_replies(post_url, c.pk, replies.later, earlier=False),
                _reply_form(c, comment_url, suggest, csrf) if replying else "",
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - format_html escaped every value


def _more_replies(post_url: str, pk: int, cursor: str | None, *, earlier: bool) -> str:
    """The link that loads a thread's earlier (or later) replies in place (htmx)."""
    if not cursor:
        return ""
    kind, param = ("earlier", "replies_before") if earlier else ("later", "replies_after")
    if earlier:
        select = f"#replies-{pk} > .replies-earlier, #replies-{pk} > .comment"
    else:
        select = f"#replies-{pk} > .comment, #replies-{pk} > .replies-later"
    query = f"{post_url}?comment={pk}&{param}={cursor}"
    return format_html(
        '<a class="thread-more replies-{}" href="{}#comment-{}" hx-get="{}" hx-select="{}" '
        'hx-target="this" hx-swap="outerHTML">Show {} replies</a>',
        kind,
        query,
        pk,
        query,
        select,
        kind,
    )


def _reply_to(comment) -> str:
    """The reply field's label: whom it answers, and nothing of a removed comment's author
    (its placeholder carries only its place: feeds.selectors.thread_of)."""
    profile = getattr(comment.author, "profile", None) if comment.is_live else None
    return f"Reply to {profile.display_name}" if profile is not None else "Reply in this thread"


def _reply_form(comment, comment_url: str, suggest: tuple[str, str], csrf: str) -> str:
    """A thread's folded reply form."""
    return format_html(
        '<details class="inline-details reply-details"><summary>Reply</summary>\n'
        '          <form class="comment-form" method="post" action="{}" hx-post="{}" '
        'hx-target="#thread" hx-swap="outerHTML">{}\n'
        '            <input type="hidden" name="view" value="page"><input type="hidden" '
        'name="parent" value="{}">\n'
        '            <label class="visually-hidden" for="reply-{}">{}</label>\n'
        '            <textarea id="reply-{}" name="body" data-draft data-suggest-people="{}" '
        'data-suggest-topics="{}" rows="1" maxlength="5000" required placeholder="Reply…">'
        "</textarea>\n"
        '            <button class="btn btn-small" type="submit">Reply</button>\n'
        "          </form>\n        </details>",
        comment_url,
        comment_url,
        csrf,
        comment.pk,
        comment.pk,
        _reply_to(comment),
        comment.pk,
        suggest[0],
        suggest[1],
    )


def _tools(context, post, comment, accepted: bool, csrf: str) -> str:
    """Accept (the post's author or a moderator, on a question), delete (the comment's
    author) or report (anyone else), remove (a moderator)."""
    tools = []
    if context.get("can_accept") and post.kind == "question":
        tools.append(
            format_html(
                '<form method="post" action="{}">{}<input type="hidden" name="comment" '
                'value="{}"><button type="submit" class="linklike">{}</button></form>',
                id_url("feeds:accept", post.pk),
                csrf,
                "" if accepted else comment.pk,
                "Clear accepted answer" if accepted else "Accept answer",
            )
        )
    if comment.author_id == context["request"].user.pk:
        tools.append(
            format_html(
                '<form method="post" action="{}">{}<button type="submit" class="linklike">'
                "Delete</button></form>",
                id_url("feeds:delete-comment", comment.pk),
                csrf,
            )
        )
    else:
        tools.append(_reason_form(comment, csrf, "report", "Report", "What is wrong?", "secondary"))
    if context.get("moderator"):
        tools.append(_reason_form(comment, csrf, "remove", "Remove", "Reason", "danger"))
    return format_html(
        '<div class="comment-tools small">\n      {}\n    </div>',
        mark_safe("\n      ".join(tools)),  # noqa: S308 - format_html escaped every value
    )


def _reason_form(comment, csrf: str, action: str, label: str, placeholder: str, kind: str):
    """A folded form that asks why (report, remove) before it sends."""
    field = f"{action}-c{comment.pk}"
    return format_html(
        '<details class="inline-details"><summary>{}</summary>\n        <form method="post" '
        'action="{}" class="inline-form">{}<label class="visually-hidden" for="{}">Reason'
        '</label><input id="{}" type="text" name="reason" maxlength="500" required '
        'placeholder="{}"><button type="submit" class="btn btn-{}">{}</button></form>\n'
        "      </details>",
        label,
        id_url(f"feeds:{action}-comment", comment.pk),
        csrf,
        field,
        field,
        placeholder,
        kind,
        label,
    )
