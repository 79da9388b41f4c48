"""Every read of people data. Every active employee may read every active profile: the
directory is the company's. Inactive (offboarded) accounts disappear from every surface."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.core.cache import cache
from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from core.errors import ApplicationError

from .models import AVATAR_FOLDER, Department, Profile, SearchWord, Skill, SkillTag, fold

MAX_CHAIN = 25


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
    profiles = visible_profiles(viewer)
    if department is not None:
        profiles = profiles.filter(department=department)
    if skill is not None:
        profiles = profiles.filter(skills=skill)
    key = fold(query)
    if key:
        # Folded keys on the profile row: accents and case do not matter, and on PostgreSQL
        # the three trigram indexes answer the OR together (a BitmapOr, no join first).
        profiles = profiles.filter(
            Q(name_key__contains=key) | Q(title_key__contains=key) | Q(username_key__contains=key)
        )
    return profiles


def profiles_with_words(viewer, words: tuple[str, ...]) -> QuerySet[Profile]:
    """Visible profiles holding every one of `words` in their name, title, username, "ask
    me about" or department name (site search). Name, title and username are matched on
    their folded keys (no case folding per row: about half the time of icontains on the
    fields at 10,000 people); the department by the ids of the departments so named, with
    no join."""
    condition = Q()
    for word in words:
        either = Q(ask_me_about__icontains=word) | Q(
            department_id__in=Department.objects.filter(name__icontains=word).values("id")
        )
        key = fold(word)
        if key:
            either |= Q(name_key__contains=key) | Q(title_key__contains=key)
            either |= Q(username_key__contains=key)
        else:  # nothing left once folded (a lone accent): the fields as typed
            either |= Q(display_name__icontains=word) | Q(title__icontains=word)
            either |= Q(user__username__icontains=word)
        condition &= either
    return visible_profiles(viewer).filter(condition)


def with_skills(profiles: list[Profile]) -> list[Profile]:
    """Attach `skill_tags` to a page of profiles in one query (not one per profile)."""
    tags: dict[int, list[SkillTag]] = {p.pk: [] for p in profiles}
    rows = (
        Profile.skills.through.objects.filter(profile_id__in=tags)
        .order_by("skill__name")
        .values_list("profile_id", "skill__name", "skill__slug")
    )
    for profile_id, name, slug in rows:
        tags[profile_id].append(SkillTag(name, slug))
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


def manager_chain(profile: Profile) -> list[Profile]:
    """The profile's managers, nearest first, up to the top (one query per level)."""
    chain: list[Profile] = []
    seen = {profile.pk}
    current = profile
    while current.manager_id and current.manager_id not in seen and len(chain) < MAX_CHAIN:
        current = (
            Profile.objects.select_related("user", "department")
            .filter(pk=current.manager_id, user__is_active=True)
            .first()
        )
        if current is None:
            break
        chain.append(current)
        seen.add(current.pk)
    return chain


def direct_reports(profile: Profile) -> list[Profile]:
    return list(
        Profile.objects.filter(manager=profile, user__is_active=True)
        .select_related("user", "department")
        .annotate(report_count=Count("reports", filter=Q(reports__user__is_active=True)))
        .order_by("display_name", "id")
    )


def top_of_org(viewer) -> list[Profile]:
    """People with no manager: where the org chart starts."""
    return list(
        visible_profiles(viewer)
        .filter(manager__isnull=True)
        .annotate(report_count=Count("reports", filter=Q(reports__user__is_active=True)))
        .filter(report_count__gt=0)
        .order_by("-report_count", "display_name")
    )


# Company-wide counts are the same for every viewer and cost a pass over every profile, so
# they are cached briefly and forgotten whenever a profile changes (forget_counts).
COUNTS_TTL = 300
_DEPARTMENTS_KEY = "people:departments-with-counts"
_SKILLS_KEY = "people:popular-skills"
_ACTIVE_KEY = "people:active-count"
# people/experts.py keys its cached rankings by this, and directory_total its counts of
# searches; forgetting it forgets them all.
EXPERTS_GENERATION_KEY = "people:experts-generation"
POPULAR_SKILLS = 30


def forget_counts() -> None:
    cache.delete_many([_DEPARTMENTS_KEY, _SKILLS_KEY, _ACTIVE_KEY, EXPERTS_GENERATION_KEY])


