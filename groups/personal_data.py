"""What groups holds of a person: memberships and join requests (core.exports)."""

from core import events, exports

from .models import JoinRequest, Membership


def memberships(user):
    rows = Membership.objects.filter(user=user).select_related("group").order_by("id")
    for m in rows.iterator(chunk_size=500):
        yield {
            "group": m.group.name,
            "role": m.role,
            "how": m.source,
            "joined_at": m.joined_at,
        }
    requests = JoinRequest.objects.filter(user=user).select_related("group").order_by("id")
    for r in requests.iterator(chunk_size=500):
        yield {
            "join_request_to": r.group.name,
            "message": r.message,
            "status": r.status,
            "created_at": r.created_at,
        }


def erase_memberships(user) -> None:
    Membership.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).delete()
    events.membership_changed(user.pk)


def register() -> None:
    exports.register_exporter(
        "memberships", memberships, describe="the groups you are in and your join requests"
    )
    exports.register_erasure(
        "memberships",
        policy=exports.DELETE,
        describe="they leave every group; their join requests go",
        erase=erase_memberships,
    )
