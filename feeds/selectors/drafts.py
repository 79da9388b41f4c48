"""A writer's drafts not published yet (kept, scheduled, or failed and why)."""

from django.db.models import QuerySet
from django.http import Http404

from ..models import Draft

OPEN_DRAFT_STATES = (Draft.State.DRAFT, Draft.State.SCHEDULED, Draft.State.FAILED)


def drafts_of(user) -> QuerySet[Draft]:
    """`user`'s unpublished drafts (kept, scheduled, or not published and why), most
    recently changed first; each with its group."""
    return (
        Draft.objects.filter(author_id=user.pk, state__in=OPEN_DRAFT_STATES)
        .select_related("group")
        .order_by("-updated_at", "-id")
    )


def get_own_draft(user, draft_id) -> Draft:
    """A draft of `user`'s not published yet; 404 alike for missing and someone else's."""
    try:
        return drafts_of(user).get(pk=draft_id)
    except (Draft.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such draft.") from exc
