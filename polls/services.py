"""Every write to polls: `verb_noun(*, actor, ...)`, permission checked first, one
transaction, live results and notifications after commit.

Votes: a reader of the post's group, active, while the poll is open. A visible poll keeps
each choice (Vote) and may be changed until it closes; an anonymous poll keeps a ballot
("has voted") and the tallies only, so a vote there is final: nothing records which option
was whose, not even for its voter.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.errors import ApplicationError
from feeds import services as feeds
from groups import selectors as groups
from notifications.models import Notification
from notifications.services import notify

from . import live
from .models import MAX_OPTION_LENGTH, MAX_OPTIONS, MIN_OPTIONS, Ballot, Option, Poll, Vote

User = get_user_model()

MAX_OPEN_DAYS = 366


def clean_options(options) -> list[str]:
    """The options as written: trimmed, NULs dropped, blanks skipped; 2 to 10, distinct,
    each up to 200 characters. ApplicationError on the `options` field otherwise."""
    if not isinstance(options, list | tuple):
        raise ApplicationError("Give the options as a list.", field="options")
    cleaned: list[str] = []
    for raw in options:
        if not isinstance(raw, str):
            raise ApplicationError("Each option is a text.", field="options")
        text = " ".join(raw.replace("\x00", "").split())
        if not text:
            continue
        if len(text) > MAX_OPTION_LENGTH:
            raise ApplicationError(
                f"Keep each option under {MAX_OPTION_LENGTH} characters.", field="options"
            )
        if text.casefold() in {c.casefold() for c in cleaned}:
            raise ApplicationError(f"“{text[:60]}” is there twice.", field="options")
        cleaned.append(text)
    if len(cleaned) < MIN_OPTIONS:
        raise ApplicationError(f"Give at least {MIN_OPTIONS} options.", field="options")
    if len(cleaned) > MAX_OPTIONS:
        raise ApplicationError(f"Give at most {MAX_OPTIONS} options.", field="options")
    return cleaned


def _check_closes_at(closes_at: dt.datetime | None) -> None:
    if closes_at is None:
        return
    if timezone.is_naive(closes_at):
        raise ApplicationError("Give the closing time with its time zone.", field="closes_at")
    now = timezone.now()
    if closes_at <= now + dt.timedelta(minutes=1):
        raise ApplicationError("Choose a closing time in the future.", field="closes_at")
    if closes_at > now + dt.timedelta(days=MAX_OPEN_DAYS):
        raise ApplicationError("Close it within a year.", field="closes_at")


def create_poll(
    *,
    actor,
    group,
    question: str,
    options: list[str],
    multiple: bool = False,
    anonymous: bool = False,
    closes_at: dt.datetime | None = None,
) -> Poll:
    """A post in `group` whose text is the question, with its poll. The post is written by
    feeds.services.create_post (who may post, mentions, topics, live card, notifications)."""
    texts = clean_options(options)
    _check_closes_at(closes_at)
    with transaction.atomic():
        try:
            post = feeds.create_post(actor=actor, group=group, body=question)
        except ApplicationError as exc:
            if exc.field == "body":  # the post's text is the poll's question
                exc.field = "question"
            raise
        poll = Poll.objects.create(
            post=post,
            multiple=bool(multiple),
            voters=Poll.Voters.ANONYMOUS if anonymous else Poll.Voters.VISIBLE,
            closes_at=closes_at,
        )
        Option.objects.bulk_create(
            [Option(poll=poll, position=i, text=text) for i, text in enumerate(texts)]
        )
    return poll


def _check_can_vote(actor, poll: Poll) -> None:
    post = poll.post
    if not (actor.is_authenticated and actor.is_active) or not groups.can_read(actor, post.group):
        raise ApplicationError("No such poll.", status=404)
    if not post.is_live:
        raise ApplicationError("No such poll.", status=404)
    if not poll.is_open():
        raise ApplicationError("This poll is closed.", status=409)


def vote(*, actor, poll: Poll, option_ids) -> Poll:
    """Vote for `option_ids` (one for a single-choice poll). A visible poll's vote replaces
    the voter's earlier one; an anonymous poll takes one vote per person (409 after)."""
    _check_can_vote(actor, poll)
    if not isinstance(option_ids, list | tuple | set) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in option_ids
    ):
        raise ApplicationError("Choose options by their ids.", field="options")
    chosen = set(option_ids)
    if not chosen:
        raise ApplicationError("Choose an option.", field="options")
    if not poll.multiple and len(chosen) > 1:
        raise ApplicationError("Choose one option.", field="options")
    if chosen - set(Option.objects.filter(poll=poll).values_list("pk", flat=True)):
        raise ApplicationError("Choose options of this poll.", field="options")
    if poll.is_anonymous:
        _vote_anonymously(actor=actor, poll=poll, chosen=chosen)
    else:
        _vote_visibly(actor=actor, poll=poll, chosen=chosen)
    poll.refresh_from_db(fields=["voter_count"])
    return poll


