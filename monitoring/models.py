"""Listening: the social team's watch rules, what they matched, the tone of each question,
and the alerts raised when something is unusual.

An alert belongs to a key, the thing whose volume is watched: `department:<id>`,
`tag:<insight tag>` or `rule:<id>`. At most one alert per key is not yet resolved (the
partial unique constraint `one_open_alert_per_key`): intake and every scan write through it,
so concurrent writers cannot open two.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from routing.models import Channel


class Severity(models.TextChoices):
    # Low: counted for surges only. Medium and high: every match raises or updates the rule's
    # alert. High also marks the alert as urgent for whoever reads it.
    LOW = "low", "Low (surges only)"
    MEDIUM = "medium", "Medium (every match)"
    HIGH = "high", "High (every match, urgent)"


SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


class WatchRule(models.Model):
    """Terms and phrases the social team listens for in every inbound question."""

    name = models.CharField(max_length=100)
    # Normalised and validated by monitoring.terms: lists of words, matched as whole words,
    # case and accent insensitive.
    terms = models.JSONField(default=list)
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return f"rule:{self.pk}"


class RuleMatch(models.Model):
    """A question a rule matched (the tag on the question). `received_at` is the question's,
    copied so that counting a rule's volume needs no join."""

    rule = models.ForeignKey(WatchRule, on_delete=models.CASCADE, related_name="matches")
    question = models.ForeignKey(
        "routing.CustomerQuestion", on_delete=models.CASCADE, related_name="+"
    )
    terms = models.JSONField(default=list)
    received_at = models.DateTimeField()
    # Set once the rule's alert counted this match (alerts.alert_on_matches is idempotent).
    alerted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "question"], name="one_match_per_rule")
        ]
        indexes = [
            models.Index(fields=["rule", "received_at"], name="match_rule_time"),
            models.Index(fields=["received_at"], name="match_time"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} matched question {self.question_id}"


class Tone(models.Model):
    """A question's sentiment (VADER compound, -1..1) and, for a detractor, the priority it
    had before monitoring raised it."""

    question = models.OneToOneField(
        "routing.CustomerQuestion", on_delete=models.CASCADE, related_name="+"
    )
    compound = models.FloatField()
    raised_from = models.CharField(max_length=8, blank=True)
    raised_to = models.CharField(max_length=8, blank=True)

    def __str__(self) -> str:
        return f"Question {self.question_id}: {self.compound:+.2f}"

    @property
    def raised(self) -> bool:
        return bool(self.raised_to)


class Alert(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", "Department volume"
        TAG = "tag", "Insight tag volume"
        RULE = "rule", "Watch rule"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    class Trigger(models.TextChoices):
        MATCH = "match", "A watch rule matched"
        SURGE = "surge", "Unusual volume"

    key = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    trigger = models.CharField(max_length=6, choices=Trigger.choices)
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.ForeignKey(
        WatchRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    tag = models.CharField(max_length=10, blank=True)
    # The latest figures the scan saw: questions in the window, what the baseline expected,
    # the Poisson upper-tail probability of seeing that many, and the window's length.
    observed = models.PositiveIntegerField(default=0)
    expected = models.FloatField(default=0)
    p_value = models.FloatField(null=True, blank=True)
    window_minutes = models.PositiveIntegerField(default=0)
    baseline_method = models.CharField(max_length=20, blank=True)
    peak_observed = models.PositiveIntegerField(default=0)
    match_count = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=~Q(status="resolved"),
                name="one_open_alert_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-opened_at", "-id"], name="alert_by_status"),
            models.Index(fields=["-opened_at", "-id"], name="alert_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:alert", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED

    @property
    def odds(self) -> str:
        """The p-value in words: "1 in 100,000" (rounded to one significant figure)."""
        if not self.p_value or self.p_value >= 0.5:
            return ""
        n = 1 / self.p_value
        magnitude = 10 ** (len(str(int(n))) - 1)
        return f"1 in {round(n / magnitude) * magnitude:,}"
