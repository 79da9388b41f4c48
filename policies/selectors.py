"""Who may read what of the policy, and who may do what. Every surface asks here.

| object                                          | who may read it              |
|-------------------------------------------------|------------------------------|
| published and superseded versions, their diffs  | every active employee        |
| drafts                                          | admins                       |
| a quiz's questions and choices                  | every active employee        |
| a quiz's answer key                             | admins (the quiz editor)     |
| the brand account registry, certified people    | every active employee        |
| acknowledgement report, audit log, settings     | admins                       |
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from core.versioning import DiffLine, diff_lines
from people.models import Department, Profile
from people.roles import SOCIAL_TEAM, has_role, is_admin

from .models import (
    Acknowledgement,
    AuditEntry,
    Authorization,
    BrandAccount,
    Certification,
    Choice,
    PolicySettings,
    PolicyVersion,
    Question,
    Quiz,
    SocialMediaMentor,
)

User = get_user_model()


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


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


def pending_policy(request) -> PolicyVersion | None:
    """`banner_version` for the person making `request`, read once per request and shared by
    the banner and the compose box: annotated `gates_posting` (the organisation's gate holds
    their posts and comments until they acknowledge). One query."""
    user = getattr(request, "user", None)
    if not _active(user):
        return None
    if not hasattr(request, "_pending_policy"):
        gate_on = PolicySettings.objects.filter(pk=1).exclude(
            acknowledgement_gate=PolicySettings.Gate.NONE
        )
        request._pending_policy = (
            PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
            .exclude(
                Exists(Acknowledgement.objects.filter(version=OuterRef("pk"), user_id=user.pk))
            )
            .annotate(gates_posting=Exists(gate_on))
            .only("number", "title")
            .first()
        )
    return request._pending_policy


def posting_gate(request) -> PolicyVersion | None:
    """The version the person must acknowledge before they may post and comment (what the
    compose box explains before anyone types), or None when the gate lets them write: the
    same rule as `may_post`, from `pending_policy` (no query of its own on a page that
    shows the banner)."""
    version = pending_policy(request)
    return version if version is not None and version.gates_posting else None


def active_certification(user) -> Certification | None:
    if not _active(user):
        return None
    return Certification.objects.filter(user_id=user.pk, revoked_at__isnull=True).first()


def is_certified(user) -> bool:
    return active_certification(user) is not None


def may_reply_publicly(user) -> bool:
    """Whether `user` may publish a public reply to a customer for the brand.

    The routing app's public-reply step asks here; the rule follows the organisation's
    engagement model (PolicySettings.engagement_model):

    - command and control: only the social team (role "social team");
    - empowered units: the social team, or certified brand representatives whose profile
      department is one of the designated departments;
    - decentralized: the social team, or any certified brand representative.

    "Certified" means an active Certification (passed the quiz; not revoked by an admin,
    by a version requiring re-certification, or by offboarding). When the acknowledgement
    gate is "block posting and customer replies", everyone, the social team included, must
    also have acknowledged the current policy version. Inactive users never may.
    Costs two to four queries.
    """
    if not _active(user):
        return False
    settings_row = policy_settings()
    gate = settings_row.acknowledgement_gate
    if gate == PolicySettings.Gate.POSTING_AND_REPLIES and not has_acknowledged_current(user):
        return False
    if has_role(user, SOCIAL_TEAM):
        return True
    model = settings_row.engagement_model
    if model == PolicySettings.Engagement.COMMAND_AND_CONTROL:
        return False
    if not is_certified(user):
        return False
    if model == PolicySettings.Engagement.DECENTRALIZED:
        return True
    if settings_row._state.adding:  # never saved: no designated departments
        return False
    department_id = (
        Profile.objects.filter(user_id=user.pk).values_list("department_id", flat=True).first()
    )
    return (
        department_id is not None
        and settings_row.designated_departments.filter(pk=department_id).exists()
    )


# --- Social media mentors -------------------------------------------------------------


def mentors_of(department) -> QuerySet:
    """The active people named social media mentors of `department` (a Department or its
    id), by name: who gets the department's alerts and insights. One query."""
    department_id = getattr(department, "pk", department)
    return (
        User.objects.filter(is_active=True, mentorships__department_id=department_id)
        .select_related("profile")
        .order_by("profile__display_name", "id")
        .distinct()
    )


