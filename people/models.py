import datetime as dt
import unicodedata
import zoneinfo
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS

from core.files import RandomName
from core.links import fixed_url

AVATAR_FOLDER = "avatars/"


def people_url() -> str:
    """The directory's URL. Lists link every card and skill chip; reversing each of them
    costs more than the rest of the page, so the prefix is reversed once per process."""
    return fixed_url("people:directory")


WEEKDAYS = [
    ("1", "Mon"),
    ("2", "Tue"),
    ("3", "Wed"),
    ("4", "Thu"),
    ("5", "Fri"),
    ("6", "Sat"),
    ("7", "Sun"),
]
TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


# Letters with a stroke or ligatures, which NFKD does not decompose.
_WHOLE_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str) -> str:
    """Text as people search it: accents dropped, case folded, spaces collapsed ("  José
    ÁLVAREZ " -> "jose alvarez"). Stored folded in Profile's search keys and applied to what
    is typed, so a search matches the same way on PostgreSQL and SQLite."""
    text = unicodedata.normalize("NFKD", (text or "").replace("\x00", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().translate(_WHOLE_LETTERS).split())


class Department(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{people_url()}?department={self.slug}"


class Skill(models.Model):
    """A normalized tag: "Python", " python " and "PYTHON" are one skill, `python`.

    Skills drive expert finding and, later, customer question routing, so they are matched
    by slug, never by free text.
    """

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{people_url()}?skill={self.slug}"


@dataclass(frozen=True)
class SkillTag:
    """A skill as lists show it: no model instance to build for each chip on a page."""

    name: str
    slug: str

    def get_absolute_url(self) -> str:
        return f"{people_url()}?skill={self.slug}"


# The fields whose folded copy a search matches, and where the copy is kept.
SEARCH_KEYS = {"display_name": "name_key", "title": "title_key"}


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    location = models.CharField(max_length=120, blank=True)
    timezone = models.CharField(max_length=64, choices=TIMEZONE_CHOICES, default="UTC")
    work_start = models.TimeField(default=dt.time(9, 0))
    work_end = models.TimeField(default=dt.time(17, 0))
    working_days = models.CharField(
        max_length=7, default="12345", help_text="ISO weekdays, 1 = Monday"
    )
    out_of_office_until = models.DateField(null=True, blank=True)
    bio = models.TextField(blank=True, max_length=4000)
    ask_me_about = models.CharField(max_length=300, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="profiles")
    # A re-encoded PNG under a random name (the uploader's file name is not kept: it says
    # nothing useful about a photo and may say something personal). Indexed: the photo's
    # URL finds the profile by it (views.avatar).
    avatar = models.ImageField(
        upload_to=RandomName(AVATAR_FOLDER, ("png",)), blank=True, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the directory search and the "@" autocomplete match, folded (see fold): the name
    # after a space (so " " + a prefix finds any word of it), the title, the username. Kept by
    # save(); on PostgreSQL each has a trigram index (migration 0005), so a search reads the
    # matching rows, not the table.
    name_key = models.TextField(blank=True, default="", editable=False)
    title_key = models.TextField(blank=True, default="", editable=False)
    username_key = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["display_name", "id"]
        indexes = [
            # The directory's keyset order, overall and within a department. The name order
            # carries what a text search filters on (the folded keys, the account for its
            # join, the department), so that a search walks the index alone
            # (selectors.profile_page). PostgreSQL only: elsewhere the columns are not kept.
            models.Index(
                fields=["display_name", "id"],
                include=["user", "department", "name_key", "title_key", "username_key"],
                name="profile_name_keyset",
            ),
            models.Index(fields=["department", "display_name", "id"], name="profile_dept_keyset"),
            # The home page's newest colleagues (selectors.newest_colleagues): walked from its
            # end, not every profile sorted (86 ms at 100,000 people on every home page).
            models.Index(fields=["created_at", "id"], name="profile_newest"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, update_fields=None, **kwargs):
        self.fill_search_keys()
        if update_fields is not None:
            keys = [key for field, key in SEARCH_KEYS.items() if field in update_fields]
            update_fields = [*update_fields, *keys]
        adding = self._state.adding
        super().save(*args, update_fields=update_fields, **kwargs)
        words = self.search_words_key()
        saved_keys = update_fields is None or {"name_key", "username_key"} & set(update_fields)
        if saved_keys and words is not None and words != getattr(self, "_saved_words", None):
            sync_search_words([self], new=adding)
            self._saved_words = words

    def get_absolute_url(self) -> str:
        # The same as reverse("people:profile", args=[username]), without its cost per card.
        return f"{people_url()}{quote(self.user.username, safe=RFC3986_SUBDELIMS + '~:@')}/"

    @classmethod
    def from_db(cls, db, field_names, values):
        profile = super().from_db(db, field_names, values)
        profile._saved_words = profile.search_words_key()
        return profile

    def search_words_key(self):
        """What the person's SearchWord rows are made of, or None if a field is deferred."""
        loaded = self.__dict__
        if not all(f in loaded for f in ("display_name", "name_key", "username_key")):
            return None
        return (self.display_name, self.name_key, self.username_key)

    def fill_search_keys(self, username: str | None = None) -> None:
        """Set the folded search keys from the fields (and `username`, else the loaded
        user's, if any): for save() and for bulk creation, which skips save()."""
        self.name_key = " " + fold(self.display_name)
        self.title_key = fold(self.title)
        if username is None and Profile.user.is_cached(self):
            username = self.user.get_username()
        if username is not None:
            self.username_key = fold(username)

    @property
    def skill_tags(self) -> list[SkillTag]:
        """The person's skills by name. Costs a query unless selectors.with_skills loaded
        them for the whole page."""
        if not hasattr(self, "_skill_tags"):
            self._skill_tags = [
                SkillTag(name, slug)
                for name, slug in self.skills.order_by("name").values_list("name", "slug")
            ]
        return self._skill_tags

    @property
    def initials(self) -> str:
        parts = [p for p in self.display_name.split() if p[:1].isalpha()]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    def is_out_of_office(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.out_of_office_until and self.out_of_office_until >= today)

    def is_working_at(self, moment: dt.datetime) -> bool:
        """Inside working hours and days in the person's own timezone, and not away."""
        local = moment.astimezone(zoneinfo.ZoneInfo(self.timezone))
        if self.is_out_of_office(local.date()):
            return False
        if str(local.isoweekday()) not in self.working_days:
            return False
        return self.work_start <= local.time() < self.work_end

    @property
    def working_days_label(self) -> str:
        days = [label for value, label in WEEKDAYS if value in self.working_days]
        if days == ["Mon", "Tue", "Wed", "Thu", "Fri"]:
            return "Mon–Fri"
        return ", ".join(days) or "—"


class SearchWord(models.Model):
    """One word a person is found by in the "@" autocomplete and the people pickers: each
    word of their folded name and their folded username, with a copy of the display name
    that those lists are ordered by.

    A prefix of any word is one range of the btree index (text_pattern_ops, the order
    copied alongside), so "@zo" reads the words starting with "zo" and sorts those: a walk
    of the profiles in name order (what the trigram index left the planner to do) read
    99,000 profiles before the first "Zoe" at 100,000 people (issue 18). Kept by
    Profile.save() and sync_search_words(); visibility is never stored here (the
    selectors read the profiles through visible_profiles).
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="search_words")
    word = models.TextField()
    display_name = models.CharField(max_length=120)

    class Meta:
        indexes = [
            models.Index(
                fields=["word", "display_name", "profile"],
                opclasses=["text_pattern_ops", "varchar_ops", "int8_ops"],
                name="searchword_prefix",
            ),
        ]

    def __str__(self) -> str:
        return self.word


def search_words(profile: Profile) -> list[SearchWord]:
    """The SearchWord rows of `profile`, from its search keys (fill_search_keys)."""
    words = set(profile.name_key.split())
    if profile.username_key:
        words.add(profile.username_key)
    return [
        SearchWord(profile_id=profile.pk, word=word, display_name=profile.display_name)
        for word in sorted(words)
    ]


def sync_search_words(profiles, *, new: bool = False) -> None:
    """Replace the SearchWord rows of `profiles` (saved, search keys filled): two queries,
    one for `new` profiles (just created: they have none yet)."""
    profiles = list(profiles)
    if not new:
        SearchWord.objects.filter(profile__in=[p.pk for p in profiles]).delete()
    SearchWord.objects.bulk_create(
        [word for profile in profiles for word in search_words(profile)], batch_size=5000
    )


EXPORT_FOLDER = "exports/"


class DataExport(models.Model):
    """A copy of one person's data (a zip), asked for by them or by an admin for them.

    Only `requested_by` may download it (core.files serves it after
    people.selectors.get_data_export): the person for their own copy, the admin who asked
    for theirs. The file lives under a random name and is deleted with the row, which goes
    DATA_EXPORT_DAYS after it was built (core.retention, rule "data-exports").
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be prepared"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=RandomName(EXPORT_FOLDER + "%Y/%m/", ("zip",)), blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at", "-id"], name="export_by_requester"),
            models.Index(
                fields=["expires_at"],
                name="export_expiry",
                condition=models.Q(expires_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Data of {self.person_id} for {self.requested_by_id} ({self.status})"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )
