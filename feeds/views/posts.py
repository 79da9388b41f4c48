"""The post page and its edits (a removed post shown to its author, editing, deleting,
attachments), and its comments and reactions, which htmx swaps in place."""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.files import serve_stored_file
from core.forms import show_on_form
from core.pagination import InvalidCursor
from groups import selectors as groups
from policies.selectors import posting_gate

from .. import selectors, services
from ..forms import AcceptForm, CommentForm, EditPostForm, ReactionForm
from ..models import ATTACHMENT_FOLDER
from .common import back, decorate, fragment_error


@require_GET
def post_detail(request, post_id: int):
    """The post and a page of its comments: the latest threads, or those a link asks for
    (`before`, `after`, `comment`, a thread's `replies_before` / `replies_after`). htmx asks
    for the thread alone when a reader opens earlier or later comments."""
    try:
        post = selectors.get_visible_post(request.user, post_id)
    except Http404:
        removed = selectors.get_removed_post_for_author(request.user, post_id)
        if removed is None:
            raise
        return render(request, "feeds/removed.html", {"post": removed})
    params = request.GET
    comment = params.get("comment")
    if comment is not None and not comment.isdigit():
        raise BadRequest("The comment to show must be a comment's number.")
    thread = _thread(
        request,
        post,
        before=params.get("before"),
        after=params.get("after"),
        comment=int(comment) if comment else None,
        replies_before=params.get("replies_before"),
        replies_after=params.get("replies_after"),
    )
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "feeds/_thread.html", _thread_context(request, post, thread))
    return _render_post_page(request, post, thread=thread)


def _thread(request, post, **where) -> selectors.Window:
    try:
        return selectors.thread_of(request.user, post, **where)
    except InvalidCursor as exc:
        raise BadRequest("This link to more comments is not valid.") from exc


def _thread_context(request, post, thread, *, comment_form=None) -> dict:
    """What the thread (feeds/_thread.html) shows, on the page and on its own for htmx."""
    membership = groups.membership_of(request.user, post.group)
    moderator = groups.can_moderate(request.user, post.group, membership)
    return {
        "post": post,
        "thread": thread,
        "moderator": moderator,
        "can_accept": moderator or post.author_id == request.user.pk,
        "muted": membership is not None and membership.is_muted(),
        "comment_form": comment_form or CommentForm(initial={"view": "page"}),
        "comment_gate": posting_gate(request),
    }


def _render_post_page(request, post, *, thread, comment_form=None, status=200):
    decorate(request, [post], latest_comments=False)  # the page shows the thread instead
    context = _thread_context(request, post, thread, comment_form=comment_form)
    context.update(
        group=post.group,
        revisions=list(selectors.revisions_of(post)),
        announcement_job=selectors.announcement_progress(request.user, post),
    )
    return render(request, "feeds/post.html", context, status=status)


@require_http_methods(["GET", "POST"])
def edit_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied("Only the author can edit a post.")
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ApplicationError as exc:
            if exc.status == 403:
                raise  # not about the text: the middleware's 403 page
            show_on_form(form, exc, default_field="body")
        else:
            messages.success(request, "Your post is updated.")
            return redirect(post.get_absolute_url())
    return render(
        request,
        "feeds/edit.html",
        {"post": post, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def delete_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    services.delete_post(actor=request.user, post=post)
    messages.success(request, "Your post is deleted.")
    return redirect(post.group.get_absolute_url())


@require_GET
def attachment(request, post_id: int, attachment_id: int):
    """Uploaded files, for readers of the post only; never rendered inline unless images."""
    item = selectors.get_attachment(request.user, post_id, attachment_id)
    return serve_stored_file(
        name=item.file.name,
        folder=ATTACHMENT_FOLDER,
        filename=item.name,
        content_type=item.content_type if item.is_image else "application/octet-stream",
        inline=item.is_image,
        max_age=3600,
    )


# --- Comments and reactions (htmx) ----------------------------------------------------


@require_POST
def comment(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    form = CommentForm(request.POST)
    status = 400
    view = request.POST.get("view") or "card"
    parent = created = None
    if form.is_valid():
        if form.cleaned_data["parent"]:
            parent = selectors.get_visible_comment(request.user, form.cleaned_data["parent"])
        try:
            created = services.create_comment(
                actor=request.user, post=post, body=form.cleaned_data["body"], parent=parent
            )
        except ApplicationError as exc:
            status = exc.status
            show_on_form(form, exc, default_field="body")
        else:
            if not request.htmx:
                return redirect(created.get_absolute_url())
            return _comments_fragment(request, post, view, shown=created)
    if not request.htmx:
        if status == 403:
            raise PermissionDenied(form.errors["body"][0])
        thread = selectors.thread_of(request.user, post, comment=parent and parent.pk)
        return _render_post_page(request, post, thread=thread, comment_form=form, status=status)
    return fragment_error(
        _comments_fragment(request, post, view, shown=parent, form=form, status=status)
    )


def _comments_fragment(request, post, view: str, *, shown=None, form=None, status=200):
    """The comments again after commenting: on the post's page, the page of the thread that
    holds `shown` (the new comment, or the one a failed reply answered); on a card, its
    latest comments."""
    if view == "page":
        thread = selectors.thread_of(request.user, post, comment=shown and shown.pk)
        return render(
            request,
            "feeds/_thread.html",
            _thread_context(request, post, thread, comment_form=form),
            status=status,
        )
    decorate(request, [post])
    return render(
        request,
        "feeds/_card_comments.html",
        {"post": post, "comment_form": form, "comment_posted": form is None},
        status=status,
    )


@require_POST
def react(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        raise BadRequest("React with like, celebrate, insightful or support.")
    services.toggle_reaction(actor=request.user, post=post, kind=form.cleaned_data["kind"])
    if not request.htmx:
        return back(request, post.get_absolute_url())
    return render(request, "feeds/_reactions.html", {"post": decorate(request, [post])[0]})


@require_POST
def accept_answer(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Choose a comment.")
    chosen = None
    if form.cleaned_data["comment"]:
        chosen = selectors.get_visible_comment(request.user, form.cleaned_data["comment"])
    services.accept_answer(actor=request.user, post=post, comment=chosen)
    messages.success(request, "Answer accepted." if chosen else "Accepted answer cleared.")
    return redirect(post.get_absolute_url())


@require_POST
def delete_comment(request, comment_id: int):
    found = selectors.get_visible_comment(request.user, comment_id)
    services.delete_comment(actor=request.user, comment=found)
    messages.success(request, "Your comment is deleted.")
    return back(request, found.post.get_absolute_url())
