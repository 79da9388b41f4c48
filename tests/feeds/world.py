"""A small company for permission tests: every role, every privacy, content everywhere.

Standing users: owner, leader, member, muted (a member muted everywhere), former (was a
member of every group, left), outsider (member of nothing), admin.

Three interest groups, one per privacy, each owned by `owner` with `leader` as leader and
`member`, `muted` as members. In each group: one post by `member` containing the word
`<privacy>word` and the topic #sharedtopic, mentioning @outsider; one comment by `leader`
with `<privacy>comment`; one reply by `member`; a like by `member`. Searching, listing or
opening any of these as someone who may not read the group must show nothing of it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import Group as Role
from django.utils import timezone

from feeds import services as feeds
from feeds.models import Comment, Post
from groups import services as groups
from groups.models import Group

from ..factories import make_person

PRIVACIES = ("public", "private", "secret")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    replies: dict[str, Comment] = field(default_factory=dict)

    def __getattr__(self, name):
        # Through __dict__: a copy (tests/conftest.py's world) asks for attributes before
        # `users` is set on it.
        try:
            return self.__dict__["users"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


# Who may read the content of a group of each privacy.
READERS = {
    "public": {"owner", "leader", "member", "muted", "former", "outsider", "admin"},
    "private": {"owner", "leader", "member", "muted", "admin"},
    "secret": {"owner", "leader", "member", "muted", "admin"},
}
# Who may know that a group exists (its name, in the directory).
KNOWERS = {
    "public": READERS["public"],
    "private": READERS["public"],
    "secret": READERS["secret"],
}
MODERATORS = {"owner", "leader", "admin"}


def build_world() -> World:
    world = World()
    for name in ("owner", "leader", "member", "muted", "former", "outsider", "admin"):
        world.users[name] = make_person(name, display_name=name.title()).user
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    admin.groups.add(Role.objects.get_or_create(name="admin")[0])

    until = timezone.now() + dt.timedelta(days=7)
    for privacy in PRIVACIES:
        group = groups.create_group(
            actor=world.owner,
            name=f"{privacy.title()} group",
            privacy=privacy,
            description=f"The {privacy} group.",
        )
        world.groups[privacy] = group
        for name in ("leader", "member", "muted", "former"):
            groups.invite_member(actor=world.owner, group=group, user=world.users[name])
        groups.change_role(actor=world.owner, group=group, user=world.leader, role="leader")
        post = feeds.create_post(
            actor=world.member,
            group=group,
            body=f"The {privacy}word plan for #sharedtopic, cc @outsider",
        )
        comment = feeds.create_comment(
            actor=world.leader, post=post, body=f"A {privacy}comment from a leader"
        )
        reply = feeds.create_comment(
            actor=world.member, post=post, parent=comment, body=f"A {privacy}reply"
        )
        feeds.toggle_reaction(actor=world.member, post=post, kind="like")
        groups.mute_member(actor=world.owner, group=group, user=world.muted, until=until)
        groups.leave_group(actor=world.former, group=group)
        world.posts[privacy], world.comments[privacy] = post, comment
        world.replies[privacy] = reply
    return world
