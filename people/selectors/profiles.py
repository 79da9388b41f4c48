"""The profiles a viewer may read (every active one), the directory's filters and pages, skills
attached in one query, one profile by username or by photo, and the signed-in person's own
for the top bar. Site search's words are people.selectors.words."""

from django.core.cache import cache
from django.db.models import F, Q, QuerySet
from django.http import Http404

from core import compiled
from core.pagination import KeysetPage, decode_cursor, page_of, page_query

from ..models import AVATAR_FOLDER, Department, Profile, Skill, SkillTag, fold


def visible_profiles(viewer) -> QuerySet[Profile]:
    """The profiles `viewer` may read, loaded for display (one query for a page of them)."""
    if not viewer.is_authenticated:
        return Profile.objects.none()
    return Profile.objects.filter(user__is_active=True).select_related("user", "department")


def directory_profiles(
    *,
    viewer,
    department: Department | None = None,
    skill: Skill | None = None,
    query: str = "",
) -> QuerySet[Profile]:
    return _narrowed(
        visible_profiles(viewer),
        department=getattr(department, "pk", None),
        skill=getattr(skill, "pk", None),
        key=fold(query),
    )


def _narrowed(profiles, *, department: int | None, skill: int | None, key: str):
    if department is not None:
        profiles = profiles.filter(department_id=department)
    if skill is not None:
        profiles = profiles.filter(skills=skill)
    if key:
        # Folded keys on the profile row: accents and case do not matter, and on PostgreSQL
        # the three trigram indexes answer the OR together (a BitmapOr, no join first).
        profiles = profiles.filter(
            Q(name_key__contains=key) | Q(title_key__contains=key) | Q(username_key__contains=key)
        )
    return profiles


# The directory's order (the page and the API), and what a page of it loads with each person.
PAGE_ORDER = ("display_name", "id")
PAGE_TYPES = (str, int)
PAGE_RELATED = ("user", "department")


def profile_page(
    *,
    viewer,
    department: Department | None = None,
    skill: Skill | None = None,
    query: str = "",
    after: list | None,
    size: int,
    manager_username: bool = False,
    as_rows: bool = False,
    defer_rows: bool = False,
) -> list[Profile] | list[dict]:
    """directory_profiles' page after the PAGE_ORDER values `after` (core.pagination's
    page_query: size + 1 rows), user and department loaded; with `manager_username`, each
    person's manager's username as an attribute (what the API shows). With `as_rows`, the
    rows as read, for a caller that makes profiles of only some (loaded_profiles). With
    `defer_rows` (and `as_rows`), a page whose rows would take a second statement (a text
    search's, a skill's: _two_step_page) is only its people's ids and names, what the
    cursor needs, for a caller that shows texts kept per person and reads the rows of those
    it lacks (kept_per_person with `read_for`): such a page whose texts are all kept is one
    statement, not two. A page read in one prepared statement comes whole either way.

    Compiled once per process and shape (core.compiled): building this query cost the ORM
    about 1 ms, and planning its joins cost PostgreSQL 3 ms of the API page's 4 (100,000
    people). The shape is which filters are set, whether there is a cursor, the size and the
    manager; their values are parameters. Prepared on PostgreSQL but for a skill or a text
    search, whose best plan depends on the value (a rare skill reads its people, a common
    one the name index; a text search reads the trigram indexes). Such a page's ids are
    planned at each run and its rows read apart, prepared, the managers' usernames joined
    there (_two_step_page): joining the managers' accounts in a statement planned at each
    run took its planning from 0.3 to 1.1 ms (a skill's page at 100,000 people), so the page
    is read in one such statement only when someone on it left between the two."""
    if not viewer.is_authenticated:
        return []
    key = fold(query)
    values = {}
    if department is not None:
        values["department"] = department.pk
    if skill is not None:
        values["skill"] = skill.pk
    if key:
        values["key"] = key
    if after is not None:
        values |= {"after_name": after[0], "after_id": after[1]}
    prepare = skill is None and not key
    shape = ("people.profile_page", *sorted(values), size, manager_username)

    def build(department=None, skill=None, key="", after_name=None, after_id=None, ids=False):
        profiles = _narrowed(visible_profiles(viewer), department=department, skill=skill, key=key)
        after = None if after_name is None else [after_name, after_id]
        if ids:
            return page_query(
                profiles.values(*PAGE_ORDER), ordering=PAGE_ORDER, after=after, size=size
            )
        if key:
            # The page's ids along the name index alone (profile_name_keyset carries the
            # keys, so the walk past the people who do not match reads no table row), then
            # those people's rows. For a name shared by 2,000 of 100,000 people PostgreSQL
            # ran the page in 1.3-1.4 ms, against 1.8-4.1 ms when every person walked was
            # read from the table (migration people 0009).
            chosen = page_query(profiles.values("id"), ordering=PAGE_ORDER, after=after, size=size)
            profiles = visible_profiles(viewer).filter(id__in=chosen)
        fields = compiled.related_fields(Profile, PAGE_RELATED)
        if manager_username:
            profiles = profiles.annotate(manager_username=F("manager__user__username"))
            fields.append("manager_username")
        return page_query(profiles.values(*fields), ordering=PAGE_ORDER, after=after, size=size)

    if prepare:
        rows = compiled.run(shape, build, values)
    else:
        chosen = compiled.run(
            (*shape, "ids"), lambda **marks: build(ids=True, **marks), values, prepare=False
        )
        if defer_rows and as_rows:
            return chosen
        rows = _two_step_page(viewer, chosen, manager_username=manager_username)
        if rows is None:
            rows = compiled.run(shape, build, values, prepare=False)
    return rows if as_rows else loaded_profiles(rows)


