"""Every write to policies, certifications and brand accounts. `verb_noun(*, actor, ...)`.

Each function checks permission first (ApplicationError 403, nothing changed), validates
(ApplicationError 400 naming the field), writes in one transaction and records the change
in the policies audit log. Notifications are written in the same transaction.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import events, markdown
from core.errors import ApplicationError
from core.markdown import render_markdown
from core.wording import counted
from notifications.models import Notification
from notifications.services import notify
from people.models import Department
from people.roles import is_admin

from . import selectors
from .models import (
    Acknowledgement,
    AuditEntry,
    Authorization,
    BrandAccount,
    Certification,
    Choice,
    PolicyReminder,
    PolicySettings,
    PolicyVersion,
    Question,
    Quiz,
    QuizAttempt,
)

User = get_user_model()

MAX_BODY = 50_000
MAX_QUESTIONS = 50
MAX_CHOICES = 10
NOTIFY_BATCH = 2000


def _require_admin(actor, message: str = "Only admins can do that.") -> None:
    if not is_admin(actor):
        raise ApplicationError(message, status=403)


def _audit(actor, action: str, *, detail: str = "", **targets) -> AuditEntry:
    return AuditEntry.objects.create(actor=actor, action=action, detail=detail[:500], **targets)


# --- Versions -------------------------------------------------------------------------


def _clean_version(title: str, body: str, change_note: str) -> tuple[str, str, str]:
    title = " ".join((title or "").split())
    body = (body or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not title:
        raise ApplicationError("Give the policy a title.", field="title")
    if len(title) > 200:
        raise ApplicationError("Keep the title under 200 characters.", field="title")
    if not body:
        raise ApplicationError("The policy is empty: write its text.", field="body")
    if len(body) > MAX_BODY:
        raise ApplicationError(f"Keep the policy under {MAX_BODY:,} characters.", field="body")
    change_note = " ".join((change_note or "").split())
    if len(change_note) > 500:
        raise ApplicationError("Keep the change note under 500 characters.", field="change_note")
    return title, body, change_note


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
    title, body, change_note = _clean_version(title, body, change_note)
    with transaction.atomic():
        last = PolicyVersion.objects.select_for_update().order_by("-number").first()
        version = PolicyVersion.objects.create(
            number=(last.number + 1) if last else 1,
            title=title,
            body=body,
            body_html=render_markdown(body),
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
    if not version.is_draft:
        raise ApplicationError(
            "A published version cannot change: write a new draft.", field="version"
        )
    title, body, change_note = _clean_version(title, body, change_note)
    with transaction.atomic():
        version.title, version.body, version.change_note = title, body, change_note
        version.body_html = render_markdown(body)
        version.requires_recertification = requires_recertification
        version.save(
            update_fields=["title", "body", "body_html", "change_note", "requires_recertification"]
        )
        _audit(actor, AuditEntry.Action.EDIT_VERSION, version=version)
    return version


def publish_version(*, actor, version: PolicyVersion) -> PolicyVersion:
    """Make a draft the current policy: the previous one is superseded, every active
    employee is notified (in bulk), and a version requiring re-certification ends every
    certification. One transaction."""
    _require_admin(actor, "Only admins publish the policy.")
    now = timezone.now()
    with transaction.atomic():
        locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if not locked.is_draft:
            raise ApplicationError("This version is already published.", field="version")
        newer = PolicyVersion.objects.filter(
            number__gt=locked.number, status=PolicyVersion.Status.PUBLISHED
        ).exists()
        if newer:
            raise ApplicationError("A newer version is already published.", field="version")
        PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).update(
            status=PolicyVersion.Status.SUPERSEDED
        )
        locked.status = PolicyVersion.Status.PUBLISHED
        locked.published_by, locked.published_at = actor, now
        locked.save(update_fields=["status", "published_by", "published_at"])
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


def _bulk_notify(user_ids, *, actor, text: str, url: str, target_key: str) -> int:
    """One Notification row per user, written with bulk_create in batches: publishing to
    10,000 employees is a handful of INSERTs, not 10,000 notify() chains."""
    count, batch = 0, []
    for user_id in user_ids:
        batch.append(
            Notification(
                recipient_id=user_id,
                kind=Notification.Kind.POLICY,
                actor=actor,
                text=markdown.shorten(text, 300),
                url=url,
                target_key=target_key,
            )
        )
        if len(batch) >= NOTIFY_BATCH:
            Notification.objects.bulk_create(batch)
            count, batch = count + len(batch), []
    if batch:
        Notification.objects.bulk_create(batch)
        count += len(batch)
    if count:
        events.publish(audience=events.COMPANY, event_type="notification.badge", payload={})
    return count


def _notify_everyone(actor, version: PolicyVersion) -> int:
    users = (
        User.objects.filter(is_active=True)
        .exclude(pk=actor.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return _bulk_notify(
        users.iterator(chunk_size=NOTIFY_BATCH),
        actor=actor,
        text=f"The social media policy changed (version {version.number}): please read and "
        "acknowledge it.",
        url=reverse("policies:current"),
        target_key=f"policy-version:{version.pk}",
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
    return acknowledgement


# --- Quiz -----------------------------------------------------------------------------


@dataclass
class QuestionInput:
    text: str
    choices: list[tuple[str, bool]] = field(default_factory=list)  # (text, is_correct)


QUIZ_FORMAT_HELP = (
    "One question per block: a line starting with “Q:”, then one line per choice starting "
    "with “-” (wrong) or “*” (right). Leave a blank line between questions."
)


def parse_quiz_text(text: str) -> list[QuestionInput]:
    """The quiz editor's plain-text format into questions; errors name the line."""
    questions: list[QuestionInput] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if re.match(r"^[Qq]\s*:", line):
            questions.append(QuestionInput(line.split(":", 1)[1].strip()))
        elif line[0] in "-*":
            if not questions:
                raise ApplicationError(
                    f"Line {number}: start with a question (“Q: …”).", field="questions"
                )
            questions[-1].choices.append((line[1:].strip(), line[0] == "*"))
        else:
            raise ApplicationError(
                f"Line {number}: start it with “Q:”, “-” or “*”.", field="questions"
            )
    return questions


