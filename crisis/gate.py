"""Crisis mode where replies are sent: registered with routing (routing.signals) in
CrisisConfig.ready, so the page, the API and any connector obey it.

While an incident that holds crisis mode is open, public replies go through the social team
only, whatever the engagement model: certified representatives (and anyone else outside the
social team) are refused with the reason. With a second approval asked for, a social team
member's reply is held (crisis.HeldReply) until a colleague of the social team approves it;
the approval sends it with `approved_by`.
"""

from django.db import transaction

from core.errors import ApplicationError
from routing.selectors import is_social_team

from . import selectors
from .models import HeldReply, TimelineEntry


def crisis_reply_gate(*, actor, question, text: str, approved_by=None) -> None:
    incident = selectors.crisis_mode_incident()
    if incident is None:
        return
    if not is_social_team(actor):
        raise ApplicationError(
            f"Crisis mode is on (incident “{incident.title}”): public replies go through "
            "the social team only until it closes. Send your answer to the social team "
            "instead; nothing was posted.",
            status=403,
        )
    if not incident.second_approval:
        return
    if approved_by is not None and approved_by.pk != actor.pk and is_social_team(approved_by):
        return
    from .services import add_entry

    with transaction.atomic():
        held = HeldReply.objects.create(
            incident=incident, question=question, author=actor, text=text
        )
        add_entry(
            incident,
            TimelineEntry.Kind.APPROVAL,
            actor=actor,
            text=text,
            question=question,
            link=incident.get_absolute_url() + f"#held-{held.pk}",
        )
    raise ApplicationError(
        f"Crisis mode asks for a second approval (incident “{incident.title}”): your reply "
        "is held until a colleague of the social team approves it on the incident page.",
        status=409,
    )


def holding_statement_suggestions(viewer) -> list[tuple[str, str]]:
    """The current playbook's holding statements, offered on the reply form while crisis
    mode holds (no query otherwise)."""
    if selectors.crisis_mode_on() is None:
        return []
    return selectors.holding_statements(selectors.current_playbook())