def _two_step_page(viewer, chosen: list[dict], *, manager_username: bool) -> list[dict] | None:
    """The rows of a text search's or a skill's page whose ids (`chosen`) were read alone,
    planned at each run (the trigram indexes, a skill's people or the name index, by how
    common the text or the skill is): read apart, prepared (profiles_by_id, with the
    managers' usernames when asked). In one statement PostgreSQL spent 0.8-1.3 ms planning
    the page's joins around a search, against 0.4 ms for the ids alone; a common skill's
    page read the table row of every person walked along the name index to test the skill
    (546 for a page of 26, 8-9 ms at 100,000 people), its ids alone walk the index only
    (1.4 ms). None when someone on the page left between the two (the caller reads it in
    one statement): the page never loses a person or its next cursor to that race."""
    ids = [row["id"] for row in chosen]
    found = profiles_by_id(viewer, ids, as_rows=True, manager_username=manager_username)
    if len(found) != len(ids):
        return None
    return [found[pk] for pk in ids]


def loaded_profiles(rows: list[dict]) -> list[Profile]:
    """Rows of profile_page(as_rows=True) as profiles, user and department loaded."""
    return [compiled.loaded(Profile, row, related=PAGE_RELATED) for row in rows]


def kept_per_person(
    rows: list[dict],
    *,
    prefix: str,
    make,
    seconds: int,
    read_for=None,
    manager_username: bool = False,
) -> list[str]:
    """`make(profile)` (a text: a directory card, an API entry) for the people of `rows`
    (profile_page's, as rows), in order: from the shared cache in one round trip under
    `prefix` and each person's id; those it lacks made from their rows, skills read in one
    query (with_skills), and kept `seconds`. A page whose texts are all kept builds no
    profile. The prefix says what a text depends on beyond the person (the counts'
    generation read before the page's query, the day, the address); who is on the page is
    decided by the page's own query.

    `read_for`: the viewer, for rows that may be only ids and names (profile_page with
    `defer_rows`): the rows of those whose text is not kept are then read (profiles_by_id,
    with the managers' usernames when `manager_username`), and anyone offboarded in
    between is left out (the page's cursor still follows its last id: nobody is skipped)."""
    keys = {row["id"]: f"{prefix}:{row['id']}" for row in rows}
    texts = cache.get_many(list(keys.values()))
    missing = [row for row in rows if keys[row["id"]] not in texts]
    if missing and read_for is not None and "user_id" not in missing[0]:
        unread = [row["id"] for row in missing]
        found = profiles_by_id(read_for, unread, as_rows=True, manager_username=manager_username)
        # What the caller's row holds beyond the id and name (an expert's score) goes along.
        missing = [found[row["id"]] | row for row in missing if row["id"] in found]
    if missing:
        made = {keys[p.pk]: make(p) for p in with_skills(loaded_profiles(missing))}
        cache.set_many(made, seconds)
        texts.update(made)
    return [texts[key] for key in keys.values() if key in texts]


def people_page(*, viewer, cursor: str | None, size: int, **filters) -> KeysetPage:
    """The directory's page after `cursor` (InvalidCursor for one it did not make):
    profile_page with `filters` (department, skill, query, manager_username, as_rows,
    defer_rows)."""
    after = decode_cursor(cursor, ordering=PAGE_ORDER, types=PAGE_TYPES)
    rows = profile_page(viewer=viewer, after=after, size=size, **filters)
    return page_of(rows, ordering=PAGE_ORDER, size=size)


