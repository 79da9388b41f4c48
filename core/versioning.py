"""Versioned Markdown documents: drafts edited in place, one published version at a time,
the versions before it superseded, and a line diff between any two. The social media policy
(policies.PolicyVersion) and the crisis playbook (crisis.PlaybookVersion) are both one.

What differs per document (who may write it, what publishing also does, who is told) stays
in its app's services; what is the same lives here:

- `VersionedDocument`, the abstract model (a concrete model adds its constraints: names are
  per table, see `document_constraints`);
- `clean_document`, the checks on title, body and change note;
- `next_number`, `publish_draft`, to be called inside the caller's transaction;
- `compared_numbers`, the two version numbers a "what changed" page or API is asked for;
- `diff_lines`, the Markdown sources compared line by line.
"""

import difflib
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q

from .errors import ApplicationError
from .markdown import render_markdown

MAX_TITLE = 200
MAX_BODY = 50_000
MAX_CHANGE_NOTE = 500


class VersionedDocument(models.Model):
    """One version of a Markdown document. `body_html` is `body` through core.markdown."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Current"
        SUPERSEDED = "superseded", "Superseded"

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=MAX_TITLE)
    body = models.TextField(max_length=MAX_BODY)
    body_html = models.TextField(blank=True)
    change_note = models.CharField(max_length=MAX_CHANGE_NOTE, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number} {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.PUBLISHED


def document_constraints(prefix: str) -> list[models.BaseConstraint]:
    """At most one published version, and a published one has its date."""
    return [
        models.UniqueConstraint(
            fields=["status"], condition=Q(status="published"), name=f"one_current_{prefix}"
        ),
        models.CheckConstraint(
            condition=Q(status="draft") | Q(published_at__isnull=False),
            name=f"published_{prefix}_has_date",
        ),
    ]


def clean_document(
    title: str, body: str, change_note: str, *, noun: str
) -> tuple[str, str, str, str]:
    """(title, body, change_note, body_html), or ApplicationError naming the field. `noun`
    names the document in messages ("policy", "playbook")."""
    title = " ".join((title or "").replace("\x00", "").split())
    body = (body or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not title:
        raise ApplicationError(f"Give the {noun} a title.", field="title")
    if len(title) > MAX_TITLE:
        raise ApplicationError(f"Keep the title under {MAX_TITLE} characters.", field="title")
    if not body:
        raise ApplicationError(f"The {noun} is empty: write its text.", field="body")
    if len(body) > MAX_BODY:
        raise ApplicationError(f"Keep the {noun} under {MAX_BODY:,} characters.", field="body")
    change_note = " ".join((change_note or "").replace("\x00", "").split())
    if len(change_note) > MAX_CHANGE_NOTE:
        raise ApplicationError(
            f"Keep the change note under {MAX_CHANGE_NOTE} characters.", field="change_note"
        )
    return title, body, change_note, render_markdown(body)


def next_number(model: type[VersionedDocument]) -> int:
    """The number of a new version. Call inside a transaction: it locks the newest row, so
    two drafts written at once get different numbers."""
    last = model.objects.select_for_update().order_by("-number").first()
    return (last.number + 1) if last else 1


def require_draft(version: VersionedDocument) -> None:
    if not version.is_draft:
        raise ApplicationError(
            "A published version cannot change: write a new draft.", field="version"
        )


def publish_draft(model: type[VersionedDocument], version: VersionedDocument, *, actor, now):
    """Make the draft `version` the current one and supersede the one before; returns the
    locked, saved row. Call inside a transaction (the row stays locked until it ends)."""
    locked = model.objects.select_for_update().get(pk=version.pk)
    if not locked.is_draft:
        raise ApplicationError("This version is already published.", field="version")
    if model.objects.filter(number__gt=locked.number, status=model.Status.PUBLISHED).exists():
        raise ApplicationError("A newer version is already published.", field="version")
    model.objects.filter(status=model.Status.PUBLISHED).update(status=model.Status.SUPERSEDED)
    locked.status = model.Status.PUBLISHED
    locked.published_by, locked.published_at = actor, now
    locked.save(update_fields=["status", "published_by", "published_at"])
    return locked


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "gap"
    old_number: int | None
    new_number: int | None
    text: str


# The largest number an integer column holds: a bigger one in a query string is no version,
# and must be a 400 rather than an overflow in the database driver.
MAX_NUMBER = 2_147_483_647


def compared_numbers(params) -> tuple[int, int]:
    """The version numbers `?old=&new=` asks to compare, for the page and the API alike; an
    ApplicationError naming the field (400) for anything but a version number."""
    numbers = []
    for name in ("old", "new"):
        raw = (params.get(name) or "").strip()
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_NUMBER:
            raise ApplicationError("Give a version number.", field=name)
        numbers.append(int(raw))
    return numbers[0], numbers[1]


def diff_lines(old: str, new: str, *, context: int = 2) -> list[DiffLine]:
    """Two Markdown sources line by line, `context` unchanged lines around each change.
    Plain text: templates escape it."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for k in range(i2 - i1):
                    lines.append(DiffLine("same", i1 + k + 1, j1 + k + 1, a[i1 + k]))
                continue
            for k in range(i1, i2):
                lines.append(DiffLine("removed", k + 1, None, a[k]))
            for k in range(j1, j2):
                lines.append(DiffLine("added", None, k + 1, b[k]))
    return lines
