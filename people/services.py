"""Every write to people data: plain functions `verb_noun(*, actor, ...)`."""

import io
import re
import secrets
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image
from rest_framework.authtoken.models import Token

from core import events
from core.after_commit import call_on_commit
from core.errors import ApplicationError
from core.images import UNREADABLE, TooManyPixels, open_image

from . import roles
from .models import Department, Profile, Skill

User = get_user_model()

MAX_SKILLS = 30
AVATAR_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
AVATAR_SIZE = 256
MAX_AVATAR_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
TOO_MANY_PIXELS = (
    f"That image is too large in pixels: up to {MAX_AVATAR_PIXELS // 1_000_000} million are taken."
)

EDITABLE_FIELDS = (
    "display_name",
    "title",
    "department",
    "manager",
    "location",
    "timezone",
    "work_start",
    "work_end",
    "working_days",
    "out_of_office_until",
    "bio",
    "ask_me_about",
)


# --- Skills ---------------------------------------------------------------------------


def normalize_skill_name(raw: str) -> str:
    """One spelling per skill: lower case, single spaces, no surrounding punctuation."""
    name = " ".join(raw.split()).lower().strip(" ,.;#")
    return name[:60]


def parse_skills(raw: str | list[str]) -> list[str]:
    """Skills typed as "Python, SQL; data viz" (or a list) -> ["python", "sql", "data viz"].

    Raises ApplicationError naming `skills` for too many or unusable entries.
    """
    parts = re.split(r"[,;\n]", raw) if isinstance(raw, str) else list(raw)
    names: list[str] = []
    for part in parts:
        if not isinstance(part, str):
            raise ApplicationError("Each skill must be text.", field="skills")
        name = normalize_skill_name(part)
        if not name:
            continue
        if not slugify(name):
            raise ApplicationError(f"“{part.strip()[:40]}” is not a skill name.", field="skills")
        if name not in names:
            names.append(name)
    if len(names) > MAX_SKILLS:
        raise ApplicationError(f"List at most {MAX_SKILLS} skills.", field="skills")
    return names


def get_or_create_skills(names: list[str]) -> list[Skill]:
    """The Skill rows for normalized `names`, creating the missing ones (race-safe)."""
    existing = {s.name: s for s in Skill.objects.filter(name__in=names)}
    missing = [n for n in names if n not in existing]
    if missing:
        Skill.objects.bulk_create(
            [Skill(name=n, slug=_unique_skill_slug(n)) for n in missing], ignore_conflicts=True
        )
        existing.update({s.name: s for s in Skill.objects.filter(name__in=missing)})
    return [existing[n] for n in names if n in existing]


def _unique_skill_slug(name: str) -> str:
    base = slugify(name)[:52] or "skill"
    if not Skill.objects.filter(slug=base).exists():
        return base
    return f"{base}-{secrets.token_hex(3)}"


# --- Profiles -------------------------------------------------------------------------


def ensure_profile(*, user: User) -> Profile:
    """Every account has a profile and the employee role (called when a user is created)."""
    profile, _ = Profile.objects.get_or_create(
        user=user,
        defaults={"display_name": user.get_full_name() or user.get_username()},
    )
    employee, _ = Group.objects.get_or_create(name=roles.EMPLOYEE)
    user.groups.add(employee)
    return profile


def _check_can_edit(actor, profile: Profile) -> None:
    if actor.pk != profile.user_id and not roles.is_admin(actor):
        raise ApplicationError("You can only edit your own profile.", status=403)


def _check_manager(profile: Profile, manager: Profile | None) -> None:
    if manager is None:
        return
    if manager.pk == profile.pk:
        raise ApplicationError("Nobody can be their own manager.", field="manager")
    if not manager.user.is_active:
        raise ApplicationError("That person has left the company.", field="manager")
    current, steps = manager, 0
    while current.manager_id and steps < 100:
        if current.manager_id == profile.pk:
            raise ApplicationError(
                f"{manager.display_name} already reports to {profile.display_name}.",
                field="manager",
            )
        current = Profile.objects.only("id", "manager_id").get(pk=current.manager_id)
        steps += 1


