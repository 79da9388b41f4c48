"""Live poll results: counts only, to the post's group audience, after commit.

Tallies are the same for every reader, so one event serves them all; who voted what is
never on the wire (a visible poll's voter list is read over HTTP, through the post's
visibility). Clients: static/js/polls.js.
"""

from core import events

from .models import Poll


def results_changed(poll: Poll) -> None:
    group_id = poll.post.group_id

    def payload():
        fresh = Poll.objects.filter(pk=poll.pk).prefetch_related("options").first()
        if fresh is None:
            return None
        return {
            "group": group_id,
            "post": fresh.post_id,
            "poll": fresh.pk,
            "voters": fresh.voter_count,
            "closed": not fresh.is_open(),
            "counts": {str(o.pk): o.vote_count for o in fresh.options.all()},
        }

    events.publish(
        audience=events.group_audience(group_id), event_type="poll.results", payload=payload
    )