def departments_with_counts() -> list[Department]:
    """Every department with `member_count` (active people) and its parent loaded."""
    return cache.get_or_set(
        _DEPARTMENTS_KEY,
        lambda: list(
            Department.objects.select_related("parent")
            .annotate(member_count=Count("members", filter=Q(members__user__is_active=True)))
            .order_by("name")
        ),
        COUNTS_TTL,
    )


# Past this many matches the directory says "10,000+": counting every match of a broad
# search at 100,000 people costs more than the page itself.
TOTAL_CAP = 10_000


def directory_total(*, viewer, profiles: QuerySet[Profile], department, skill, query) -> int:
    """How many people the directory's filters match, from the cached counts when they
    answer it, else one count query that stops at TOTAL_CAP + 1 (a larger result means
    "more than TOTAL_CAP")."""
    if not (skill or query):
        if department is None:
            return cache.get_or_set(
                _ACTIVE_KEY, lambda: visible_profiles(viewer).count(), COUNTS_TTL
            )
        for counted in departments_with_counts():
            if counted.pk == department.pk:
                return counted.member_count
    # The same for every viewer (everyone reads every active profile), and reading every
    # match's row to count it costs more than the page at 100,000 people (a name shared by
    # 2,000): kept like the company counts, forgotten with them whenever a profile or an
    # account changes (forget_counts), so someone offboarded leaves the count at once.
    generation = cache.get_or_set(EXPERTS_GENERATION_KEY, secrets.token_hex(4), None)
    digest = hashlib.sha256(fold(query).encode()).hexdigest()[:32]
    key = (
        f"people:total:{generation}:{TOTAL_CAP}:{getattr(department, 'pk', '')}:"
        f"{getattr(skill, 'pk', '')}:{digest}"
    )
    return cache.get_or_set(key, lambda: profiles.order_by()[: TOTAL_CAP + 1].count(), COUNTS_TTL)


def get_department(slug: str) -> Department | None:
    return Department.objects.filter(slug=slug).first() if slug else None


def all_departments() -> QuerySet[Department]:
    """Every department by name, for filters and choosers."""
    return Department.objects.order_by("name")


def get_account(*, username: str | None = None, pk: int | None = None, active: bool = True):
    """A user account by username or id, or None. `active=False` also finds offboarded
    accounts, for the admin flows that act on them (handing over their brand accounts)."""
    from django.contrib.auth import get_user_model

    if username is None and pk is None:
        return None
    accounts = get_user_model().objects.all()
    if active:
        accounts = accounts.filter(is_active=True)
    if username is not None:
        accounts = accounts.filter(username=username)
    if pk is not None:
        accounts = accounts.filter(pk=pk)
    return accounts.first()


def get_skill(slug: str) -> Skill | None:
    return Skill.objects.filter(slug=slug).first() if slug else None


def popular_skills(limit: int = POPULAR_SKILLS) -> list[Skill]:
    """The most listed skills, with `people` (how many active people list each)."""
    skills = cache.get_or_set(
        _SKILLS_KEY,
        lambda: list(
            Skill.objects.annotate(
                people=Count("profiles", filter=Q(profiles__user__is_active=True))
            )
            .filter(people__gt=0)
            .order_by("-people", "name")[:POPULAR_SKILLS]
        ),
        COUNTS_TTL,
    )
    return skills[:limit]


# suggest_people reads the candidates in batches of this many (a few more than a list shows,
# so that someone offboarded among them rarely costs a second batch).
SUGGEST_BATCH = 24
# A prefix that starts fewer words than this is answered from SearchWord (sorting them costs
# a few ms); a broader one by walking the profiles in name order, which meets eight matches
# within the first few hundred rows when one word in 12 or more matches.
SUGGEST_SORT_CAP = 8000


