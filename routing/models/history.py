"""What happens to a question on its way to a public reply: who held it (assignments),
reroutes, the expert's answers, internal notes, the public replies and the insight tags."""

from django.conf import settings
from django.db import models

from .questions import CustomerQuestion


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