def _vote_anonymously(*, actor, poll: Poll, chosen: set[int]) -> None:
    try:
        with transaction.atomic():
            Ballot.objects.create(poll=poll, voter=actor)
            Option.objects.filter(pk__in=chosen).update(vote_count=F("vote_count") + 1)
            Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
            live.results_changed(poll)
    except IntegrityError:
        raise ApplicationError(
            "You have voted in this anonymous poll: nothing records your choice, so it "
            "cannot be changed.",
            status=409,
        ) from None


def _vote_visibly(*, actor, poll: Poll, chosen: set[int]) -> None:
    with transaction.atomic():
        # The ballot row is the lock: one change of this voter's vote at a time.
        Ballot.objects.bulk_create([Ballot(poll=poll, voter=actor)], ignore_conflicts=True)
        ballot = Ballot.objects.select_for_update().get(poll=poll, voter=actor)
        before = set(ballot.votes.values_list("option_id", flat=True))
        if before == chosen:
            return
        if not before:
            Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
        dropped, added = before - chosen, chosen - before
        if dropped:
            ballot.votes.filter(option_id__in=dropped).delete()
            Option.objects.filter(pk__in=dropped).update(vote_count=F("vote_count") - 1)
        Vote.objects.bulk_create([Vote(ballot=ballot, option_id=i) for i in added])
        Option.objects.filter(pk__in=added).update(vote_count=F("vote_count") + 1)
        live.results_changed(poll)


def close_poll(*, actor, poll: Poll) -> Poll:
    """The author or a leader of the group closes the poll before its time."""
    post = poll.post
    if actor.pk != post.author_id and not groups.can_moderate(actor, post.group):
        raise ApplicationError("Only the poll's author or a group leader closes it.", status=403)
    if not poll.is_open():
        return poll
    with transaction.atomic():
        _close(poll, actor=actor)
    return poll


def close_due_polls(*, now=None) -> int:
    """The clock: close every poll whose closing time has passed, telling its voters and its
    author. Safe to run again and twice at once (a conditional update claims each poll)."""
    from .selectors import polls_due_to_close

    now = now or timezone.now()
    closed = 0
    for poll_id in polls_due_to_close(now):
        with transaction.atomic():
            poll = Poll.objects.select_related("post__group").filter(pk=poll_id).first()
            if poll is None or not Poll.objects.filter(pk=poll_id, closed_at__isnull=True).update(
                closed_at=now
            ):
                continue
            poll.closed_at = now
            _notify_closed(poll, actor=None)
            live.results_changed(poll)
            closed += 1
    return closed


def _close(poll: Poll, *, actor) -> None:
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    _notify_closed(poll, actor=actor)
    live.results_changed(poll)


def _notify_closed(poll: Poll, *, actor) -> None:
    """The voters who may still read the post, and its author, hear that the results are
    final. Runs in the caller's transaction."""
    post = poll.post
    if not post.is_live:
        return
    voter_ids = Ballot.objects.filter(poll=poll).values("voter_id")
    people = User.objects.filter(Q(pk__in=voter_ids) | Q(pk=post.author_id), is_active=True)
    for person in groups.readers_of(post.group, people):
        notify(
            recipient=person,
            kind=Notification.Kind.POLL_CLOSED,
            actor=actor,
            text=f"A poll in {post.group.name} closed: see the results",
            url=post.get_absolute_url(),
            target_key=f"poll:{poll.pk}",
            group_id=post.group_id,
        )