def speaks_for_the_brand(user) -> bool:
    """Whether `user` is a social media mentor of a department or a certified brand
    representative: the people outside the social team who must know when the company
    stops speaking (the crisis banner). One query."""
    if not _active(user):
        return False
    mentor = SocialMediaMentor.objects.filter(user_id=OuterRef("pk"))
    certified = Certification.objects.filter(user_id=OuterRef("pk"), revoked_at__isnull=True)
    return User.objects.filter(Exists(mentor) | Exists(certified), pk=user.pk).exists()


def mentorships(viewer) -> QuerySet[SocialMediaMentor]:
    """Every department's mentors (every active employee reads them), active people only."""
    if not _active(viewer):
        return SocialMediaMentor.objects.none()
    return (
        SocialMediaMentor.objects.filter(user__is_active=True)
        .select_related("department", "user__profile")
        .order_by("department__name", "user__profile__display_name", "id")
    )


# --- Diff -----------------------------------------------------------------------------


def diff_versions(old: PolicyVersion, new: PolicyVersion, *, context: int = 2) -> list[DiffLine]:
    """The Markdown sources line by line (core.versioning.diff_lines). Plain text."""
    return diff_lines(old.body, new.body, context=context)


# --- Quiz -----------------------------------------------------------------------------


def _with_questions(quizzes: QuerySet[Quiz]) -> QuerySet[Quiz]:
    choices = Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
    return quizzes.prefetch_related(
        Prefetch("questions", queryset=Question.objects.prefetch_related(choices))
    )


def quiz_of(version: PolicyVersion) -> Quiz | None:
    """The quiz with its questions and choices (3 queries)."""
    return _with_questions(Quiz.objects.filter(version=version)).first()


def current_quiz_id() -> int | None:
    """The quiz employees take: the one of the newest published version that has one."""
    return (
        Quiz.objects.exclude(version__status=PolicyVersion.Status.DRAFT)
        .order_by("-version__number")
        .values_list("pk", flat=True)
        .first()
    )


def current_quiz() -> Quiz | None:
    """The current quiz with its version, questions and choices (4 queries)."""
    quiz_id = current_quiz_id()
    if quiz_id is None:
        return None
    return _with_questions(Quiz.objects.filter(pk=quiz_id).select_related("version")).first()


def last_attempt(user, quiz: Quiz | None):
    if quiz is None or not _active(user):
        return None
    return quiz.attempts.filter(user_id=user.pk).first()


# --- Report ---------------------------------------------------------------------------


def _require_admin(user) -> None:
    from django.core.exceptions import PermissionDenied

    if not is_admin(user):
        raise PermissionDenied("Only admins can see this.")


@dataclass
class DepartmentRow:
    name: str
    slug: str
    employees: int
    acknowledged: int

    @property
    def pending(self) -> int:
        return self.employees - self.acknowledged

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.employees) if self.employees else 0


def acknowledgement_report(viewer, version: PolicyVersion) -> list[DepartmentRow]:
    """Per department: active employees, how many acknowledged `version` (2 queries)."""
    _require_admin(viewer)
    acked = Q(members__user__policy_acknowledgements__version=version)
    active = Q(members__user__is_active=True)
    rows = [
        DepartmentRow(d.name, d.slug, d.employees, d.acked)
        for d in Department.objects.annotate(
            employees=Count("members", filter=active, distinct=True),
            acked=Count("members", filter=active & acked, distinct=True),
        ).order_by("name")
    ]
    loose = Profile.objects.filter(department__isnull=True, user__is_active=True).aggregate(
        employees=Count("pk"),
        acked=Count("pk", filter=Q(user__policy_acknowledgements__version=version)),
    )
    if loose["employees"]:
        rows.append(DepartmentRow("No department", "", loose["employees"], loose["acked"]))
    return rows


