"""Poll pages and fragments: "New poll", voting and closing (htmx or plain forms), the
poll's card part for a refresh, and who voted for what (visible polls only).

Each view parses, asks one service or selector, and renders; ApplicationError goes to a
form field, or to core.middleware's error page or htmx alert.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import InvalidCursor
from feeds.views import back
from groups import selectors as groups
from groups.composing import compose_in_group
from people import selectors as people
from policies.selectors import posting_gate

from . import selectors, services
from .forms import PollForm, VoteForm

OPTION_BOXES = 4


def _poll_fragment(request, poll, *, status=200):
    selectors.attach_viewer([poll], viewer=request.user)
    return render(request, "polls/_poll.html", {"post": poll.post, "extra": poll}, status=status)


@require_http_methods(["GET", "POST"])
def new_poll(request):
    """A post whose text is the question, with 2 to 10 options."""
    request.active_section = "feed"
    zone = people.profile_of(request.user).timezone
    form, group, poll = compose_in_group(
        request,
        make_form=lambda data, slug: PollForm(data, time_zone=zone, initial={"group": slug}),
        publish=lambda group, data: services.create_poll(
            actor=request.user,
            group=group,
            question=data["question"],
            options=data["options"],
            multiple=data["multiple"],
            anonymous=data["anonymous"],
            closes_at=data["closes_at"],
        ),
        default_field="question",
    )
    if poll is not None:
        messages.success(request, "Your poll is up.")
        return redirect(poll.post.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    options = list(form["options"].value() or []) if form.is_bound else []
    boxes = options + [""] * max(OPTION_BOXES - len(options), 0)
    return render(
        request,
        "polls/new.html",
        {
            "form": form,
            "group": group,
            "my_groups": list(groups.my_groups(request.user)),
            "option_boxes": boxes[:10],
            "time_zone": zone,
            "compose_gate": posting_gate(request),
        },
        status=status,
    )


@require_POST
def vote(request, poll_id: int):
    poll = selectors.get_visible_poll(request.user, poll_id)
    form = VoteForm(request.POST, poll=poll)
    if not form.is_valid():
        raise BadRequest(" ".join(e for errs in form.errors.values() for e in errs))
    services.vote(actor=request.user, poll=poll, option_ids=form.cleaned_data["option"])
    if not request.htmx:
        messages.success(request, "Your vote is in.")
        return back(request, poll.post.get_absolute_url())
    return _poll_fragment(request, selectors.get_visible_poll(request.user, poll_id))


@require_POST
def close(request, poll_id: int):
    poll = selectors.get_visible_poll(request.user, poll_id)
    services.close_poll(actor=request.user, poll=poll)
    if not request.htmx:
        messages.success(request, "The poll is closed; its voters hear the results are in.")
        return back(request, poll.post.get_absolute_url())
    return _poll_fragment(request, selectors.get_visible_poll(request.user, poll_id))


@require_GET
def card(request, poll_id: int):
    """The poll's part of its card, as the viewer sees it now (static/js/polls.js asks for
    it after the live socket reconnects)."""
    poll = selectors.get_visible_poll(request.user, poll_id)
    if not request.htmx:
        return redirect(poll.post.get_absolute_url())
    response = _poll_fragment(request, poll)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def voters(request, poll_id: int):
    """Who voted for what, for readers of a visible poll; 404 for an anonymous one."""
    request.active_section = "feed"
    poll = selectors.get_visible_poll(request.user, poll_id)
    context = {"poll": poll, "post": poll.post}
    if request.GET.get("option"):  # one option's next page, after the cursor
        try:
            page = selectors.option_voters(
                poll,
                request.GET["option"],
                cursor=request.GET.get("cursor"),
                size=selectors.VOTERS_PAGE,
            )
        except InvalidCursor as exc:
            raise BadRequest(str(exc)) from exc
        option = next(o for o in poll.options.all() if str(o.pk) == request.GET["option"])
        context["rows"] = [
            {"option": option, "voters": page.items, "next_cursor": page.next_cursor}
        ]
        context["one_option"] = True
    else:
        context["rows"] = selectors.voters_of(poll, size=selectors.VOTERS_PAGE)
    return render(request, "polls/voters.html", context)
