"""Certification and who may speak for the brand: a person's active certification, the
public-reply rule of the engagement model, the quiz (never its answer key here) and the
certified representatives."""

from django.db.models import Prefetch, QuerySet

from people.models import Profile
from people.roles import SOCIAL_TEAM, has_role

from ..models import Certification, Choice, PolicySettings, PolicyVersion, Question, Quiz
from .common import _active
from .versions import has_acknowledged_current, policy_settings


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


# --- Certified people -----------------------------------------------------------------


def representatives(viewer) -> QuerySet[Certification]:
    if not _active(viewer):
        return Certification.objects.none()
    return (
        Certification.objects.filter(revoked_at__isnull=True, user__is_active=True)
        .select_related("user__profile__department", "version")
        .order_by("user__profile__display_name", "id")
    )
