"""The customer question: its channel, priority and status, the one list of allowed status
moves (TRANSITIONS), and the webhook deliveries already seen (idempotent intake)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.links import id_url


class Channel(models.TextChoices):
    TWITTER = "twitter", "X / Twitter"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    EMAIL = "email", "Email"
    WEB = "web", "Web"
    PHONE = "phone", "Phone"
    OTHER = "other", "Other"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


# Most urgent first, for queues.
PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Status(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "In triage"
    ASSIGNED = "assigned", "Assigned"
    REROUTED = "rerouted", "Rerouted"
    ESCALATED = "escalated", "Escalated"
    ANSWERED = "answered", "Answered"
    REPLIED = "replied", "Replied"
    CLOSED = "closed", "Closed"
    SPAM = "spam", "Spam"


S = Status
# The one list of allowed moves. "triaged" covers both "nobody knows the department yet"
# (department empty: the triage queue) and "waiting for a free expert" (department set).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.TRIAGED, S.ASSIGNED, S.SPAM, S.CLOSED}),
    S.TRIAGED: frozenset({S.TRIAGED, S.ASSIGNED, S.REROUTED, S.ESCALATED, S.SPAM, S.CLOSED}),
    S.ASSIGNED: frozenset(
        {S.ASSIGNED, S.TRIAGED, S.REROUTED, S.ESCALATED, S.ANSWERED, S.SPAM, S.CLOSED}
    ),
    S.REROUTED: frozenset({S.TRIAGED, S.ASSIGNED, S.REROUTED, S.ESCALATED, S.SPAM, S.CLOSED}),
    S.ESCALATED: frozenset({S.TRIAGED, S.ASSIGNED, S.REROUTED, S.ANSWERED, S.SPAM, S.CLOSED}),
    S.ANSWERED: frozenset({S.ANSWERED, S.ASSIGNED, S.REPLIED, S.CLOSED}),
    S.REPLIED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.SPAM: frozenset({S.TRIAGED}),
}
# Questions somebody still has to work on.
OPEN_STATUSES = (S.NEW, S.TRIAGED, S.ASSIGNED, S.REROUTED, S.ESCALATED, S.ANSWERED)
# Questions whose SLA clock (time to the first expert answer) is running.
CLOCK_RUNNING = (S.NEW, S.TRIAGED, S.ASSIGNED, S.REROUTED, S.ESCALATED)


class CustomerQuestion(models.Model):
    class RoutedBy(models.TextChoices):
        NONE = "", "Not routed"
        MODEL = "model", "Classifier"
        RULE = "rule", "Keyword rule"
        PERSON = "person", "The social team"

    channel = models.CharField(max_length=12, choices=Channel.choices)
    external_id = models.CharField(max_length=200)
    # Personal data too (x.com/<handle>/status/...): see routing.selectors.with_customers.
    external_url = models.URLField(max_length=500, blank=True)
    # Personal data: read through routing.selectors.customer_of only.
    customer_name = models.CharField(max_length=200, blank=True)
    customer_handle = models.CharField(max_length=200, blank=True)
    customer_email = models.EmailField(max_length=254, blank=True)
    text = models.TextField(max_length=10_000)
    received_at = models.DateTimeField()
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)

    # No index of its own for department or assigned_to: question_by_dept and
    # question_by_expert lead with them (every question stored updates each index).
    department = models.ForeignKey(
        "people.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # The classifier's top three [(department slug, confidence)], best first; `confidence` is
    # what it compared with its threshold (QuestionSerializer.confidence says what that is).
    ranking = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    predicted_department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_by = models.CharField(
        max_length=8, choices=RoutedBy.choices, default=RoutedBy.NONE, blank=True
    )
    router_version = models.ForeignKey(
        "RouterVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer_questions",
        db_index=False,
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    sla_due_at = models.DateTimeField(null=True, blank=True)
    # 0: nothing sent; 1: expert reminded (50%); 2: leaders told (100%); 3: social team (150%).
    sla_stage = models.PositiveSmallIntegerField(default=0)
    sla_next_at = models.DateTimeField(null=True, blank=True)
    first_answer_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # Idempotent intake: the same delivery twice is one question, also concurrently.
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="one_question_per_source"
            ),
        ]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="question_recent"),
            models.Index(fields=["status", "-received_at", "-id"], name="question_by_status"),
            models.Index(
                fields=["assigned_to", "status", "-received_at", "-id"], name="question_by_expert"
            ),
            models.Index(
                fields=["department", "status", "-received_at", "-id"], name="question_by_dept"
            ),
            models.Index(
                fields=["sla_next_at"], name="question_sla_next", condition=Q(sla_stage__lt=3)
            ),
            # The customer's thread (selectors.customer_thread): one customer on one channel.
            models.Index(
                fields=["channel", "customer_handle", "received_at"],
                name="question_thread_handle",
                condition=~Q(customer_handle=""),
            ),
            models.Index(
                fields=["channel", "customer_email", "received_at"],
                name="question_thread_email",
                condition=~Q(customer_email=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Question {self.pk} ({self.get_channel_display()}, {self.status})"

    def get_absolute_url(self) -> str:
        return id_url("routing:question", self.pk)

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def in_triage(self) -> bool:
        return self.status in (S.NEW, S.TRIAGED, S.REROUTED) and self.department_id is None


class WebhookDelivery(models.Model):
    """Delivery ids already seen: a replayed webhook is refused, not stored twice."""

    delivery_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)
    question = models.ForeignKey(
        CustomerQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        # A constraint rather than unique=True, which on PostgreSQL also builds a second
        # index for LIKE on the id, that no query makes and every delivery updated.
        constraints = [models.UniqueConstraint(fields=["delivery_id"], name="one_delivery_per_id")]

    def __str__(self) -> str:
        return self.delivery_id
