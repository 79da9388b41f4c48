"""Policy versions and the settings they are enforced under: which versions a viewer may
read, the current one, acknowledgements, the banner and the acknowledgement gate on posting,
diffs, and the progress of telling everyone about a publication."""

from django.db.models import Exists, Expression, OuterRef, QuerySet
from django.http import Http404

from core import bulk, compiled, session_reads
from core.models import BulkJob
from core.versioning import DiffLine, diff_lines
from people.roles import is_admin

from ..models import Acknowledgement, PolicySettings, PolicyVersion
from .common import _active

# --- Settings -------------------------------------------------------------------------


def policy_settings() -> PolicySettings:
    """The organisation's settings (one query); defaults when admins never saved them."""
    return PolicySettings.objects.filter(pk=1).first() or PolicySettings(pk=1)


# --- Versions -------------------------------------------------------------------------


def visible_versions(user) -> QuerySet[PolicyVersion]:
    """Published and superseded versions for everyone; drafts too for admins."""
    if not _active(user):
        return PolicyVersion.objects.none()
    versions = PolicyVersion.objects.all()
    if not is_admin(user):
        versions = versions.exclude(status=PolicyVersion.Status.DRAFT)
    return versions


def get_visible_version(user, number) -> PolicyVersion:
    """A version `user` may read; 404 alike for missing and for a draft they may not see."""
    try:
        return visible_versions(user).get(number=number)
    except (PolicyVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such policy version.") from exc


def current_version() -> PolicyVersion | None:
    """The published version, or None before the first publication."""
    return PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).first()


def acknowledgement_of(user, version: PolicyVersion | None) -> Acknowledgement | None:
    if version is None or not _active(user):
        return None
    return Acknowledgement.objects.filter(user_id=user.pk, version=version).first()


def banner_version(user) -> PolicyVersion | None:
    """The current version if `user` has not acknowledged it yet, else None. One query: the
    banner shown on every page costs exactly this."""
    if not _active(user):
        return None
    return (
        PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
        .exclude(Exists(Acknowledgement.objects.filter(version=OuterRef("pk"), user_id=user.pk)))
        .only("number", "title")
        .first()
    )


def has_acknowledged_current(user) -> bool:
    """True when there is no published policy, or `user` acknowledged the current one."""
    return _active(user) and banner_version(user) is None


def may_post(user) -> bool:
    """Whether the acknowledgement gate lets `user` post and comment: always, unless the
    organisation blocks posting until the current version is acknowledged and `user` has
    not. No published policy means no gate."""
    if not _active(user):
        return False
    gate = policy_settings().acknowledgement_gate
    if gate == PolicySettings.Gate.NONE:
        return True
    return has_acknowledged_current(user)


# The banner's version, read with a page's session (core.session_reads; apps.py registers it).
PENDING = "policies.pending"


def pending_policy(request) -> PolicyVersion | None:
    """`banner_version` for the person making `request`, read once per request and shared by
    the banner and the compose box: annotated `gates_posting` (the organisation's gate holds
    their posts and comments until they acknowledge). Read with the page's session when it
    was (no query), else one query."""
    user = getattr(request, "user", None)
    if not _active(user):
        return None
    if not hasattr(request, "_pending_policy"):
        read = session_reads.read(user, PENDING)
        if read is session_reads.MISSING:
            request._pending_policy = _pending_for(user.pk)
        else:
            request._pending_policy = _pending_version(read)
    return request._pending_policy


def _unacknowledged(user_id) -> QuerySet[PolicyVersion]:
    """The published versions `user_id` has not acknowledged, newest first, annotated
    `gates_posting`."""
    gate_on = PolicySettings.objects.filter(pk=1).exclude(
        acknowledgement_gate=PolicySettings.Gate.NONE
    )
    return (
        PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
        .exclude(Exists(Acknowledgement.objects.filter(version=OuterRef("pk"), user_id=user_id)))
        .annotate(gates_posting=Exists(gate_on))
    )


def pending_of(user_ref) -> Expression:
    """`_pending_for` of the account `user_ref` as an expression: a JSON object of the
    version's id, number, title and gates_posting, or null. What a signed-in page reads with
    its session (core.session_reads)."""
    # The acknowledgements' subquery sits inside the versions': the account is two levels out.
    return session_reads.first_row(
        _unacknowledged(OuterRef(user_ref)), "id", "number", "title", "gates_posting"
    )


def _pending_version(read: dict | None) -> PolicyVersion | None:
    if read is None:
        return None
    return compiled.instance(PolicyVersion, {**read, "gates_posting": bool(read["gates_posting"])})


def _pending_for(user_id: int) -> PolicyVersion | None:
    """The newest published version `user_id` has not acknowledged (only its number and
    title loaded), annotated `gates_posting`. Built once per process and prepared on
    PostgreSQL (core.compiled): the ORM spent longer building it than the database spends
    running it."""

    def build(user_id):
        return _unacknowledged(user_id).values("id", "number", "title", "gates_posting")[:1]

    rows = compiled.run(("policies.pending_policy",), build, {"user_id": user_id})
    return compiled.instance(PolicyVersion, rows[0]) if rows else None


def posting_gate(request) -> PolicyVersion | None:
    """The version the person must acknowledge before they may post and comment (what the
    compose box explains before anyone types), or None when the gate lets them write: the
    same rule as `may_post`, from `pending_policy` (no query of its own on a page that
    shows the banner)."""
    version = pending_policy(request)
    return version if version is not None and version.gates_posting else None


# --- Diff -----------------------------------------------------------------------------


def diff_versions(old: PolicyVersion, new: PolicyVersion, *, context: int = 2) -> list[DiffLine]:
    """The Markdown sources line by line (core.versioning.diff_lines). Plain text."""
    return diff_lines(old.body, new.body, context=context)


# --- Publication ----------------------------------------------------------------------


def publication_subject(version: PolicyVersion) -> str:
    """What the bulk job telling everyone about `version` is about (core.bulk)."""
    return f"policy-version:{version.pk}"


def publication_of(viewer, version: PolicyVersion) -> BulkJob | None:
    """The progress of telling everyone about a published version, for admins (one query),
    or None."""
    if version.status == PolicyVersion.Status.DRAFT or not is_admin(viewer):
        return None
    return bulk.latest_job(publication_subject(version))
