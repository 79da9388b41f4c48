from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.versioning import VersionedDocument

DEFAULT_OWNERSHIP_STATEMENT = (
    "Brand accounts, their handles, their content and their followers belong to the company, "
    "not to the people who run them. When you change roles or leave, the accounts you ran "
    "are handed over to a colleague."
)


class PolicySettings(models.Model):
    """The organisation's choices, one row (pk=1), edited by admins in the app."""

    class Gate(models.TextChoices):
        NONE = "none", "No gate: everyone may post before acknowledging"
        POSTING = "posting", "Block posting and commenting until acknowledged"
        POSTING_AND_REPLIES = (
            "posting_and_replies",
            "Block posting, commenting and customer replies until acknowledged",
        )

    class Engagement(models.TextChoices):
        COMMAND_AND_CONTROL = "command_and_control", "Command and control: only the social team"
        EMPOWERED_UNITS = (
            "empowered_units",
            "Empowered units: certified representatives of designated departments",
        )
        DECENTRALIZED = "decentralized", "Decentralized: any certified employee"

    acknowledgement_gate = models.CharField(max_length=24, choices=Gate.choices, default=Gate.NONE)
    engagement_model = models.CharField(
        max_length=24, choices=Engagement.choices, default=Engagement.COMMAND_AND_CONTROL
    )
    designated_departments = models.ManyToManyField(
        "people.Department", blank=True, related_name="+"
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    ownership_statement = models.TextField(max_length=2000, default=DEFAULT_OWNERSHIP_STATEMENT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "policy settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="policy_settings_singleton"),
            models.CheckConstraint(
                condition=Q(reminder_days__gte=1, reminder_days__lte=365),
                name="policy_reminder_days_range",
            ),
        ]

    def __str__(self) -> str:
        return "Policy settings"


class PolicyVersion(VersionedDocument):
    """One version of the social media policy. Drafts are edited by admins; publishing makes
    a version current and supersedes the one before (exactly one is published at a time).
    The versioning itself is core.versioning's, shared with the crisis playbook."""

    requires_recertification = models.BooleanField(default=False)

    class Meta(VersionedDocument.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="published"), name="one_current_policy"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_policy_has_date",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("policies:version", args=[self.number])


class Acknowledgement(models.Model):
    """Who acknowledged which version, when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acknowledgements"
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_ack_per_version"),
        ]
        indexes = [models.Index(fields=["user", "version"], name="ack_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} acknowledged v{self.version_id}"


class PolicyReminder(models.Model):
    """A reminder sent for a version, one per person per reminder round: the idempotency
    key of the reminder task (a redelivered task finds the row and sends nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="reminders")
    round = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user", "round"], name="one_reminder_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.round} of v{self.version_id} to {self.user_id}"


class Quiz(models.Model):
    """The certification quiz attached to a policy version."""

    version = models.OneToOneField(PolicyVersion, on_delete=models.CASCADE, related_name="quiz")
    pass_mark = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percent of questions answered right to pass (1-100).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="quiz_pass_mark_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Quiz of v{self.version_id}"


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    # The answer key: read only by the scoring service and the admins' quiz editor.
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class QuizAttempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    score = models.PositiveSmallIntegerField(help_text="Percent of questions answered right.")
    passed = models.BooleanField()
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="attempts_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} scored {self.score}%"


class Certification(models.Model):
    """A certified brand representative: from passing a quiz until revoked (by an admin, a
    version requiring re-certification, or offboarding)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certifications"
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    attempt = models.ForeignKey(
        QuizAttempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    certified_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-certified_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_active_cert"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} certified on v{self.version_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class BrandAccount(models.Model):
    class Platform(models.TextChoices):
        X = "x", "X (Twitter)"
        LINKEDIN = "linkedin", "LinkedIn"
        INSTAGRAM = "instagram", "Instagram"
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        TIKTOK = "tiktok", "TikTok"
        MASTODON = "mastodon", "Mastodon"
        OTHER = "other", "Other"

    platform = models.CharField(max_length=12, choices=Platform.choices)
    handle = models.CharField(max_length=100)
    url = models.URLField(max_length=300)
    department = models.ForeignKey(
        "people.Department", on_delete=models.PROTECT, related_name="brand_accounts"
    )
    description = models.CharField(max_length=300, blank=True)
    # Set when the person who ran the account left: a named colleague takes it over.
    handover_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handover_from = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handover_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "handle", "id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="one_account_per_handle"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle}"

    def get_absolute_url(self) -> str:
        return reverse("policies:account", args=[self.pk])

    @property
    def needs_handover(self) -> bool:
        return self.handover_requested_at is not None


class Authorization(models.Model):
    """A person authorized to post on a brand account, until revoked."""

    account = models.ForeignKey(
        BrandAccount, on_delete=models.CASCADE, related_name="authorizations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brand_authorizations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["granted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_authorization",
            ),
        ]
        indexes = [models.Index(fields=["user", "account"], name="authorization_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.account_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SocialMediaMentor(models.Model):
    """A person admins named to lead social media in a department: they get the department's
    alerts and insights, and appear on the "Who does what in social" page. Lives here, beside
    the engagement model and the brand accounts, so that monitoring and crisis (both above
    policies) read it through policies.selectors.mentors_of."""

    department = models.ForeignKey(
        "people.Department", on_delete=models.CASCADE, related_name="social_mentors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships"
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["named_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "user"], name="one_mentorship"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} mentors {self.department_id}"


class AuditEntry(models.Model):
    """Every change to policies, certifications and brand accounts, and what admins do with
    someone's personal data (people.signals): who, what, when."""

    class Action(models.TextChoices):
        CREATE_VERSION = "create_version", "Drafted a policy version"
        EDIT_VERSION = "edit_version", "Edited a draft"
        PUBLISH_VERSION = "publish_version", "Published a policy version"
        SET_QUIZ = "set_quiz", "Set a certification quiz"
        CERTIFY = "certify", "Certified as brand representative"
        REVOKE_CERTIFICATION = "revoke_certification", "Revoked a certification"
        CREATE_ACCOUNT = "create_account", "Registered a brand account"
        EDIT_ACCOUNT = "edit_account", "Edited a brand account"
        AUTHORIZE = "authorize", "Authorized someone on an account"
        REVOKE_AUTHORIZATION = "revoke_authorization", "Revoked an authorization"
        FLAG_HANDOVER = "flag_handover", "Flagged an account for handover"
        COMPLETE_HANDOVER = "complete_handover", "Completed a handover"
        OFFBOARD = "offboard", "Offboarded an employee"
        CHANGE_SETTINGS = "change_settings", "Changed the policy settings"
        NAME_MENTOR = "name_mentor", "Named a social media mentor"
        REMOVE_MENTOR = "remove_mentor", "Removed a social media mentor"
        EXPORT_PERSONAL_DATA = "export_personal_data", "Asked for a copy of someone's data"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    account = models.ForeignKey(
        BrandAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="policy_audit_recent")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"
