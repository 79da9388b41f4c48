"""My data: a copy of everything a person wrote, and deleting an account by the policy.

The apps say what they hold of a person through core.exports (AppConfig.ready); this module
asks for a copy (`request_data_export`), builds it in a Celery task (`build_data_export`,
people.tasks), announces it with a notification whose link is signed and expires, and
deletes an account (`delete_account`) by running every registered erasure in one
transaction. What an admin does for someone else lands in the admin's audit log
(django.contrib.admin's LogEntry: the person's History in /admin/) and, through
people.signals, in the company audit log (/policies/audit/).
"""

import datetime as dt
import logging
import tempfile

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import events, exports
from core.after_commit import call_on_commit, enqueue_on_commit
from core.errors import ApplicationError
from notifications.models import Notification
from notifications.services import notify

from . import roles, signals
from .models import DataExport, Profile

log = logging.getLogger(__name__)
User = get_user_model()

LINK_SALT = "people.data-export"
DELETED_NAME = "Deleted account"
# A copy still being prepared this long after it was asked for has lost its task.
RESTART_AFTER = dt.timedelta(minutes=15)


def _display_name(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.username


def audit(*, actor, person, message: str) -> None:
    """One line in the admin's audit log, on the person's account."""
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[person],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


# --- Copies ---------------------------------------------------------------------------


def _check_may_export(actor, person) -> None:
    if actor.pk == person.pk:
        if not actor.is_active:
            raise ApplicationError("This account is deactivated.", status=403)
        return
    if not roles.is_admin(actor):
        raise ApplicationError("Only an admin may ask for someone else's data.", status=403)


def request_data_export(*, actor, person) -> DataExport:
    """Ask for a copy of `person`'s data for `actor` (the person, or an admin). One copy
    in preparation per asker and person at a time: asking again returns it (and starts its
    task again after RESTART_AFTER). The task starts after commit."""
    _check_may_export(actor, person)
    with transaction.atomic():
        # The asker's row, locked: two quick clicks make one copy, not two.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        pending = DataExport.objects.filter(
            person=person, requested_by=actor, status=DataExport.Status.PENDING
        ).first()
        if pending is not None:
            if pending.created_at < timezone.now() - RESTART_AFTER:
                # Its task was lost (a broker down when it was asked for): start it again;
                # the task builds a copy only while it is still pending.
                enqueue_on_commit("people.tasks.build_data_export", pending.pk)
            return pending
        export = DataExport.objects.create(person=person, requested_by=actor)
        if actor.pk != person.pk:
            audit(actor=actor, person=person, message="Asked for a copy of their data.")
            signals.data_export_requested.send(
                sender=DataExport, actor=actor, person=person, export=export
            )
        enqueue_on_commit("people.tasks.build_data_export", export.pk)
    return export


def download_token(export: DataExport) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign(str(export.pk))


def download_url(export: DataExport) -> str:
    """The signed link to a copy (it also needs its asker's session)."""
    path = reverse("people:data-download", args=[export.pk])
    return f"{path}?key={download_token(export)}"