def quiz_as_text(quiz: Quiz | None) -> str:
    """The editor's text of an existing quiz (admins only: it holds the answer key)."""
    if quiz is None:
        return ""
    blocks = []
    for question in quiz.questions.all():
        lines = [f"Q: {question.text}"]
        lines += [f"{'*' if c.is_correct else '-'} {c.text}" for c in question.choices.all()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _validate_questions(questions: list[QuestionInput]) -> None:
    if not questions:
        raise ApplicationError("Add at least one question.", field="questions")
    if len(questions) > MAX_QUESTIONS:
        raise ApplicationError(f"Keep it to {MAX_QUESTIONS} questions.", field="questions")
    for n, q in enumerate(questions, start=1):
        if not q.text or len(q.text) > 500:
            raise ApplicationError(
                f"Question {n}: write the question (under 500 characters).", field="questions"
            )
        if len(q.choices) < 2 or len(q.choices) > MAX_CHOICES:
            raise ApplicationError(
                f"Question {n}: give between 2 and {MAX_CHOICES} choices.", field="questions"
            )
        if any(not text or len(text) > 300 for text, _ in q.choices):
            raise ApplicationError(
                f"Question {n}: every choice needs a text under 300 characters.",
                field="questions",
            )
        if len({text for text, _ in q.choices}) != len(q.choices):
            raise ApplicationError(f"Question {n}: two choices are the same.", field="questions")
        right = sum(1 for _, correct in q.choices if correct)
        if right == 0:
            raise ApplicationError(
                f"Question {n} has no correct answer: mark one with “*”.", field="questions"
            )
        if right > 1:
            raise ApplicationError(
                f"Question {n} has {right} correct answers: mark exactly one.", field="questions"
            )


def set_quiz(
    *, actor, version: PolicyVersion, pass_mark: int, questions: list[QuestionInput]
) -> Quiz:
    """Attach a quiz to a version, or replace its questions. Past attempts keep their score."""
    _require_admin(actor, "Only admins write the certification quiz.")
    if version.status == PolicyVersion.Status.SUPERSEDED:
        raise ApplicationError(
            "Attach the quiz to the current version or a draft.", field="version"
        )
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 1 <= pass_mark <= 100:
        raise ApplicationError("The pass mark is a percentage from 1 to 100.", field="pass_mark")
    _validate_questions(questions)
    with transaction.atomic():
        quiz, _ = Quiz.objects.select_for_update().get_or_create(
            version=version, defaults={"pass_mark": pass_mark, "created_by": actor}
        )
        quiz.pass_mark = pass_mark
        quiz.save(update_fields=["pass_mark", "updated_at"])
        quiz.questions.all().delete()
        for position, q in enumerate(questions):
            question = Question.objects.create(quiz=quiz, position=position, text=q.text)
            Choice.objects.bulk_create(
                Choice(question=question, position=i, text=text, is_correct=correct)
                for i, (text, correct) in enumerate(q.choices)
            )
        _audit(
            actor,
            AuditEntry.Action.SET_QUIZ,
            version=version,
            detail=f"{len(questions)} questions, pass mark {pass_mark}%",
        )
    return quiz


def submit_quiz(*, actor, quiz: Quiz, answers: dict) -> QuizAttempt:
    """Score `answers` ({question id: choice id}) on the server against the quiz's own key.

    Every question must be answered with one of its own choices: a choice id of another
    question or quiz is refused (400), so hand-made answers cannot pass. Passing certifies
    `actor` as a brand representative, in the same transaction as the attempt.
    """
    if not (actor.is_authenticated and actor.is_active):
        raise ApplicationError("Sign in to take the quiz.", status=403)
    if quiz.pk != selectors.current_quiz_id():
        raise ApplicationError("This quiz is not open.", field="quiz", status=400)
    if not selectors.has_acknowledged_current(actor):
        raise ApplicationError(
            "Read and acknowledge the current policy before taking the quiz.", status=403
        )
    if not isinstance(answers, dict):
        raise ApplicationError("Answer every question.", field="answers")
    key: dict[int, tuple[set[int], int]] = {}
    for question_id, choice_id, correct in Choice.objects.filter(question__quiz=quiz).values_list(
        "question_id", "id", "is_correct"
    ):
        choices, right = key.setdefault(question_id, (set(), 0))
        choices.add(choice_id)
        key[question_id] = (choices, choice_id if correct else right)
    given: dict[int, int] = {}
    for raw_question, raw_choice in answers.items():
        try:
            question_id, choice_id = int(raw_question), int(raw_choice)
        except (TypeError, ValueError):
            raise ApplicationError(
                "Answers are question and choice ids.", field="answers"
            ) from None
        if question_id not in key:
            raise ApplicationError("That question is not in this quiz.", field="answers")
        if choice_id not in key[question_id][0]:
            raise ApplicationError("Choose one of the question's own answers.", field="answers")
        given[question_id] = choice_id
    missing = len(key) - len(given)
    if missing:
        raise ApplicationError(
            f"Answer every question ({missing} left unanswered).", field="answers"
        )
    right = sum(1 for q, (_, correct) in key.items() if given[q] == correct)
    score = round(100 * right / len(key)) if key else 0
    passed = score >= quiz.pass_mark
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(
            quiz=quiz,
            user=actor,
            score=score,
            passed=passed,
            answers={str(q): c for q, c in given.items()},
        )
        if (
            passed
            and not Certification.objects.filter(user=actor, revoked_at__isnull=True).exists()
        ):
            Certification.objects.create(user=actor, version=quiz.version, attempt=attempt)
            _audit(
                actor,
                AuditEntry.Action.CERTIFY,
                target_user=actor,
                version=quiz.version,
                detail=f"Scored {score}% (pass mark {quiz.pass_mark}%)",
            )
    return attempt


def revoke_certification(*, actor, user, reason: str = "") -> Certification:
    _require_admin(actor, "Only admins revoke certifications.")
    reason = " ".join((reason or "").split())[:300]
    with transaction.atomic():
        cert = (
            Certification.objects.select_for_update()
            .filter(user=user, revoked_at__isnull=True)
            .first()
        )
        if cert is None:
            raise ApplicationError("That person is not certified.", field="username", status=404)
        cert.revoked_at, cert.revoked_by, cert.revoke_reason = timezone.now(), actor, reason
        cert.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        _audit(actor, AuditEntry.Action.REVOKE_CERTIFICATION, target_user=user, detail=reason)
    return cert


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


# --- Reminders ------------------------------------------------------------------------


def send_acknowledgement_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind everyone who has not acknowledged the current version, once per reminder
    period (PolicySettings.reminder_days) counted from publication.

    Idempotent: a PolicyReminder row per (version, person, round) is written with the
    notification, under a lock on the version, so running twice (a redelivered task, two
    beats) reminds nobody twice in the same period. Returns how many were reminded.
    """
    now = now or timezone.now()
    version = selectors.current_version()
    if version is None:
        return 0
    period = dt.timedelta(days=selectors.policy_settings().reminder_days)
    elapsed = now - version.published_at
    if elapsed < period:
        return 0
    round_number = int(elapsed / period)
    with transaction.atomic():
        PolicyVersion.objects.select_for_update().filter(pk=version.pk).first()
        due = list(
            User.objects.filter(is_active=True)
            .exclude(policy_acknowledgements__version=version)
            .exclude(
                pk__in=PolicyReminder.objects.filter(version=version, round=round_number).values(
                    "user_id"
                )
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        PolicyReminder.objects.bulk_create(
            [PolicyReminder(user_id=u, version=version, round=round_number) for u in due],
            batch_size=NOTIFY_BATCH,
        )
        _bulk_notify(
            due,
            actor=None,
            text=f"Reminder: please read and acknowledge the social media policy "
            f"(version {version.number}).",
            url=reverse("policies:current"),
            target_key=f"policy-reminder:{version.pk}:{round_number}",
        )
    return len(due)


# --- Brand accounts -------------------------------------------------------------------


def _clean_account(platform, handle, url, department, description):
    if platform not in BrandAccount.Platform.values:
        raise ApplicationError("Choose a platform from the list.", field="platform")
    handle = (handle or "").strip()
    if not handle or len(handle) > 100 or any(c.isspace() for c in handle):
        raise ApplicationError("Give the handle, without spaces (under 100).", field="handle")
    url = (url or "").strip()
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url) or len(url) > 300:
        raise ApplicationError("Give the account's web address (https://…).", field="url")
    if department is None:
        raise ApplicationError("Choose the department that owns the account.", field="department")
    description = " ".join((description or "").split())
    if len(description) > 300:
        raise ApplicationError("Keep the description under 300 characters.", field="description")
    return platform, handle, url, department, description


def create_brand_account(
    *, actor, platform: str, handle: str, url: str, department, description: str = ""
) -> BrandAccount:
    _require_admin(actor, "Only admins manage brand accounts.")
    platform, handle, url, department, description = _clean_account(
        platform, handle, url, department, description
    )
    if BrandAccount.objects.filter(platform=platform, handle__iexact=handle).exists():
        raise ApplicationError("This account is registered already.", field="handle")
    with transaction.atomic():
        account = BrandAccount.objects.create(
            platform=platform,
            handle=handle,
            url=url,
            department=department,
            description=description,
        )
        _audit(actor, AuditEntry.Action.CREATE_ACCOUNT, account=account, detail=str(account))
    return account


def edit_brand_account(
    *, actor, account: BrandAccount, platform, handle, url, department, description=""
) -> BrandAccount:
    _require_admin(actor, "Only admins manage brand accounts.")
    platform, handle, url, department, description = _clean_account(
        platform, handle, url, department, description
    )
    duplicate = BrandAccount.objects.filter(platform=platform, handle__iexact=handle).exclude(
        pk=account.pk
    )
    if duplicate.exists():
        raise ApplicationError("Another entry has this handle.", field="handle")
    with transaction.atomic():
        account.platform, account.handle, account.url = platform, handle, url
        account.department, account.description = department, description
        account.save(update_fields=["platform", "handle", "url", "department", "description"])
        _audit(actor, AuditEntry.Action.EDIT_ACCOUNT, account=account, detail=str(account))
    return account


def authorize_person(*, actor, account: BrandAccount, user) -> Authorization:
    _require_admin(actor, "Only admins authorize people on brand accounts.")
    if not user.is_active:
        raise ApplicationError("That person has left the company.", field="username")
    with transaction.atomic():
        existing = Authorization.objects.filter(
            account=account, user=user, revoked_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        authorization = Authorization.objects.create(account=account, user=user, granted_by=actor)
        _audit(actor, AuditEntry.Action.AUTHORIZE, account=account, target_user=user)
    return authorization


def _revoke_authorizations(actor, authorizations, now, *, detail: str = "") -> None:
    for authorization in authorizations:
        authorization.revoked_at, authorization.revoked_by = now, actor
        authorization.save(update_fields=["revoked_at", "revoked_by"])
        _audit(
            actor,
            AuditEntry.Action.REVOKE_AUTHORIZATION,
            account_id=authorization.account_id,
            target_user_id=authorization.user_id,
            detail=detail,
        )


def revoke_authorization(*, actor, account: BrandAccount, user) -> None:
    _require_admin(actor, "Only admins revoke authorizations.")
    with transaction.atomic():
        active = list(
            Authorization.objects.select_for_update().filter(
                account=account, user=user, revoked_at__isnull=True
            )
        )
        if not active:
            raise ApplicationError(
                "That person is not authorized on this account.", field="username", status=404
            )
        _revoke_authorizations(actor, active, timezone.now())


def complete_handover(*, actor, account: BrandAccount) -> BrandAccount:
    """The named colleague takes the account over: authorized, and the flag cleared."""
    _require_admin(actor, "Only admins complete handovers.")
    with transaction.atomic():
        locked = BrandAccount.objects.select_for_update().get(pk=account.pk)
        if locked.handover_requested_at is None:
            raise ApplicationError("This account has no handover pending.", field="account")
        successor = locked.handover_to
        if successor is None or not successor.is_active:
            raise ApplicationError(
                "Authorize an active colleague on the account first, then clear the flag.",
                field="handover_to",
            )
        Authorization.objects.get_or_create(
            account=locked, user=successor, revoked_at__isnull=True, defaults={"granted_by": actor}
        )
        locked.handover_requested_at = None
        locked.save(update_fields=["handover_requested_at"])
        _audit(
            actor,
            AuditEntry.Action.COMPLETE_HANDOVER,
            account=locked,
            target_user=successor,
        )
    return locked


def _flag_for_handover(actor, account_ids, *, leaver, successor, now) -> None:
    for account in BrandAccount.objects.select_for_update().filter(pk__in=account_ids):
        account.handover_from = leaver
        account.handover_to = successor
        account.handover_requested_at = now
        account.save(update_fields=["handover_from", "handover_to", "handover_requested_at"])
        to = f" to {successor.username}" if successor else " (nobody named yet)"
        _audit(
            actor,
            AuditEntry.Action.FLAG_HANDOVER,
            account=account,
            target_user=leaver,
            detail=f"From {leaver.username}{to}",
        )
        if successor is not None:
            notify(
                recipient=successor,
                kind=Notification.Kind.POLICY,
                actor=actor,
                text=f"You take over the brand account {account} from {leaver.username}.",
                url=account.get_absolute_url(),
                target_key=f"handover:{account.pk}",
            )


def _revoke_everything(actor, user, *, successor, now, detail: str) -> int:
    """Revoke `user`'s authorizations and certification, flag their accounts. Expects an
    open transaction."""
    authorizations = list(
        Authorization.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    )
    _revoke_authorizations(actor, authorizations, now, detail=detail)
    _flag_for_handover(
        actor,
        {a.account_id for a in authorizations},
        leaver=user,
        successor=successor,
        now=now,
    )
    certification = (
        Certification.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    )
    if certification is not None:
        certification.revoked_at, certification.revoked_by = now, actor
        certification.revoke_reason = detail[:300]
        certification.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        _audit(actor, AuditEntry.Action.REVOKE_CERTIFICATION, target_user=user, detail=detail)
    return len(authorizations)


def offboard_employee(*, actor, user, handover_to) -> int:
    """Deactivate `user`: every brand-account authorization and their certification are
    revoked, the accounts they ran are flagged for handover to `handover_to`, and each
    change is audited. All in one transaction: a failure midway changes nothing.
    Returns how many authorizations were revoked."""
    _require_admin(actor, "Only admins offboard employees.")
    if user.pk == actor.pk:
        raise ApplicationError("You cannot offboard yourself.", field="username")
    if not user.is_active:
        raise ApplicationError("This person has already left.", field="username")
    if handover_to is None or not handover_to.is_active:
        raise ApplicationError("Name an active colleague to take over.", field="handover_to")
    if handover_to.pk == user.pk:
        raise ApplicationError(
            "Hand over to someone who is staying, not to the person leaving.",
            field="handover_to",
        )
    now = timezone.now()
    with transaction.atomic():
        revoked = _revoke_everything(
            actor, user, successor=handover_to, now=now, detail="Offboarded"
        )
        user.is_active = False
        user.save(update_fields=["is_active"])
        _audit(
            actor,
            AuditEntry.Action.OFFBOARD,
            target_user=user,
            detail=f"{counted(revoked, 'authorization')} revoked; "
            f"handover to {handover_to.username}",
        )
    return revoked


def revoke_access_of_departed(*, user) -> int:
    """For a user deactivated elsewhere (the Django admin, single sign-on): the same
    revocations as offboarding, handing over to their manager when they have an active
    one. No-op when nothing is left to revoke."""
    if user.is_active:
        return 0
    has_any = (
        Authorization.objects.filter(user=user, revoked_at__isnull=True).exists()
        or Certification.objects.filter(user=user, revoked_at__isnull=True).exists()
    )
    if not has_any:
        return 0
    successor = (
        User.objects.filter(profile__reports__user=user, is_active=True).exclude(pk=user.pk).first()
    )
    with transaction.atomic():
        revoked = _revoke_everything(
            None,
            user,
            successor=successor,
            now=timezone.now(),
            detail="Account deactivated",
        )
        _audit(
            None,
            AuditEntry.Action.OFFBOARD,
            target_user=user,
            detail="Deactivated outside the offboarding page; "
            f"{counted(revoked, 'authorization')} revoked",
        )
    return revoked
