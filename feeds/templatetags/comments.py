"""{% comment_html c %}: one comment's markup (templates/feeds/_comment.html), written in
Python with format_html.

A post's page shows up to 50 threads with their latest replies; a template included for
each comment was the largest part of rendering it (the bench's busiest post: 120 -> 100 ms
in one process with this tag, issue 18). The markup is the one the template had; its
context is the template's: `post`, and, on a post's page (`thread`), the reader's tools
from `request`, `can_accept`, `moderator` and the page's CSRF token."""

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import date as date_filter
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from core.links import id_url
from people.templatetags.people import avatar_html

register = template.Library()

ACCEPTED = mark_safe('<span class="badge badge-in">✓ Accepted answer</span>')  # noqa: S308 - constant


@register.simple_tag(takes_context=True)
def comment_html(context, comment):
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
        _tools(context, post, comment, accepted) if context.get("thread") else "",
    )


def _tools(context, post, comment, accepted: bool) -> str:
    """Accept (the post's author or a moderator, on a question), delete (the comment's
    author) or report (anyone else), remove (a moderator)."""
    csrf = CsrfTokenNode().render(context)  # what {% csrf_token %} writes
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
