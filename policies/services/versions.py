"""Policy versions (draft, edit, publish, acknowledge) and the policy settings: the
acknowledgement gate and the engagement model. Publishing ends every certification and
tells everyone."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import bulk, session_reads
from core.errors import ApplicationError
from core.versioning import clean_document, next_number, publish_draft, require_draft
from core.wording import counted
from people.models import Department

from .. import selectors
from ..models import (
    Acknowledgement,
    AuditEntry,
    Certification,
    PolicySettings,
    PolicyVersion,
)
from .common import NOTIFY_BATCH, User, _audit, _bulk_notify, _require_admin


def create_version(
    *,
    actor,
    title: str,
    body: str,
    change_note: str = "",
    requires_recertification: bool = False,
) -> PolicyVersion:
    """A new draft, numbered after every existing version."""
    _require_admin(actor, "Only admins write policy versions.")
    title, body, change_note, body_html = clean_document(title, body, change_note, noun="policy")
    with transaction.atomic():
        version = PolicyVersion.objects.create(
            number=next_number(PolicyVersion),
            title=title,
            body=body,
            body_html=body_html,
            change_note=change_note,
            requires_recertification=requires_recertification,
            created_by=actor,
        )
        _audit(actor, AuditEntry.Action.CREATE_VERSION, version=version)
    return version


def edit_version(
    *,
    actor,
    version: PolicyVersion,
    title: str,
    body: str,
    change_note: str = "",
    requires_recertification: bool = False,
) -> PolicyVersion:
    _require_admin(actor, "Only admins edit policy versions.")
    require_draft(version)
    title, body, change_note, body_html = clean_document(title, body, change_note, noun="policy")
    with transaction.atomic():
        version.title, version.body, version.change_note = title, body, change_note
        version.body_html = body_html
        version.requires_recertification = requires_recertification
        version.save(
            update_fields=["title", "body", "body_html", "change_note", "requires_recertification"]
        )
        _audit(actor, AuditEntry.Action.EDIT_VERSION, version=version)
    return version


def publish_version(*, actor, version: PolicyVersion) -> PolicyVersion:
    """Make a draft the current policy: the previous one is superseded and a version
    requiring re-certification ends every certification, in one transaction; every active
    employee is notified after it commits, by a bulk job (core.bulk) whose progress the
    version's page shows."""
    _require_admin(actor, "Only admins publish the policy.")
    now = timezone.now()
    with transaction.atomic():
        locked = publish_draft(PolicyVersion, version, actor=actor, now=now)
        _audit(actor, AuditEntry.Action.PUBLISH_VERSION, version=locked)
        if locked.requires_recertification:
            _end_certifications(actor, locked, now)
        _notify_everyone(actor, locked)
    return locked


def _end_certifications(actor, version: PolicyVersion, now) -> int:
    reason = f"Version {version.number} requires re-certification."
    certified = list(
        Certification.objects.filter(revoked_at__isnull=True).values_list("user_id", flat=True)
    )
    Certification.objects.filter(revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor, revoke_reason=reason
    )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                action=AuditEntry.Action.REVOKE_CERTIFICATION,
                target_user_id=user_id,
                version=version,
                detail=reason,
            )
            for user_id in certified
        ],
        batch_size=NOTIFY_BATCH,
    )
    return len(certified)


# Telling everyone is a bulk job (core.bulk), registered in PoliciesConfig.ready: the
# request that publishes answers at once; a task notifies NOTIFY_BATCH people per chunk.
PUBLISH_JOB = "policies.publish"


def _notify_everyone(actor, version: PolicyVersion):
    return bulk.start_job(
        kind=PUBLISH_JOB,
        subject=selectors.publication_subject(version),
        actor=actor,
        params={"version_id": version.pk, "number": version.number, "actor_id": actor.pk},
    )


def publication_targets(job):
    """Every active employee but the one who published."""
    return (
        User.objects.filter(is_active=True)
        .exclude(pk=job.params["actor_id"])
        .values_list("pk", flat=True)
    )


def notify_publication_chunk(job, user_ids: list[int]) -> None:
    """One chunk of the publication's notifications: one INSERT (the chunk is NOTIFY_BATCH),
    and one badge event after commit."""
    _bulk_notify(
        user_ids,
        actor=User(pk=job.params["actor_id"]),  # no query: the id is what is stored
        text=f"The social media policy changed (version {job.params['number']}): please read "
        "and acknowledge it.",
        url=reverse("policies:current"),
        target_key=f"policy-version:{job.params['version_id']}",
    )


def acknowledge_version(*, actor, version: PolicyVersion) -> Acknowledgement:
    """Record that `actor` read the current version. Old versions and drafts are refused:
    acknowledging something else than what is in force proves nothing."""
    if not (actor.is_authenticated and actor.is_active):
        raise ApplicationError("Sign in to acknowledge the policy.", status=403)
    if version.status != PolicyVersion.Status.PUBLISHED:
        raise ApplicationError(
            "Only the current version can be acknowledged.", field="version", status=400
        )
    acknowledgement, _ = Acknowledgement.objects.get_or_create(user=actor, version=version)
    session_reads.forget(actor, selectors.PENDING)
    return acknowledgement


# --- Settings -------------------------------------------------------------------------


def update_settings(
    *,
    actor,
    acknowledgement_gate: str,
    engagement_model: str,
    reminder_days: int,
    designated_departments: list[Department] | None = None,
    ownership_statement: str | None = None,
) -> PolicySettings:
    _require_admin(actor, "Only admins change the policy settings.")
    if acknowledgement_gate not in PolicySettings.Gate.values:
        raise ApplicationError(
            "Choose none, posting or posting_and_replies.", field="acknowledgement_gate"
        )
    if engagement_model not in PolicySettings.Engagement.values:
        raise ApplicationError(
            "Choose command_and_control, empowered_units or decentralized.",
            field="engagement_model",
        )
    if isinstance(reminder_days, bool) or not isinstance(reminder_days, int):
        raise ApplicationError("Remind after 1 to 365 days.", field="reminder_days")
    if not 1 <= reminder_days <= 365:
        raise ApplicationError("Remind after 1 to 365 days.", field="reminder_days")
    departments = list(designated_departments or [])
    if engagement_model == PolicySettings.Engagement.EMPOWERED_UNITS and not departments:
        raise ApplicationError(
            "Empowered units need at least one designated department.",
            field="designated_departments",
        )
    with transaction.atomic():
        row, _ = PolicySettings.objects.select_for_update().get_or_create(pk=1)
        row.acknowledgement_gate = acknowledgement_gate
        row.engagement_model = engagement_model
        row.reminder_days = reminder_days
        if ownership_statement is not None:
            statement = ownership_statement.strip()
            if not statement or len(statement) > 2000:
                raise ApplicationError(
                    "Write the ownership statement (under 2,000 characters).",
                    field="ownership_statement",
                )
            row.ownership_statement = statement
        row.save()
        row.designated_departments.set(departments)
        _audit(
            actor,
            AuditEntry.Action.CHANGE_SETTINGS,
            detail=f"gate={acknowledgement_gate}, model={engagement_model}, "
            f"reminders every {counted(reminder_days, 'day')}, "
            f"departments={','.join(d.slug for d in departments) or '-'}",
        )
    return row