def profiles_by_id(
    viewer,
    ids: list[int],
    *,
    as_rows: bool = False,
    manager_username: bool = False,
    names_only: bool = False,
) -> dict[int, Profile]:
    """`visible_profiles(viewer).in_bulk(ids)`, user and department loaded: those of `ids`
    the viewer may read (nobody offboarded). Compiled once per process and number of ids,
    prepared (core.compiled): building and planning the join cost more than running it.
    With `as_rows`, the rows as read, for a caller that shows only some (loaded_profiles);
    with `manager_username`, each person's manager's username (None without one), as
    profile_page gives it (prepared, the join is planned once); with `names_only` (and
    `as_rows`), only their ids and names, for a caller that shows texts kept per person
    (kept_per_person with `read_for`)."""
    if not viewer.is_authenticated or not ids:
        return {}
    values = {f"p{i}": pk for i, pk in enumerate(dict.fromkeys(ids))}

    def build(**marks):
        profiles = visible_profiles(viewer).filter(pk__in=list(marks.values()))
        if names_only:
            return profiles.values(*PAGE_ORDER)
        fields = compiled.related_fields(Profile, PAGE_RELATED)
        if manager_username:
            profiles = profiles.annotate(manager_username=F("manager__user__username"))
            fields.append("manager_username")
        return profiles.values(*fields)

    shape = ("people.profiles_by_id", len(values), manager_username, names_only)
    rows = compiled.run(shape, build, values)
    if as_rows:
        return {row["id"]: row for row in rows}
    return {profile.pk: profile for profile in loaded_profiles(rows)}


def with_skills(profiles: list[Profile]) -> list[Profile]:
    """Attach `skill_tags` to a page of profiles in one query (not one per profile),
    compiled once per process and number of profiles (core.compiled)."""
    tags: dict[int, list[SkillTag]] = {p.pk: [] for p in profiles}
    if not tags:
        return profiles
    values = {f"p{i}": pk for i, pk in enumerate(tags)}

    def build(**ids):
        return (
            Profile.skills.through.objects.filter(profile_id__in=list(ids.values()))
            .order_by("skill__name")
            .values("profile_id", "skill__name", "skill__slug")
        )

    for row in compiled.run(("people.with_skills", len(values)), build, values):
        tags[row["profile_id"]].append(SkillTag(row["skill__name"], row["skill__slug"]))
    for profile in profiles:
        profile._skill_tags = tags[profile.pk]
    return profiles


def get_visible_profile(*, viewer, username: str) -> Profile:
    """The profile of `username` if the viewer may read it; 404 otherwise, whatever the reason."""
    try:
        profile = visible_profiles(viewer).get(user__username=username)
    except Profile.DoesNotExist as exc:
        raise Http404("No such person.") from exc
    return with_skills([profile])[0]


def get_profile_by_avatar(*, viewer, name: str) -> Profile:
    """The readable profile whose photo is stored as `avatars/<name>`; 404 for any other
    name (one that matches no row, a former employee's photo, anything with a path in it)."""
    if not name or "/" in name or "\\" in name or "\x00" in name:
        raise Http404("No such photo.")
    profile = visible_profiles(viewer).filter(avatar=AVATAR_FOLDER + name).first()
    if profile is None:
        raise Http404("No such photo.")
    return profile


def profile_of(user) -> Profile:
    return Profile.objects.select_related("user", "department", "manager__user").get(user=user)


def newest_colleagues(*, viewer, limit: int = 6) -> list[Profile]:
    return list(
        visible_profiles(viewer).exclude(user=viewer).order_by("-created_at", "-id")[:limit]
    )


def get_person(viewer, username: str):
    """The active user `username`, profile loaded, if `viewer` may see them; 404 otherwise
    (missing and hidden alike)."""
    profile = visible_profiles(viewer).filter(user__username=username).first()
    if profile is None:
        raise Http404("No such person.")
    return profile.user


def own_profile(user) -> Profile | None:
    """`user`'s own profile, as `user.profile` gives it (None when there is none): the top
    bar's photo and name on every page. One query built once per process and prepared on
    PostgreSQL (core.compiled); the profile is then cached on `user` as `user.profile` caches
    it, so the rest of the request reads it without a query."""
    if not user.is_authenticated:
        return None
    account = Profile._meta.get_field("user")
    if account.remote_field.is_cached(user):
        return getattr(user, "profile", None)
    fields = [f.attname for f in Profile._meta.concrete_fields]

    def build(user_id):
        return Profile.objects.filter(user_id=user_id).values(*fields)

    rows = compiled.run(("people.own_profile",), build, {"user_id": user.pk})
    return cache_own_profile(user, compiled.instance(Profile, rows[0]) if rows else None)


def cache_own_profile(user, profile: Profile | None) -> Profile | None:
    """`profile` (None: `user` has none) cached on `user` both ways, as `user.profile`
    caches it: the rest of the request reads it without a query."""
    account = Profile._meta.get_field("user")
    account.remote_field.set_cached_value(user, profile)
    if profile is not None:
        account.set_cached_value(profile, user)
    return profile
