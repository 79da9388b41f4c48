"""What admins set up: SLA targets per priority, keyword rules that override the router,
and seed examples to train it before there is history."""

from django.db import models

from core.wording import counted

from .questions import Priority


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
