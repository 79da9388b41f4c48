"""Every read of polls goes through the post's visibility (feeds.selectors.visible_posts):
a poll is readable exactly when its post is."""

from collections import defaultdict

from django.db.models import Prefetch
from django.http import Http404

from core.pagination import KeysetPage, first_pages, paginate_keyset
from feeds import selectors as feeds

from .models import Ballot, Option, Poll, Vote


def get_visible_poll(user, poll_id) -> Poll:
    """The poll if `user` may read its post; 404 alike for missing and hidden."""
    try:
        return (
            Poll.objects.filter(post__in=feeds.visible_posts(user))
            .select_related("post__group", "post__author__profile")
            .prefetch_related("options")
            .get(pk=poll_id)
        )
    except (Poll.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such poll.") from exc


def get_poll_of_post(user, post_id) -> Poll:
    post = feeds.get_visible_post(user, post_id)
    poll = Poll.objects.filter(post=post).prefetch_related("options").first()
    if poll is None:
        raise Http404("This post has no poll.")
    poll.post = post
    return poll


def attach_viewer(polls: list[Poll], *, viewer) -> list[Poll]:
    """`voted` (has `viewer` a ballot) and `my_choices` (the option ids `viewer` chose: a
    visible poll's only; an anonymous one stores none) on each poll, in two queries at
    most whatever their number."""
    voted: set[int] = set()
    mine: dict[int, set[int]] = defaultdict(set)
    if polls and viewer.is_authenticated:
        ids = [p.pk for p in polls]
        voted = set(
            Ballot.objects.filter(poll_id__in=ids, voter_id=viewer.pk).values_list(
                "poll_id", flat=True
            )
        )
        visible = [p.pk for p in polls if not p.is_anonymous and p.pk in voted]
        if visible:
            for poll_id, option_id in Vote.objects.filter(
                ballot__poll_id__in=visible, ballot__voter_id=viewer.pk
            ).values_list("ballot__poll_id", "option_id"):
                mine[poll_id].add(option_id)
    for poll in polls:
        poll.voted = poll.pk in voted
        poll.my_choices = mine[poll.pk]
        poll.can_vote = poll.is_open() and not (poll.is_anonymous and poll.voted)
        for option in poll.options.all():
            option.percent = share(option.vote_count, poll.voter_count)
    return polls


def share(votes: int, voters: int) -> int:
    """An option's share of the voters, in whole percent (a multiple-choice poll's shares
    add up to more than 100)."""
    return round(100 * votes / voters) if voters else 0


def polls_for_cards(posts: list, *, viewer) -> dict[int, Poll]:
    """The feeds.extensions loader: the polls of `posts` (already chosen by a visibility
    selector), options and the viewer's part loaded: one query when no post has a poll,
    four at most otherwise."""
    by_post = {post.pk: post for post in posts}
    polls = list(
        Poll.objects.filter(post_id__in=list(by_post)).prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position"))
        )
    )
    if not polls:
        return {}
    for poll in polls:
        poll.post = by_post[poll.post_id]
    attach_viewer(polls, viewer=viewer)
    return {poll.post_id: poll for poll in polls}


def results(poll: Poll) -> list[dict]:
    """Each option with its votes and share of the voters (a multiple-choice poll's shares
    add up to more than 100%)."""
    total = poll.voter_count
    return [
        {
            "id": option.pk,
            "text": option.text,
            "votes": option.vote_count,
            "percent": share(option.vote_count, total),
        }
        for option in poll.options.all()
    ]


VOTERS_PAGE = 20
VOTER_ORDER = ("ballot__voter__profile__display_name", "ballot__voter__username", "id")
VOTER_TYPES = (str, str, int)


def _votes(poll: Poll):
    """Who voted what in a visible poll; an anonymous poll has no such list: 404."""
    if poll.is_anonymous:
        raise Http404("This poll is anonymous.")
    return Vote.objects.filter(ballot__poll=poll).select_related("ballot__voter__profile")


def voters_of(poll: Poll, *, size: int = VOTERS_PAGE) -> list[dict]:
    """The first `size` voters of each option of a visible poll (the caller read the poll
    through get_visible_poll) by name, each option with the cursor of its next page
    (option_voters): one query whatever the number of voters."""
    pages = first_pages(_votes(poll), partition="option_id", ordering=VOTER_ORDER, size=size)
    empty = KeysetPage(items=[], next_cursor=None)
    return [
        {
            "option": o,
            "voters": [vote.ballot.voter for vote in pages.get(o.pk, empty).items],
            "next_cursor": pages.get(o.pk, empty).next_cursor,
        }
        for o in poll.options.all()
    ]


def option_voters(poll: Poll, option_id, *, cursor: str | None, size: int) -> KeysetPage:
    """A page of one option's voters by name, after `cursor` (one query); 404 for an option
    of another poll. The page's items are the voters."""
    option = next((o for o in poll.options.all() if str(o.pk) == str(option_id)), None)
    if option is None:
        raise Http404("No such option.")
    page = paginate_keyset(
        _votes(poll).filter(option=option),
        ordering=VOTER_ORDER,
        types=VOTER_TYPES,
        cursor=cursor,
        size=size,
    )
    return KeysetPage(items=[v.ballot.voter for v in page.items], next_cursor=page.next_cursor)


def polls_due_to_close(now) -> list[int]:
    return list(
        Poll.objects.filter(closed_at__isnull=True, closes_at__lte=now).values_list(
            "pk", flat=True
        )[:500]
    )
