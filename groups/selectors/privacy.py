"""What changing a group's privacy would change, and for whom."""

from django.contrib.auth import get_user_model

from ..models import Group, JoinRequest


def privacy_effects(group: Group) -> dict[str, list[str]]:
    """For each privacy the group could take, what would change and for whom, in sentences
    a leader reads before saving (the current one: nothing). Four counts: members, active
    people, posts, pending requests."""
    members_n = group.memberships.filter(user__is_active=True).count()
    outsiders = max(get_user_model().objects.filter(is_active=True).count() - members_n, 0)
    posts = group.posts.filter(deleted_at__isnull=True, removed_at__isnull=True).count()
    pending = group.join_requests.filter(status=JoinRequest.Status.PENDING).count()
    people = f"{outsiders:,} people who are not members" if outsiders != 1 else "1 non-member"
    post_words = f"{posts:,} post{'' if posts == 1 else 's'}"
    members = f"For its {members_n:,} member{'' if members_n == 1 else 's'}: nothing changes."
    P = Group.Privacy
    effects: dict[str, list[str]] = {group.privacy: ["No change: this is the group's privacy now."]}
    waiting = []
    if pending:
        waiting = [f"Pending join requests ({pending}) stay for a leader to decide."]
    if group.privacy != P.PUBLIC:
        found = " the group appears in the directory and in search;" if group.is_secret else ""
        effects[P.PUBLIC] = [
            f"For the {people}:{found} its {post_words}, comments and member list become"
            " readable, including what was written while the group was not public, and anyone"
            " can join without asking.",
            members,
            *waiting,
        ]
    if group.privacy != P.PRIVATE:
        if group.privacy == P.PUBLIC:
            change = (
                f"its {post_words}, comments and members are hidden; they see its name and"
                " description only, and must ask to join."
            )
        else:
            change = (
                "the group appears in the directory and in search, with its name and"
                f" description, and they can ask to join; its {post_words} stay hidden."
            )
        effects[P.PRIVATE] = [f"For the {people}: {change}", members]
    if group.privacy != P.SECRET:
        hidden = f" its {post_words} are hidden too;" if group.privacy == P.PUBLIC else ""
        effects[P.SECRET] = [
            f"For the {people}: the group disappears — not in the directory, not in search,"
            f" its page answers “not found”;{hidden} they can no longer ask to join.",
            members.replace("nothing changes.", "nothing changes; from now on people join only")
            + " when a leader adds them.",
            *waiting,
        ]
    return {value: effects[value] for value in P.values}