def check_download_token(export: DataExport, key: str) -> None:
    """The link's key must be this copy's and younger than DATA_EXPORT_DAYS; 410 if it
    has expired, 404 if it is not this copy's."""
    signer = signing.TimestampSigner(salt=LINK_SALT)
    try:
        value = signer.unsign(key or "", max_age=settings.DATA_EXPORT_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise ApplicationError(
            "This download link has expired: ask for a new copy.", status=410
        ) from exc
    except signing.BadSignature as exc:
        raise ApplicationError("This download link is not valid.", status=404) from exc
    if value != str(export.pk):
        raise ApplicationError("This download link is not valid.", status=404)
    if not export.is_downloadable:
        raise ApplicationError(
            "This copy has expired and was deleted: ask for a new one.", status=410
        )


def build_data_export(*, export_id: int) -> DataExport | None:
    """Build the zip of a copy still being prepared (the task's body; safe to run twice:
    a copy already built or gone is left alone). The zip is written to a temporary file
    and stored under a random name; the asker is told in the same transaction that marks
    it ready."""
    export = DataExport.objects.select_related("person__profile").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return export
    person = export.person
    try:
        with tempfile.TemporaryFile() as scratch:
            counts = exports.write_zip(
                person, scratch, person_label=f"{_display_name(person)} (@{person.username})"
            )
            size = scratch.tell()
            scratch.seek(0)
            with transaction.atomic():
                locked = DataExport.objects.select_for_update().filter(pk=export_id).first()
                if locked is None or locked.status != DataExport.Status.PENDING:
                    return locked
                stamp = timezone.now().strftime("%Y%m%d")
                locked.file.save(f"socialhub-{stamp}.zip", File(scratch), save=False)
                _finish(locked, status=DataExport.Status.READY, size=size)
                log.info("data export %s built: %s", export_id, counts)
                return locked
    except Exception:
        log.exception("data export %s could not be built", export_id)
        with transaction.atomic():
            locked = DataExport.objects.select_for_update().filter(pk=export_id).first()
            if locked is not None and locked.status == DataExport.Status.PENDING:
                _finish(locked, status=DataExport.Status.FAILED, size=0)
        raise


def _finish(export: DataExport, *, status: str, size: int) -> None:
    now = timezone.now()
    export.status, export.size, export.finished_at = status, size, now
    export.expires_at = now + dt.timedelta(days=settings.DATA_EXPORT_DAYS)
    export.save(update_fields=["file", "status", "size", "finished_at", "expires_at"])
    asker, person = export.requested_by, export.person
    whose = "your data" if asker.pk == person.pk else f"{_display_name(person)}'s data"
    if status == DataExport.Status.READY:
        text = f"The copy of {whose} is ready to download for {settings.DATA_EXPORT_DAYS} days."
        url = download_url(export)
    else:
        text = f"The copy of {whose} could not be prepared: ask for it again."
        url = reverse("people:data")
    notify(
        recipient=asker,
        kind=Notification.Kind.DATA_EXPORT,
        text=text,
        url=url,
        target_key=f"data-export:{export.pk}",
    )


def forget_export_file(export: DataExport) -> None:
    """After the row is gone (expiry, account deletion): delete its file."""
    if export.file:
        storage, name = export.file.storage, export.file.name
        call_on_commit(lambda: storage.delete(name), what=f"delete export file {name}")


# --- Deleting an account --------------------------------------------------------------


def deletion_policy() -> list[exports.Erasure]:
    """The rows of the policy table, in the order they run."""
    return exports.erasures()


def _anonymise_profile(person) -> None:
    profile = Profile.objects.filter(user=person).first()
    if profile is not None:
        avatar = profile.avatar.name if profile.avatar else ""
        profile.display_name = DELETED_NAME
        profile.title = profile.location = profile.bio = profile.ask_me_about = ""
        profile.manager = None
        profile.out_of_office_until = None
        profile.avatar = ""
        profile.save()
        profile.skills.clear()
        Profile.objects.filter(manager=profile).update(manager=None)
        if avatar:
            storage = Profile._meta.get_field("avatar").storage
            call_on_commit(lambda: storage.delete(avatar), what=f"delete avatar {avatar}")


def _anonymise_account(person) -> None:
    from rest_framework.authtoken.models import Token

    person.username = f"deleted-{person.pk}"
    person.email = person.first_name = person.last_name = ""
    person.is_active = person.is_staff = person.is_superuser = False
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    Token.objects.filter(user=person).delete()


def delete_account(*, actor, person) -> list[exports.Erasure]:
    """Delete `person`'s account by the policy (README, "My data"): every app's erasure
    runs, then the profile and the account are anonymised (the row stays, so what is kept
    shows as by "Deleted account"); their sessions and sockets end. Admins only, never
    their own account. One transaction; one line in the audit log."""
    if not roles.is_admin(actor):
        raise ApplicationError("Only an admin may delete an account.", status=403)
    if actor.pk == person.pk:
        raise ApplicationError("You cannot delete your own account.", status=403)
    policy = deletion_policy()
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.username == f"deleted-{person.pk}" and not person.is_active:
            raise ApplicationError("This account is already deleted.", status=409)
        old_name = f"{_display_name(person)} (@{person.username})"
        for erasure in policy:
            if erasure.erase is not None:
                erasure.erase(person)
        _anonymise_profile(person)
        _anonymise_account(person)
        audit(
            actor=actor,
            person=person,
            message=f"Deleted the account of {old_name} by the policy: "
            + "; ".join(f"{e.name} {e.policy}" for e in policy),
        )
        transaction.on_commit(lambda: _end_sessions(person))
    return policy


def _end_sessions(person) -> None:
    from .services import sign_out_everywhere

    try:
        sign_out_everywhere(actor=person)
    except Exception:
        log.exception("could not end the sessions of deleted account %s", person.pk)
        events.access_changed(person.pk)


# --- What people holds of a person (registered in PeopleConfig.ready) -----------------


def profile_records(user):
    profile = (
        Profile.objects.select_related("department", "manager__user")
        .prefetch_related("skills")
        .filter(user=user)
        .first()
    )
    account = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }
    if profile is None:
        yield {"account": account}
        return
    yield {
        "account": account,
        "display_name": profile.display_name,
        "title": profile.title,
        "department": profile.department.name if profile.department else None,
        "manager": profile.manager.user.username if profile.manager else None,
        "location": profile.location,
        "timezone": profile.timezone,
        "work_start": profile.work_start,
        "work_end": profile.work_end,
        "working_days": profile.working_days,
        "out_of_office_until": profile.out_of_office_until,
        "bio": profile.bio,
        "ask_me_about": profile.ask_me_about,
        "skills": sorted(s.name for s in profile.skills.all()),
        "_files": [("photo.png", profile.avatar)] if profile.avatar else [],
    }


def erase_data_exports(user) -> None:
    """Their copies, and those admins made of them, go with their files."""
    from django.db.models import Q

    for export in DataExport.objects.filter(Q(person=user) | Q(requested_by=user)):
        export.delete()


def expired_exports(now):
    """core.retention: copies past DATA_EXPORT_DAYS (their files go with them)."""
    return DataExport.objects.filter(expires_at__lt=now)


def register() -> None:
    exports.register_exporter(
        "profile", profile_records, describe="your account and profile, with your photo"
    )
    exports.register_erasure(
        "profile",
        policy=exports.ANONYMISE,
        describe="name, title, bio, photo, skills, email and username are erased; the "
        "account stays, deactivated, as “Deleted account”, so what is kept shows under "
        "that name",
        order=1000,
    )
    exports.register_erasure(
        "data-exports",
        policy=exports.DELETE,
        describe="copies of their data, and the copies they asked for, with their files",
        erase=erase_data_exports,
    )
