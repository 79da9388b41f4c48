"""The router's side: the human decisions it learns from (labels) and the trained versions
it decides with (one active; challengers with their holdout figures)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .questions import CustomerQuestion


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
