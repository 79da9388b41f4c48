from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.versioning import VersionedDocument, document_constraints


class CrisisRole(models.Model):
    """A person's role in the crisis team, named by admins. The crisis team is everyone who
    holds one (department mentors are policies.SocialMediaMentor)."""

    class Role(models.TextChoices):
        LEAD = "lead", "Crisis lead"
        COMMUNICATIONS = "communications", "Communications"
        LEGAL = "legal", "Legal"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crisis_roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "named_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_crisis_role_each"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role}"


class PlaybookVersion(VersionedDocument):
    """One version of the crisis playbook (core.versioning, as the social media policy):
    roles, contact tree, holding statements per scenario (### headings under a
    "Holding statements" section)."""

    class Meta(VersionedDocument.Meta):
        constraints = document_constraints("playbook")

    def get_absolute_url(self) -> str:
        return reverse("crisis:playbook-version", args=[self.number])


class PlaybookAcknowledgement(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playbook_acks"
    )
    version = models.ForeignKey(
        PlaybookVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_playbook_ack"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} acknowledged playbook v{self.version_id}"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


SEVERITY_RANK = {s: i for i, s in enumerate(Severity.values)}


class Incident(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=5_000)
    summary_html = models.TextField(blank=True)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # Crisis mode holds while the incident is open (decided at declaration from its
    # severity and CRISIS_MODE_SEVERITY): public replies through the social team only.
    crisis_mode = models.BooleanField(default=False)
    second_approval = models.BooleanField(default=False)
    departments = models.ManyToManyField("people.Department", blank=True, related_name="+")
    # The listening alert it was declared from (kept if the alert is deleted by retention,
    # as a missing link), and the watch rules it follows.
    alert = models.ForeignKey(
        "monitoring.Alert",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    watch_rule_ids = models.JSONField(default=list, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(max_length=5_000, blank=True)

    class Meta:
        ordering = ["-declared_at", "-id"]
        indexes = [
            models.Index(fields=["status", "crisis_mode"], name="incident_open_crisis"),
            models.Index(fields=["-declared_at", "-id"], name="incident_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="closed_incident_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("crisis:incident", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class TimelineEntry(models.Model):
    """One thing that happened about an incident. Text is plain (templates escape it); an
    entry about a customer question keeps the question, so the text is shown through the
    routing personal-data rule (routing.selectors.shown_text)."""

    class Kind(models.TextChoices):
        DECLARED = "declared", "Declared"
        QUESTION = "question", "Matched question"
        ALERT = "alert", "Alert"
        REPLY_SENT = "reply_sent", "Reply sent"
        REPLY_REFUSED = "reply_refused", "Reply refused"
        APPROVAL = "approval", "Reply held for approval"
        ANNOUNCEMENT = "announcement", "Announcement"
        ROLE = "role", "Role change"
        NOTE = "note", "Note"
        STATUS = "status", "Status change"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=10_000, blank=True)
    question = models.ForeignKey(
        "routing.CustomerQuestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A path inside the app (the announcement's post, the question's page).
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["incident", "created_at", "id"], name="timeline_order")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.incident_id}"


class HeldReply(models.Model):
    """A public reply written during an incident that needs a second approval: it goes out
    (routing.services.record_public_reply, approved_by) when another social team member
    approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        SENT = "sent", "Approved and sent"
        REJECTED = "rejected", "Rejected"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="held_replies")
    question = models.ForeignKey(
        "routing.CustomerQuestion", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=5_000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Held reply to {self.question_id}"


class BrandPost(models.Model):
    """A post published on a brand account, recorded by someone authorized on it (or the
    social team), so the company sees what the brand says."""

    account = models.ForeignKey("policies.BrandAccount", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=5_000)
    url = models.URLField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Post on {self.account_id}"


class BrandActivity(models.Model):
    """The internal "Brand activity" feed: every public reply and every brand post, as every
    employee may read it. The text is stored already redacted (routing.redaction): the row
    never holds the customer's personal data, so no surface can leak it."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply to a customer"
        POST = "post", "Brand post"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    account = models.ForeignKey(
        "policies.BrandAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=20, blank=True)
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=5_000)
    # The source rows: one activity each (a redelivered signal adds nothing).
    reply_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    brand_post = models.OneToOneField(
        BrandPost, null=True, blank=True, on_delete=models.CASCADE, related_name="activity"
    )
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "brand activity"
        indexes = [models.Index(fields=["-occurred_at", "-id"], name="brand_activity_recent")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at}"

    @property
    def channel_label(self) -> str:
        from routing.models import Channel

        return Channel(self.channel).label if self.channel in Channel.values else self.channel
