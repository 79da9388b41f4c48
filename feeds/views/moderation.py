"""Leaders' actions on a post or comment, and reports: pinning, closing comments, removing
(saying why), reporting, and the leaders' decisions on reports from the group's moderation
tab. Who may do what is feeds.moderation's."""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from groups import selectors as groups
from groups import services as group_services
from groups.forms import ReportDecisionForm
from groups.views import moderated_group

from .. import moderation, selectors
from ..forms import ReasonForm
from .common import _toggle, back


def _reason(request) -> str:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Give a reason (up to 500 characters).")
    return form.cleaned_data["reason"]


@require_POST
def pin_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    pinned = _toggle(request)
    moderation.pin_post(actor=request.user, post=post, pinned=pinned)
    messages.success(request, "Pinned to the top of the group." if pinned else "Unpinned.")
    return back(request, post.get_absolute_url())


@require_POST
def close_comments(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    closed = _toggle(request)
    moderation.close_comments(actor=request.user, post=post, closed=closed)
    messages.success(request, "Comments are closed." if closed else "Comments are open again.")
    return back(request, post.get_absolute_url())


@require_POST
def remove_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    if not groups.can_moderate(request.user, post.group):
        raise PermissionDenied("Only the group's leaders can do that.")
    reason = _reason(request)
    moderation.remove_post(actor=request.user, post=post, reason=reason)
    messages.success(request, "The post is removed; its author sees your reason.")
    return redirect(post.group.get_absolute_url())


@require_POST
def remove_comment(request, comment_id: int):
    found = selectors.get_visible_comment(request.user, comment_id)
    if not groups.can_moderate(request.user, found.post.group):
        raise PermissionDenied("Only the group's leaders can do that.")
    reason = _reason(request)
    moderation.remove_comment(actor=request.user, comment=found, reason=reason)
    messages.success(request, "The comment is removed.")
    return back(request, found.post.get_absolute_url())


@require_POST
def report_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    moderation.report_content(actor=request.user, post=post, reason=_reason(request))
    messages.success(request, "Thank you: the group's leaders will look at it.")
    return back(request, post.get_absolute_url())


@require_POST
def report_comment(request, comment_id: int):
    found = selectors.get_visible_comment(request.user, comment_id)
    moderation.report_content(actor=request.user, comment=found, reason=_reason(request))
    messages.success(request, "Thank you: the group's leaders will look at it.")
    return back(request, found.post.get_absolute_url())


@require_POST
def decide_report(request, slug: str, report_id: int):
    """A leader's decision on a report, from the group's moderation tab: dismiss it, or
    remove what it is about."""
    group = moderated_group(request, slug)
    report = groups.get_open_report(request.user, group, report_id)
    form = ReportDecisionForm(request.POST)
    if not form.is_valid():
        raise BadRequest(" ".join(e for errs in form.errors.values() for e in errs))
    reason = form.cleaned_data["reason"]
    if form.cleaned_data["decision"] == "dismiss":
        group_services.dismiss_report(actor=request.user, report=report, reason=reason)
    elif report.comment_id:
        moderation.remove_comment(actor=request.user, comment=report.comment, reason=reason)
    else:
        moderation.remove_post(actor=request.user, post=report.post, reason=reason)
    messages.success(
        request,
        "Report dismissed." if form.cleaned_data["decision"] == "dismiss" else "Content removed.",
    )
    return redirect("groups:moderation", slug=group.slug)