def update_profile(
    *,
    actor: User,
    profile: Profile,
    data: dict,
    skills: list[str] | None = None,
    avatar: UploadedFile | None = None,
    clear_avatar: bool = False,
) -> Profile:
    """Change the editable fields in `data` (and skills, avatar) in one transaction.

    Nothing is saved when any part is refused: the avatar is checked before the first
    write, and every write happens inside the transaction.
    """
    _check_can_edit(actor, profile)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError("This field cannot be changed.", field=sorted(unknown)[0])
    if "display_name" in data and not str(data["display_name"]).strip():
        raise ApplicationError("Enter the name colleagues know you by.", field="display_name")
    if "working_days" in data:
        data = {**data, "working_days": normalize_working_days(data["working_days"])}
    if ("work_start" in data or "work_end" in data) and (
        data.get("work_start", profile.work_start) >= data.get("work_end", profile.work_end)
    ):
        raise ApplicationError("Working hours must end after they start.", field="work_end")
    if "manager" in data:
        _check_manager(profile, data["manager"])
    avatar_file = make_avatar(avatar) if avatar is not None else None

    for field, value in data.items():
        setattr(profile, field, value.strip() if isinstance(value, str) else value)
    try:
        profile.full_clean(exclude=["user", "avatar", "skills"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        profile.refresh_from_db()
        raise ApplicationError(messages[0], field=field) from exc

    with transaction.atomic():
        if (clear_avatar or avatar_file is not None) and profile.avatar:
            old_avatar = profile.avatar.name
            call_on_commit(
                lambda: profile.avatar.storage.delete(old_avatar), what="delete the old avatar"
            )
            profile.avatar = ""
        if avatar_file is not None:
            profile.avatar.save(avatar_file.name, avatar_file, save=False)
        profile.save()
        if skills is not None:
            profile.skills.set(get_or_create_skills(skills))
    return profile


DIRECTORY_FIELDS = ("display_name", "title", "department", "manager")


def apply_directory_record(*, profile: Profile, data: dict) -> list[str]:
    """Set the fields the company directory owns (SCIM, the CSV import) from `data`.

    The caller has authenticated the directory (a SCIM token, an admin's import); no
    per-person permission applies. The manager is checked as on the profile page (active,
    not oneself, no cycle). Saves only when something changed; returns the changed field
    names. Expects the caller's transaction.
    """
    unknown = set(data) - set(DIRECTORY_FIELDS)
    if unknown:
        raise ApplicationError("This field cannot be changed.", field=sorted(unknown)[0])
    changed = []
    for field, value in data.items():
        value = value.strip() if isinstance(value, str) else value
        if field == "display_name" and not value:
            continue
        current = getattr(profile, f"{field}_id" if field in ("department", "manager") else field)
        new = value.pk if field in ("department", "manager") and value is not None else value
        if current != new:
            changed.append(field)
            setattr(profile, field, value)
    if "manager" in changed:
        _check_manager(profile, profile.manager)
    if changed:
        try:
            profile.full_clean(exclude=["user", "avatar", "skills"])
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise ApplicationError(messages[0], field=field) from exc
        profile.save(update_fields=[*changed, "updated_at"])
    return changed


def ensure_department(*, name: str) -> Department:
    """The department called `name` (any case), created with a free slug when there is none:
    the directory names departments, it does not manage them."""
    name = " ".join(name.split())[:100]
    found = Department.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    base = slugify(name)[:90] or "department"
    slug = base
    while Department.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return Department.objects.create(name=name, slug=slug)


def normalize_working_days(days: Iterable[int | str]) -> str:
    values = sorted({str(d) for d in days})
    if not values:
        raise ApplicationError("Choose at least one working day.", field="working_days")
    if any(v not in "1234567" or len(v) != 1 for v in values):
        raise ApplicationError("Working days are 1 (Monday) to 7 (Sunday).", field="working_days")
    return "".join(values)


def make_avatar(upload: UploadedFile) -> ContentFile:
    """Check an uploaded avatar and re-encode it as a square PNG.

    Re-encoding drops metadata (GPS position in photos) and anything appended to the image
    (polyglot files). Raises ApplicationError naming `avatar` for a wrong type or size.
    """
    limit = settings.AVATAR_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(
            f"That image is {upload.size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.",
            field="avatar",
        )
    try:
        with open_image(upload, max_pixels=MAX_AVATAR_PIXELS) as probe:
            kind = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            square = _square(image)
    except TooManyPixels as exc:
        raise ApplicationError(TOO_MANY_PIXELS, field="avatar") from exc
    except UNREADABLE as exc:
        raise ApplicationError("Upload a JPEG, PNG, GIF or WebP image.", field="avatar") from exc
    if kind not in AVATAR_FORMATS:
        raise ApplicationError("Upload a JPEG, PNG, GIF or WebP image.", field="avatar")
    out = io.BytesIO()
    square.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.png")


def _square(image: Image.Image) -> Image.Image:
    image = image.convert("RGBA")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    return image.crop((left, top, left + side, top + side)).resize(
        (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS
    )


# --- Accounts -------------------------------------------------------------------------


def create_employee(
    *,
    username: str,
    email: str,
    display_name: str,
    password: str | None = None,
    department: Department | None = None,
    title: str = "",
    manager: Profile | None = None,
    skills: list[str] = (),
    role_names: tuple[str, ...] = (),
    **profile_fields,
) -> Profile:
    with transaction.atomic():
        try:
            user = User.objects.create_user(username=username, email=email, password=password)
        except IntegrityError as exc:
            raise ApplicationError("That username is taken.", field="username") from exc
        profile = ensure_profile(user=user)
        for field, value in {
            "display_name": display_name,
            "department": department,
            "title": title,
            "manager": manager,
            **profile_fields,
        }.items():
            setattr(profile, field, value)
        profile.save()
        if skills:
            profile.skills.set(get_or_create_skills(parse_skills(list(skills))))
        for role in role_names:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
    return profile


def regenerate_api_token(*, actor: User) -> Token:
    """A fresh API token for `actor`; the old one stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=actor).delete()
        return Token.objects.create(user=actor)


def revoke_api_token(*, actor: User) -> None:
    Token.objects.filter(user=actor).delete()


def sign_out_everywhere(*, actor: User, keep_session_key: str | None = None) -> int:
    """End every session of `actor` but `keep_session_key` (the one asking, so the page
    stays signed in) and revoke their API token; their open sockets on every server
    re-check at once and those of the ended sessions close. Returns how many sessions
    ended.

    Sessions are found by reading each live one: the session store has no index by user.
    Only the database-backed engines (db, cached_db) can be listed this way."""
    engine = import_module(settings.SESSION_ENGINE)
    get_model = getattr(engine.SessionStore, "get_model_class", None)
    ended = 0
    if get_model is not None:
        rows = get_model().objects.filter(expire_date__gt=timezone.now())
        mine = str(actor.pk)
        keys = [
            row.session_key
            for row in rows.only("session_key", "session_data").iterator(chunk_size=2000)
            if row.session_key != keep_session_key
            and _session_user(engine.SessionStore, row.session_data) == mine
        ]
        for key in keys:
            # Through the store: cached_db forgets its cached copy too.
            engine.SessionStore(key).delete()
        ended = len(keys)
    revoke_api_token(actor=actor)
    events.access_changed(actor.pk)
    return ended


def _session_user(store_class, session_data: str) -> str | None:
    try:
        user_id = store_class().decode(session_data).get(SESSION_KEY)
    except Exception:
        return None
    return None if user_id is None else str(user_id)
