"""The generated employees: the whole company planned as a tree (the first people are the
top of it), then the missing ones written in bulk: accounts, profiles, managers, skills and
roles."""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from people import roles
from people.models import Profile, sync_search_words

from .departments import ROLES
from .names import BIOS, FIRST, LAST, LOCATIONS

User = get_user_model()


@dataclass
class _Person:
    index: int
    username: str
    name: str
    department: str | None
    title: str
    manager: int | None  # index into the plan
    skills: tuple[str, ...]
    location: tuple[str, str]


def _plan(rng: random.Random, count: int) -> list[_Person]:
    """The whole company as a list; the first people are the top of the tree, so growing
    `count` only appends people below existing managers."""
    people: list[_Person] = []
    used: set[str] = set()
    team_sizes: dict[str | None, int] = dict.fromkeys(ROLES, 0)

    def add(department, title, manager, skills) -> int:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        base = f"demo.{first}.{last}".lower()
        username, n = base, 1
        while username in used:
            n += 1
            username = f"{base}{n}"
        used.add(username)
        team_sizes[department] = team_sizes.get(department, 0) + 1
        people.append(
            _Person(
                len(people),
                username,
                f"{first} {last}",
                department,
                title,
                manager,
                tuple(skills),
                rng.choice(LOCATIONS),
            )
        )
        return len(people) - 1

    ceo = add(None, "Chief Executive Officer", None, ("strategy", "leadership"))
    heads = {}
    for slug, (head, _lead, _titles, skills, _share) in ROLES.items():
        heads[slug] = add(slug, head, ceo, rng.sample(skills, 3) + ["leadership"])
    leads: dict[str, list[int]] = {slug: [] for slug in ROLES}
    for slug, (_head, lead, _titles, skills, _share) in ROLES.items():
        leads[slug].append(add(slug, lead, heads[slug], rng.sample(skills, 3) + ["leadership"]))
    total_share = sum(r[4] for r in ROLES.values())
    weights = [r[4] / total_share for r in ROLES.values()]
    slugs = list(ROLES)
    while len(people) < count:
        slug = rng.choices(slugs, weights)[0]
        _head, lead_title, titles, skills, _share = ROLES[slug]
        # A new team lead for every ~8 people, so teams stay a believable size. (Counted as
        # people are added: counting the list each time made 100,000 people take hours.)
        if team_sizes[slug] > 8 * len(leads[slug]) + 1:
            leads[slug].append(
                add(slug, lead_title, heads[slug], rng.sample(skills, 3) + ["leadership"])
            )
            continue
        add(
            slug, rng.choice(titles), rng.choice(leads[slug]), rng.sample(skills, rng.randint(2, 5))
        )
    return people[:count]


def _bulk_create(missing, plan, departments, all_skills, rng, say) -> None:
    now = timezone.now()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=p.username,
                email=f"{p.username.removeprefix('demo.')}@example.com",
                first_name=p.name.split()[0],
                last_name=p.name.split()[-1],
                password=unusable,
                date_joined=now - dt.timedelta(days=rng.randint(1, 3000)),
            )
            for p in missing
        ],
        batch_size=2000,
    )
    users = {u.username: u for u in users}  # bulk_create returns primary keys here
    say(f"{len(users):,} accounts")
    profiles = []
    for p in missing:
        skill = rng.choice(p.skills)
        profiles.append(
            Profile(
                user=users[p.username],
                display_name=p.name,
                title=p.title,
                department=departments.get(p.department),
                location=p.location[0],
                timezone=p.location[1],
                bio=rng.choice(BIOS).format(skill=skill, skill2=rng.choice(p.skills)),
                ask_me_about=", ".join(p.skills[:2]),
                out_of_office_until=(timezone.localdate() + dt.timedelta(days=rng.randint(1, 14)))
                if rng.random() < 0.05
                else None,
            )
        )
    for profile in profiles:
        profile.fill_search_keys()  # bulk_create skips save(), which keeps them
    Profile.objects.bulk_create(profiles, batch_size=2000)
    sync_search_words(profiles, new=True)  # bulk_create skips save(), which keeps them too
    say(f"{len(profiles):,} profiles")
    by_username = {
        pr.user.username: pr
        for pr in Profile.objects.filter(user__username__startswith="demo.").select_related("user")
    }
    managers = [
        (by_username[p.username].pk, by_username[plan[p.manager].username].pk)
        for p in missing
        if p.manager is not None
    ]
    _set_managers(managers)
    say(f"{len(managers):,} managers")
    Through = Profile.skills.through
    Through.objects.bulk_create(
        [
            Through(profile_id=by_username[p.username].pk, skill_id=all_skills[s].pk)
            for p in missing
            for s in p.skills
            if s in all_skills
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    employee = Group.objects.get(name=roles.EMPLOYEE)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=users[p.username].pk, group_id=employee.pk) for p in missing],
        batch_size=5000,
        ignore_conflicts=True,
    )
    say("skills and roles")


def _set_managers(pairs: list[tuple[int, int]]) -> None:
    """profile id -> manager's profile id. On PostgreSQL one UPDATE ... FROM (VALUES ...) per
    10,000 people: bulk_update's CASE per row took six minutes for 100,000."""
    if connection.vendor != "postgresql":
        Profile.objects.bulk_update(
            [Profile(pk=pk, manager_id=manager) for pk, manager in pairs],
            ["manager"],
            batch_size=2000,
        )
        return
    table = Profile._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 10_000):
            batch = pairs[start : start + 10_000]
            values = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET manager_id = v.manager FROM (VALUES {values})"  # noqa: S608 - our table, values are parameters
                f" AS v(id, manager) WHERE {table}.id = v.id",
                [n for pair in batch for n in pair],
            )