def acknowledgement_rows(viewer, version: PolicyVersion, *, department: str = ""):
    """Every active employee with their acknowledgement of `version`, for the CSV export;
    an iterator, so 10,000 people stream in constant memory."""
    _require_admin(viewer)
    ack = Acknowledgement.objects.filter(version=version, user_id=OuterRef("user_id"))
    profiles = Profile.objects.filter(user__is_active=True)
    if department == "none":
        profiles = profiles.filter(department__isnull=True)
    elif department:
        profiles = profiles.filter(department__slug=department)
    return (
        profiles.annotate(acknowledged_at=ack.values("acknowledged_at")[:1])
        .order_by("department__name", "display_name", "id")
        .values_list("department__name", "display_name", "user__username", "acknowledged_at")
        .iterator(chunk_size=2000)
    )


# --- Certified people and brand accounts ----------------------------------------------


def representatives(viewer) -> QuerySet[Certification]:
    if not _active(viewer):
        return Certification.objects.none()
    return (
        Certification.objects.filter(revoked_at__isnull=True, user__is_active=True)
        .select_related("user__profile__department", "version")
        .order_by("user__profile__display_name", "id")
    )


def _active_authorizations() -> Prefetch:
    return Prefetch(
        "authorizations",
        queryset=Authorization.objects.filter(revoked_at__isnull=True)
        .select_related("user__profile")
        .order_by("user__profile__display_name", "id"),
        to_attr="active_authorizations",
    )


def brand_accounts(viewer) -> QuerySet[BrandAccount]:
    """The registry (every active employee reads it), with who may post on each (2 queries)."""
    if not _active(viewer):
        return BrandAccount.objects.none()
    return BrandAccount.objects.select_related(
        "department", "handover_to__profile", "handover_from__profile"
    ).prefetch_related(_active_authorizations())


def get_brand_account(viewer, account_id) -> BrandAccount:
    try:
        return brand_accounts(viewer).get(pk=account_id)
    except (BrandAccount.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such brand account.") from exc


def authorization_history(viewer, account: BrandAccount) -> QuerySet[Authorization]:
    _require_admin(viewer)
    return account.authorizations.select_related("user__profile", "granted_by__profile").order_by(
        "-granted_at", "-id"
    )


def audit_log(viewer) -> QuerySet[AuditEntry]:
    _require_admin(viewer)
    return AuditEntry.objects.select_related(
        "actor__profile", "target_user__profile", "account", "version"
    )


@dataclass(frozen=True)
class OffboardingPreview:
    """What offboarding `leaver` would do, shown to the admin before they confirm."""

    leaver: object
    successor: object
    accounts: list  # brand accounts they may post on: revoked, flagged for handover
    certification: Certification | None  # revoked
    pending_handovers: list  # accounts already being handed over to them

    @property
    def nothing_to_revoke(self) -> bool:
        return not self.accounts and self.certification is None


def offboarding_preview(viewer, *, leaver, successor) -> OffboardingPreview:
    """What services.offboard_employee(user=leaver, handover_to=successor) would change:
    admins only (403). Three queries."""
    _require_admin(viewer)
    accounts = list(
        BrandAccount.objects.filter(
            authorizations__user=leaver, authorizations__revoked_at__isnull=True
        )
        .select_related("department")
        .order_by("platform", "handle")
        .distinct()
    )
    return OffboardingPreview(
        leaver=leaver,
        successor=successor,
        accounts=accounts,
        certification=active_certification(leaver),
        pending_handovers=list(
            BrandAccount.objects.filter(handover_to=leaver).order_by("platform", "handle")
        ),
    )
