"""Customer questions and everything that happens to them on the way to a public reply.

The status machine lives here, in TRANSITIONS: every service that changes a status asks
`CustomerQuestion.can_move_to` first, so an impossible move is refused in one place.
Customer personal data (name, handle, email, and also the original post's link and id and
the text's own signature, handles and numbers) sits on the question row; pages and the API
show it through routing.selectors.with_customers only (the rule: can_see_customer).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.wording import counted


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

    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
        return reverse("routing:question", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def in_triage(self) -> bool:
        return self.status in (S.NEW, S.TRIAGED, S.REROUTED) and self.department_id is None


class Assignment(models.Model):
    """Who held a question, from when until when, and why it ended."""

    class Ended(models.TextChoices):
        OPEN = "", "Still assigned"
        REASSIGNED = "reassigned", "Reassigned"
        DECLINED = "declined", "Declined"
        REROUTED = "rerouted", "Rerouted"
        CLOSED = "closed", "Closed"

    question = models.ForeignKey(
        CustomerQuestion, on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_assignments"
    )
    # Empty when the router chose the expert.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended = models.CharField(max_length=10, choices=Ended.choices, blank=True, default="")
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        indexes = [models.Index(fields=["expert", "-assigned_at"], name="assignment_by_expert")]

    def __str__(self) -> str:
        return f"{self.expert_id} on question {self.question_id}"


class Reroute(models.Model):
    question = models.ForeignKey(
        CustomerQuestion, on_delete=models.CASCADE, related_name="reroutes"
    )
    from_department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_department = models.ForeignKey(
        "people.Department", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Question {self.question_id} to {self.to_department_id}"


class Answer(models.Model):
    """The expert's answer, for the social team to turn into the public reply."""

    question = models.ForeignKey(CustomerQuestion, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField(max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class Note(models.Model):
    """An internal note on a question: never part of a public reply."""

    question = models.ForeignKey(CustomerQuestion, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField(max_length=5_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on question {self.question_id}"


class PublicReply(models.Model):
    """What the brand said in public, who said it, when and where."""

    question = models.ForeignKey(
        CustomerQuestion, on_delete=models.CASCADE, related_name="public_replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField(max_length=5_000)
    url = models.URLField(max_length=500, blank=True)
    connector = models.CharField(max_length=100, blank=True)
    posted_at = models.DateTimeField()

    class Meta:
        ordering = ["posted_at", "id"]

    def __str__(self) -> str:
        return f"Reply to question {self.question_id}"


class InsightTag(models.Model):
    class Tag(models.TextChoices):
        FEEDBACK = "feedback", "Product feedback"
        BUG = "bug", "Bug"
        FEATURE = "feature", "Feature request"
        COMPLAINT = "complaint", "Complaint"

    question = models.ForeignKey(CustomerQuestion, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=10, choices=Tag.choices)
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tag"]
        constraints = [models.UniqueConstraint(fields=["question", "tag"], name="one_tag_kind")]
        indexes = [models.Index(fields=["tag", "-created_at"], name="insight_by_tag")]

    def __str__(self) -> str:
        return f"{self.tag} on question {self.question_id}"


class SlaTarget(models.Model):
    """Business hours from receipt to the first expert answer, per priority."""

    priority = models.CharField(max_length=8, choices=Priority.choices, unique=True)
    business_hours = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["priority"]
        verbose_name = "SLA target"

    def __str__(self) -> str:
        return f"{self.get_priority_display()}: {counted(self.business_hours, 'business hour')}"


class KeywordRule(models.Model):
    """An admin's rule: a question containing `keyword` goes to `department`, whatever
    the classifier says. Lower `position` wins when several match."""

    keyword = models.CharField(max_length=100)
    department = models.ForeignKey("people.Department", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"“{self.keyword}” → {self.department}"


class SeedExample(models.Model):
    """A typical question for a department, for training before there is history; without a
    department, a question that belongs to none (the router learns to keep such in triage)."""

    department = models.ForeignKey(
        "people.Department",
        on_delete=models.CASCADE,
        related_name="seed_examples",
        null=True,
        blank=True,
        help_text="Empty: a question that belongs to no department and should wait in triage.",
    )
    text = models.CharField(max_length=1000)

    class Meta:
        ordering = ["department", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class RouterLabel(models.Model):
    """A human decision about where a question belongs, recorded with the decision: what
    the router learns from (routing.training). The social team routing it out of triage or
    assigning it from there, a reroute, an answer (the department that answered), spam (no
    department) and a decline as "wrong department" (`wrong`: it does NOT belong there).

    The text is the question's without the customer (routing.redaction), as it was when the
    decision was made."""

    class Source(models.TextChoices):
        ROUTED = "routed", "Routed out of triage"
        REROUTED = "rerouted", "Rerouted"
        DECLINED = "declined", "Declined: wrong department"
        ANSWERED = "answered", "Answered"
        SPAM = "spam", "Marked as spam"

    question = models.ForeignKey(CustomerQuestion, on_delete=models.CASCADE, related_name="labels")
    text = models.TextField(max_length=10_000)
    # Empty: the question belongs to no department (spam).
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    wrong = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["created_at", "id"], name="router_label_time")]

    def __str__(self) -> str:
        return f"{self.source} label of question {self.question_id}"


class RouterVersion(models.Model):
    """One trained router (classifier.Router.dumps()) with its metrics. Exactly one is
    active; every process notices a new active version within seconds (router_cache).

    A retrained version is a challenger (routing.training.retrain_router): `holdout` keeps
    its figures and the active version's on the most recent labels it did not train on,
    `outcome` and `reason` what was decided. A challenger that was not activated keeps its
    figures but not its model (`data` empty)."""

    class Outcome(models.TextChoices):
        STORED = "", "Stored"
        ACTIVATED = "activated", "Activated"
        REJECTED = "rejected", "Not activated"

    data = models.BinaryField()
    metrics = models.JSONField(default=dict)
    source = models.CharField(max_length=100)
    n_examples = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField()
    active = models.BooleanField(default=False)
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, default=Outcome.STORED, blank=True
    )
    reason = models.CharField(max_length=300, blank=True)
    holdout = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-trained_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_router")
        ]

    def __str__(self) -> str:
        return f"Router {self.pk} ({self.source}, {self.trained_at:%Y-%m-%d %H:%M})"


class WebhookDelivery(models.Model):
    """Delivery ids already seen: a replayed webhook is refused, not stored twice."""

    delivery_id = models.CharField(max_length=200, unique=True)
    received_at = models.DateTimeField(auto_now_add=True)
    question = models.ForeignKey(
        CustomerQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.delivery_id
