"""The directory as a CSV file: a dry run shows what would change, the apply changes it all
in one transaction or nothing.

Columns (a header row; only `username` is required, and a column that is absent leaves that
field alone): username, email, display_name, first_name, last_name, title, department (its
slug or name), manager (a username or email, of someone in the file or already here),
active (true/false). With `authoritative`, active people missing from the file are
deactivated — through the same offboarding as every deactivation (policies.receivers).

The dry run runs the very same writes inside a transaction it rolls back, so what it reports
(a manager cycle, a duplicate) is what the apply would meet.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from core.errors import ApplicationError
from core.saving import save_changed
from groups.department_sync import defer_department_syncs, sync_departments
from people.models import Department
from people.services import apply_directory_record, create_employee, ensure_department

from ..models import DirectoryAuditEntry
from .common import User, audit, require_admin

COLUMNS = (
    "username",
    "email",
    "display_name",
    "first_name",
    "last_name",
    "title",
    "department",
    "manager",
    "active",
)
LIMITS = {
    "username": 150,
    "email": 254,
    "display_name": 120,
    "first_name": 150,
    "last_name": 150,
    "title": 120,
    "department": 100,
    "manager": 254,
    "active": 5,
}
MAX_ROWS = 100_000
TRUE, FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}


@dataclass
class Change:
    line: int | None  # None: a person missing from an authoritative file
    username: str
    kind: str  # new | changed | deactivated | reactivated
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportPlan:
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    rows: int = 0
    # The bulk job moving many people to their department's group (None: done inline).
    membership_job: object = None

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)


class _Abort(Exception):
    """Ends the transaction when the file has errors: nothing of it stays."""


def plan_import(*, actor, text: str, authoritative=False, create_departments=False) -> ImportPlan:
    """What importing `text` would change, or why it cannot: a dry run, nothing kept."""
    return _run(actor, text, authoritative, create_departments, apply=False)


def apply_import(*, actor, text: str, authoritative=False, create_departments=False) -> ImportPlan:
    """Import `text`: every change or, when any row is refused, none."""
    return _run(actor, text, authoritative, create_departments, apply=True)


def _run(actor, text: str, authoritative: bool, create_departments: bool, *, apply: bool):
    require_admin(actor, "Only admins import the directory.")
    plan = ImportPlan()
    rows = _read(text, plan)
    if not rows:
        return plan
    try:
        with transaction.atomic():
            # Every row is checked even when some were refused on reading: one run names
            # every bad line.
            # Department groups follow in one go once every row is in: at once for a few
            # people, else in a bulk job whose progress the page shows.
            with defer_department_syncs() as moved:
                _Import(actor, rows, plan, authoritative, create_departments).run()
            if plan.errors or not apply:
                plan.errors.sort(key=lambda error: error.line)
                raise _Abort
            plan.membership_job = sync_departments(
                actor=actor, user_ids=moved, subject="directory-import"
            )
            audit(
                DirectoryAuditEntry.Action.IMPORT_APPLIED,
                actor=actor,
                detail=f"{plan.rows} rows: {plan.count('new')} new, "
                f"{plan.count('changed')} changed, {plan.count('deactivated')} deactivated, "
                f"{plan.count('reactivated')} reactivated",
            )
    except _Abort:
        return plan
    plan.applied = True
    return plan


def _read(text: str, plan: ImportPlan) -> list[tuple[int, dict]]:
    if "\x00" in text:
        plan.errors.append(RowError(1, "The file contains NUL characters; save it as CSV."))
        return []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if "username" not in header:
        plan.errors.append(RowError(1, "The first row must name the columns, username among them."))
        return []
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        plan.errors.append(
            RowError(1, f"Unknown column {unknown[0]!r}; the columns are {', '.join(COLUMNS)}.")
        )
        return []
    reader.fieldnames = header
    rows, seen = [], {}
    try:
        for record in reader:
            line = reader.line_num
            if len(rows) >= MAX_ROWS:
                plan.errors.append(RowError(line, f"At most {MAX_ROWS} rows per file."))
                break
            if None in record:
                plan.errors.append(RowError(line, "More cells than columns."))
                continue
            values = {k: (v or "").strip() for k, v in record.items() if k}
            if not any(values.values()):
                continue
            too_long = next((k for k, v in values.items() if len(v) > LIMITS[k]), None)
            if too_long:
                plan.errors.append(RowError(line, f"{too_long} is longer than {LIMITS[too_long]}."))
                continue
            username = values["username"]
            if not username:
                plan.errors.append(RowError(line, "username is empty."))
                continue
            if username in seen:
                plan.errors.append(RowError(line, f"{username} is also on line {seen[username]}."))
                continue
            seen[username] = line
            rows.append((line, values))
    except csv.Error as exc:
        plan.errors.append(RowError(reader.line_num, f"Not readable as CSV: {exc}"))
    plan.rows = len(rows)
    return rows


class _Import:
    """One run over the rows, inside the caller's transaction."""

    def __init__(self, actor, rows, plan: ImportPlan, authoritative, create_departments):
        self.actor, self.rows, self.plan = actor, rows, plan
        self.authoritative, self.create_departments = authoritative, create_departments

    def error(self, line: int, message: str) -> None:
        self.plan.errors.append(RowError(line, message))

    def run(self) -> None:
        usernames = [values["username"] for _, values in self.rows]
        references = [values["manager"] for _, values in self.rows if values.get("manager")]
        self.users = {
            u.username: u
            for u in User.objects.select_for_update(of=("self",))
            .select_related("profile")
            .filter(Q(username__in=usernames + references) | Q(email__in=references))
        }
        self.by_email = {u.email.lower(): u for u in self.users.values() if u.email}
        departments = list(Department.objects.all())
        self.departments = {d.slug: d for d in departments}
        self.departments.update({d.name.lower(): d for d in departments})
        self.in_file = {values["username"]: line for line, values in self.rows}
        self.file_emails = {
            values["email"].lower(): values["username"]
            for _, values in self.rows
            if values.get("email")
        }

        prepared = [p for p in (self.prepare(line, values) for line, values in self.rows) if p]
        if self.plan.errors:
            return
        for line, values, change in prepared:  # everyone exists before managers are named
            if change.kind == "new":
                self.create(line, values)
        for line, values, change in prepared:
            self.update(line, values, change)
        if self.authoritative:
            self.deactivate_missing()

    def prepare(self, line: int, values: dict):
        user = self.users.get(values["username"])
        if values.get("email"):
            try:
                validate_email(values["email"])
            except ValidationError:
                self.error(line, f"{values['email']} is not an email address.")
                return None
        if values.get("active") and values["active"].lower() not in TRUE | FALSE:
            self.error(line, f"active is {values['active']!r}; write true or false.")
            return None
        department = values.get("department")
        if department and not self.create_departments and self.department(department) is None:
            self.error(line, f"No department {department!r} (by slug or name).")
            return None
        if values.get("manager"):
            manager = self.manager_username(values["manager"])
            if manager is None:
                self.error(line, f"No manager {values['manager']!r} (by username or email).")
                return None
            if manager == values["username"]:
                self.error(line, "Nobody can be their own manager.")
                return None
        return line, values, Change(line, values["username"], "new" if user is None else "")

    def department(self, reference: str) -> Department | None:
        return self.departments.get(reference) or self.departments.get(reference.lower())

    def manager_username(self, reference: str) -> str | None:
        if reference in self.in_file:
            return reference
        if reference.lower() in self.file_emails:
            return self.file_emails[reference.lower()]
        existing = self.users.get(reference) or self.by_email.get(reference.lower())
        return existing.username if existing is not None else None

    def create(self, line: int, values: dict) -> None:
        try:
            profile = create_employee(
                username=values["username"],
                email=values.get("email", ""),
                display_name=values.get("display_name") or values["username"],
            )
        except ApplicationError as exc:
            self.error(line, exc.message)
            return
        self.users[values["username"]] = User.objects.select_related("profile").get(
            pk=profile.user_id
        )

    def update(self, line: int, values: dict, change: Change) -> None:
        user = self.users.get(values["username"])
        if user is None:
            return
        diff = change.fields
        account = {c: values[c] for c in ("email", "first_name", "last_name") if c in values}
        diff.update(save_changed(user, account))

        profile, data = user.profile, {}
        if values.get("display_name"):
            data["display_name"] = values["display_name"]
        if "title" in values:
            data["title"] = values["title"]
        if "department" in values:
            data["department"] = self.resolve_department(values["department"])
        if "manager" in values:
            data["manager"] = (
                self.users[self.manager_username(values["manager"])].profile
                if values["manager"]
                else None
            )
        before = {name: _shown(getattr(profile, name)) for name in data}
        try:
            changed = apply_directory_record(profile=profile, data=data)
        except ApplicationError as exc:
            self.error(line, exc.message)
            return
        for name in changed:
            diff[name] = (before[name], _shown(getattr(profile, name)))

        if values.get("active"):
            active = values["active"].lower() in TRUE
            if active != user.is_active:
                self.set_active(user, active)
                if change.kind != "new":
                    change.kind = "reactivated" if active else "deactivated"
        if change.kind == "new" or diff or change.kind:
            if change.kind == "new":
                change.fields = {k: ("", new) for k, (_, new) in diff.items()}
            change.kind = change.kind or "changed"
            self.plan.changes.append(change)

    def resolve_department(self, reference: str) -> Department | None:
        if not reference:
            return None
        found = self.department(reference)
        if found is None:
            found = ensure_department(name=reference)
            self.departments[found.slug] = self.departments[found.name.lower()] = found
        return found

    def set_active(self, user, active: bool) -> None:
        user.is_active = active
        user.save(update_fields=["is_active"])

    def deactivate_missing(self) -> None:
        """People who are not in an authoritative file leave. Superusers (the operator's own
        break-glass accounts) and the admin importing are never deactivated by a file."""
        missing = (
            User.objects.filter(is_active=True, is_superuser=False)
            .exclude(username__in=list(self.in_file))
            .exclude(pk=self.actor.pk)
            .order_by("username")
        )
        for user in missing:
            self.set_active(user, False)
            self.plan.changes.append(Change(None, user.username, "deactivated"))


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "user_id") and hasattr(value, "display_name"):  # a profile: the manager
        return value.user.username
    return str(value)
