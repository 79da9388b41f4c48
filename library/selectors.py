"""Every read of a group's file library, for the viewer it is filtered for.

Who reads a library is who reads the group (groups.selectors.can_read): its current
members and admins, everyone for a public group; never a former member, never a
deactivated account. A secret group's library is a 404 like the group itself, so not
even a file's name reaches someone outside it. A post's attachments are in the library
exactly while the post is readable (feeds.selectors.group_feed).

The library lists two tables as one: its own files and the attachments of the group's
posts. A page is one UNION ALL query, each side filtered by the cursor before the union
and the union sorted and cut by the database, so the order (and the collation it sorts
names by) is the database's alone.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce, Lower
from django.http import Http404
from django.urls import reverse

from core.errors import ApplicationError
from core.pagination import encode_cursor, keyset_after
from feeds.models import Attachment
from feeds.selectors import group_feed
from groups import selectors as groups
from groups.models import Group

from .models import FileVersion, LibraryFile

FILE, ATTACHMENT = 0, 1
# sort name -> (ordering over the union's columns, the Python types of their values)
SORTS = {
    "date": (("-e_date", "-e_kind", "-e_id"), (dt.datetime, int, int)),
    "name": (("e_key", "e_kind", "e_id"), (str, int, int)),
    "size": (("-e_size", "-e_kind", "-e_id"), (int, int, int)),
    "uploader": (("e_who", "e_kind", "e_id"), (str, int, int)),
}
SORT_LABELS = {"date": "Newest", "name": "Name", "size": "Largest", "uploader": "Uploader"}
COLUMNS = (
    "e_kind",
    "e_id",
    "e_name",
    "e_key",
    "e_size",
    "e_type",
    "e_date",
    "e_who",
    "e_username",
    "e_post",
    "e_version",
    "e_preview",
)


@dataclass
class Entry:
    """One row of a library page: a library file or a post's attachment."""

    kind: str  # "file" or "attachment"
    id: int
    name: str
    size: int
    content_type: str
    date: dt.datetime
    uploader_name: str
    uploader_username: str
    post_id: int | None
    version: int | None
    has_preview: bool
    url: str  # the file's page (a library file) or its post (an attachment)
    download_url: str
    preview_url: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


def get_readable_group(user, slug: str) -> Group:
    """The group if `user` may read its content; 404 alike for missing, secret and
    private-to-someone-else (the API's way in: no locked page to show)."""
    group = groups.get_listed_group(user, slug)
    if not groups.can_read(user, group):
        raise Http404("No such group.")
    return group


def live_files(user, group: Group) -> QuerySet[LibraryFile]:
    """The group's library files `user` may read (nothing if they may not read the group)."""
    return LibraryFile.objects.filter(
        groups.readable_group_q(user), group=group, deleted_at__isnull=True
    )


def group_attachments(user, group: Group) -> QuerySet[Attachment]:
    """The attachments of the group's posts that `user` may read."""
    return Attachment.objects.filter(post__in=group_feed(user, group).values("id"))


def _files_side(user, group: Group) -> QuerySet:
    return live_files(user, group).annotate(
        e_kind=Value(FILE, output_field=IntegerField()),
        e_id=F("id"),
        e_name=F("name"),
        e_key=Lower("name"),
        e_size=F("size"),
        e_type=F("content_type"),
        e_date=F("updated_at"),
        e_who=Coalesce("updated_by__profile__display_name", "updated_by__username"),
        e_username=F("updated_by__username"),
        e_post=Value(None, output_field=IntegerField()),
        e_version=F("current_version__number"),
        e_preview=F("current_version__preview"),
    )


def _attachments_side(user, group: Group) -> QuerySet:
    return group_attachments(user, group).annotate(
        e_kind=Value(ATTACHMENT, output_field=IntegerField()),
        e_id=F("id"),
        e_name=F("name"),
        e_key=Lower("name"),
        e_size=F("size"),
        e_type=F("content_type"),
        e_date=F("post__created_at"),
        e_who=Coalesce("post__author__profile__display_name", "post__author__username"),
        e_username=F("post__author__username"),
        e_post=F("post_id"),
        e_version=Value(None, output_field=IntegerField()),
        e_preview=F("library_preview__preview"),
    )