def suggest_people(*, viewer, prefix: str, limit: int = 8) -> list[Profile]:
    """Active people whose name (first or any later word of it) or username starts with
    `prefix`, by name, for autocompletes. Two or three queries (rarely more).

    How many words start with the prefix decides how (one count that stops at
    SUGGEST_SORT_CAP): a broad prefix ("@m", every "demo." username) walks the profiles in
    name order; a narrow one ("@zo": the first "Zoe" is 99,000 rows into that walk at
    100,000 people) sorts its words (SearchWord) and reads the people they name through
    visible_profiles, so that whoever is offboarded is left out; a batch that loses someone
    that way is followed by the next one."""
    key = fold(" ".join(prefix.split()).lstrip("@"))
    if not key:
        return []
    first, _, rest = key.partition(" ")
    words = SearchWord.objects.filter(word__startswith=first)
    if words.order_by()[:SUGGEST_SORT_CAP].count() >= SUGGEST_SORT_CAP:
        # name_key starts with a space, so " " + the prefix is the start of any word of it.
        return list(
            visible_profiles(viewer)
            .filter(Q(name_key__contains=f" {key}") | Q(username_key__startswith=key))
            .order_by("display_name", "id")[:limit]
        )
    if rest:  # "zoe sm": a word starting with "zoe", and " zoe sm" in the name
        words = words.filter(profile__name_key__contains=f" {key}")
    words = words.order_by("display_name", "profile_id").values_list("display_name", "profile_id")
    found: list[Profile] = []
    after = None
    while len(found) < limit:
        batch = words.filter(_after_word(after)) if after else words
        # No DISTINCT (a hash of every match before the top rows): a person two of whose
        # words match comes twice in a row, and is kept once.
        rows = list(batch[:SUGGEST_BATCH])
        if not rows:
            break
        people = visible_profiles(viewer).in_bulk([pk for _name, pk in rows])
        for _name, pk in rows:
            if pk in people and (not found or found[-1].pk != pk):
                found.append(people[pk])
        if len(rows) < SUGGEST_BATCH:
            break
        after = rows[-1]
    return found[:limit]


def _after_word(after: tuple[str, int]) -> Q:
    name, pk = after
    return Q(display_name__gte=name) & (Q(display_name__gt=name) | Q(profile_id__gt=pk))


def person_named(text: str):
    """The active account a people picker (or a typed box) names: by username, else by a
    display name only one active person has; None otherwise (one or two queries). Pickers
    send the username; a name typed without picking works when it is unambiguous."""
    text = " ".join((text or "").replace("\x00", "").split())[:150]
    if not text:
        return None
    found = Profile.objects.select_related("user").filter(user__is_active=True)
    profile = found.filter(user__username=text).first()
    if profile is None:
        named = list(found.filter(display_name__iexact=text)[:2])
        profile = named[0] if len(named) == 1 else None
    return profile.user if profile is not None else None


def picked_person(text: str, *, field: str):
    """`person_named`, or an ApplicationError naming `field` (400): what a page does with the
    value of a people picker (templates/_picker.html)."""
    person = person_named(text)
    if person is None:
        raise ApplicationError("Choose someone from the list (by name).", field=field)
    return person


def get_skill_by_name(name: str) -> Skill | None:
    return Skill.objects.filter(name=name).first() if name else None


def newest_colleagues(*, viewer, limit: int = 6) -> list[Profile]:
    return list(
        visible_profiles(viewer).exclude(user=viewer).order_by("-created_at", "-id")[:limit]
    )


def api_token_of(user):
    """The user's API token, if they made one (shown only to themselves)."""
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).first()


def get_person(viewer, username: str):
    """The active user `username`, profile loaded, if `viewer` may see them; 404 otherwise
    (missing and hidden alike)."""
    profile = visible_profiles(viewer).filter(user__username=username).first()
    if profile is None:
        raise Http404("No such person.")
    return profile.user


def active_profile_named(username: str) -> Profile | None:
    """The profile of the active user `username` (user loaded), or None: how a form or an
    API body names someone, e.g. a manager."""
    return (
        Profile.objects.select_related("user")
        .filter(user__username=username, user__is_active=True)
        .first()
    )


# --- Sessions: is a signed-in session still good? (the live socket asks on arrival) ------


@dataclass(frozen=True)
class Access:
    user: object
    expires: dt.datetime


def check_access(user_id: int, session_key: str | None) -> Access | None:
    """Whether the session `session_key` still signs `user_id` in, read from the database
    as django.contrib.auth.get_user would, but without writing anything (no flush, no key
    cycling): None when the session is gone or expired, belongs to someone else, its
    backend is no longer configured, the account is inactive or deleted, or the password
    changed since it signed in (its auth hash no longer matches, SECRET_KEY_FALLBACKS
    included). Else the fresh user and when the session expires."""
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    model = getattr(store, "model", None)
    if model is not None:  # db and cached_db: the row is the truth, its expiry included
        row = model.objects.filter(session_key=session_key, expire_date__gt=timezone.now())
        row = row.only("session_data", "expire_date").first()
        if row is None:
            return None
        data, expires = store.decode(row.session_data), row.expire_date
    else:
        data = store.load()
        if not data:
            return None
        expires = store.get_expiry_date()
    backend_path = data.get(auth.BACKEND_SESSION_KEY)
    if str(data.get(auth.SESSION_KEY)) != str(user_id):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = auth.load_backend(backend_path).get_user(user_id)
    if user is None or not user.is_active:
        return None
    session_hash = data.get(auth.HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    if not session_hash or not any(constant_time_compare(session_hash, h) for h in hashes):
        return None
    return Access(user=user, expires=expires)


def check_access_many(pairs) -> dict[tuple[int, str | None], Access | None]:
    """check_access for many (user_id, session_key) pairs at once, with the same answers: the
    open sockets of a daphne process re-checking together when a company-wide event reaches
    them all. With a database session engine, one query for the sessions and one per
    authentication backend for the users, whatever their number; else one check each."""
    from django.contrib.auth.backends import ModelBackend

    pairs = set(pairs)
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    store = store_class()
    model = getattr(store, "model", None)
    if model is None:
        return {pair: check_access(*pair) for pair in pairs}
    keys = {key for _, key in pairs if key}
    rows = model.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
    sessions = {
        key: (store.decode(data), expires)
        for key, data, expires in rows.values_list("session_key", "session_data", "expire_date")
    }
    claimed: dict[str, set[int]] = {}  # backend path -> user ids its sessions name
    for user_id, key in pairs:
        data = sessions.get(key, ({}, None))[0]
        backend_path = data.get(auth.BACKEND_SESSION_KEY)
        if str(data.get(auth.SESSION_KEY)) == str(user_id) and (
            backend_path in settings.AUTHENTICATION_BACKENDS
        ):
            claimed.setdefault(backend_path, set()).add(user_id)
    users: dict[tuple[str, int], object] = {}
    for backend_path, user_ids in claimed.items():
        backend = auth.load_backend(backend_path)
        if type(backend).get_user is ModelBackend.get_user:  # the same lookup, in bulk
            manager = auth.get_user_model()._default_manager
            for user in manager.filter(pk__in=user_ids):
                if backend.user_can_authenticate(user):
                    users[(backend_path, user.pk)] = user
        else:
            for user_id in user_ids:
                users[(backend_path, user_id)] = backend.get_user(user_id)
    found: dict[tuple[int, str | None], Access | None] = {}
    for user_id, key in pairs:
        data, expires = sessions.get(key, ({}, None))
        user = users.get((data.get(auth.BACKEND_SESSION_KEY), user_id))
        found[(user_id, key)] = None
        if user is None or not user.is_active or str(data.get(auth.SESSION_KEY)) != str(user_id):
            continue
        session_hash = data.get(auth.HASH_SESSION_KEY) or ""
        hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
        if session_hash and any(constant_time_compare(session_hash, h) for h in hashes):
            found[(user_id, key)] = Access(user=user, expires=expires)
    return found


# --- My data ----------------------------------------------------------------------------

MY_DATA_EXPORTS = 20


def data_exports_requested(viewer):
    """The copies `viewer` asked for (of their own data, or, for an admin, of others'), with
    whose data each is, newest first (index export_by_requester); none for the signed out."""
    from .models import DataExport

    if not viewer.is_authenticated:
        return DataExport.objects.none()
    return (
        DataExport.objects.filter(requested_by=viewer)
        .select_related("person__profile")
        .order_by("-created_at", "-id")
    )


def data_exports_of(viewer) -> list:
    """The newest MY_DATA_EXPORTS of data_exports_requested: one query."""
    return list(data_exports_requested(viewer)[:MY_DATA_EXPORTS])


def get_data_export(viewer, export_id):
    """A copy `viewer` may download: only the one who asked for it, and an admin only while
    they are one. 404 alike for missing and someone else's."""
    from . import roles
    from .models import DataExport

    try:
        export_id = int(export_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    export = (
        DataExport.objects.filter(pk=export_id, requested_by_id=getattr(viewer, "pk", None))
        .select_related("person", "requested_by")
        .first()
    )
    if export is None or not viewer.is_active:
        raise Http404("No such copy.")
    if export.person_id != viewer.pk and not roles.is_admin(viewer):
        raise Http404("No such copy.")
    return export
