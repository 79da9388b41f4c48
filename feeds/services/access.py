"""Who may write where: the policy's acknowledgement gate, membership (writing in a public
group joins it), mutes, and who may start which kind of post in a group."""

from core.errors import ApplicationError
from groups import selectors as groups
from groups.models import Group, Membership
from policies.selectors import may_post

from ..models import Post


def _check_can_write(actor, group: Group) -> Membership | None:
    """Members write in their groups; anyone may write in a public group they join by
    writing; nobody muted writes; nobody the policy gate holds back."""
    if not may_post(actor):
        raise ApplicationError(
            "Read and acknowledge the social media policy (Policy, in the menu) to post.",
            status=403,
        )
    membership = groups.membership_of(actor, group)
    if membership is None and not group.is_public:
        raise ApplicationError("Join the group to post in it.", status=403)
    if membership is not None and membership.is_muted():
        raise ApplicationError(
            "A group leader has muted you here for now: you can read but not write.",
            status=403,
        )
    return membership


def check_can_start_post(actor, group: Group, kind: str = Post.Kind.UPDATE) -> Membership | None:
    """Whether `actor` may start a post of `kind` in `group` now (ApplicationError if not);
    their membership (None: a public group they would join by writing)."""
    if not groups.can_read(actor, group):
        raise ApplicationError("Join the group to post in it.", status=403)
    membership = _check_can_write(actor, group)
    if kind not in Post.Kind.values:
        raise ApplicationError("Choose an update, a question or an announcement.", field="kind")
    if kind == Post.Kind.ANNOUNCEMENT and not groups.can_moderate(actor, group, membership):
        raise ApplicationError("Only the group's leaders post announcements.", status=403)
    if not groups.can_post(actor, group, membership):
        raise ApplicationError("Only the group's leaders start posts here.", status=403)
    return membership