def library_page(
    user, group: Group, *, sort: str = "date", query: str = "", cursor: str | None, size: int
) -> tuple[list[Entry], str | None]:
    """One page of the group's library in `sort` order, names containing `query`: one
    query whatever the page size. Raises ApplicationError for an unknown sort, and
    InvalidCursor for a cursor that is not ours."""
    if sort not in SORTS:
        raise ApplicationError(f"Sort by {', '.join(SORTS)}.", field="sort")
    ordering, types = SORTS[sort]
    sides = [_files_side(user, group), _attachments_side(user, group)]
    if query:
        sides = [side.filter(name__icontains=query) for side in sides]
    if cursor:
        after = keyset_after(ordering, types, cursor)
        sides = [side.filter(after) for side in sides]
    sides = [side.order_by().values(*COLUMNS) for side in sides]
    rows = list(sides[0].union(sides[1], all=True).order_by(*ordering)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = encode_cursor([_plain(last[f.lstrip("-")]) for f in ordering])
    return [_entry(group, row) for row in rows], next_cursor


def _plain(value):
    if isinstance(value, dt.datetime):
        return value
    return value if value is not None else ""


def _entry(group: Group, row: dict) -> Entry:
    slug = group.slug
    if row["e_kind"] == FILE:
        kind, number = "file", row["e_version"]
        url = reverse("library:file", args=[slug, row["e_id"]])
        download = reverse("library:download", args=[slug, row["e_id"], number])
        preview = reverse("library:preview", args=[slug, row["e_id"], number])
    else:
        kind = "attachment"
        url = reverse("feeds:post", args=[row["e_post"]])
        download = reverse("feeds:attachment", args=[row["e_post"], row["e_id"]])
        preview = reverse("library:attachment-preview", args=[slug, row["e_id"]])
    return Entry(
        kind=kind,
        id=row["e_id"],
        name=row["e_name"],
        size=row["e_size"],
        content_type=row["e_type"],
        date=row["e_date"],
        uploader_name=row["e_who"] or "",
        uploader_username=row["e_username"] or "",
        post_id=row["e_post"],
        version=row["e_version"],
        has_preview=bool(row["e_preview"]),
        url=url,
        download_url=download,
        preview_url=preview if row["e_preview"] else "",
    )


def get_library_file(user, group: Group, file_id) -> LibraryFile:
    """A live file of the group's library that `user` may read; 404 alike otherwise."""
    try:
        return (
            live_files(user, group)
            .select_related(
                "group", "created_by__profile", "updated_by__profile", "current_version"
            )
            .get(pk=file_id)
        )
    except (LibraryFile.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such file.") from exc


def versions_of(library_file: LibraryFile) -> QuerySet[FileVersion]:
    """A file's versions, newest first. `library_file` comes from get_library_file."""
    return library_file.versions.select_related("uploaded_by__profile").order_by("-number")


def get_version(user, group: Group, file_id, number) -> FileVersion:
    """Version `number` of a library file `user` may read; 404 alike otherwise."""
    library_file = get_library_file(user, group, file_id)
    found = library_file.versions.filter(number=number).first()
    if found is None:
        raise Http404("No such version.")
    found.file = library_file
    return found


def get_group_attachment(user, group: Group, attachment_id) -> Attachment:
    """An attachment of a readable post of `group`; 404 alike otherwise."""
    try:
        return (
            group_attachments(user, group).select_related("library_preview").get(pk=attachment_id)
        )
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such file.") from exc


# --- What a viewer may do -------------------------------------------------------------


def can_add_files(user, group: Group, membership=None) -> bool:
    """Members who may write (not muted) add files and versions; a public group's
    non-members join first; admins, like everyone, where they belong."""
    if not (user.is_authenticated and user.is_active):
        return False
    membership = membership if membership is not None else groups.membership_of(user, group)
    return membership is not None and not membership.is_muted()


def can_change_file(user, library_file: LibraryFile, membership=None) -> bool:
    """Who may upload a new version of a file or delete it: the person who added it (while
    they may add files) and the group's leaders and admins."""
    if not (user.is_authenticated and user.is_active):
        return False
    group = library_file.group
    membership = membership if membership is not None else groups.membership_of(user, group)
    if groups.can_moderate(user, group, membership):
        return True
    return library_file.created_by_id == user.pk and can_add_files(user, group, membership)
