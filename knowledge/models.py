"""Knowledge entries: an answered customer question rewritten as the company's own answer.

An entry holds no customer personal data: its title and body pass knowledge.scrub (built on
routing.redaction) before they are stored, every time (draft, edit, publish). Its source
question is kept as a link for the people who may open it; the entry never copies the
question's customer columns.

Every edit writes a Revision (the text as it was saved, by whom, when), so history is kept
and two revisions can be compared (core.versioning.diff_lines).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

MAX_TITLE = 200
MAX_BODY = 10_000
MAX_TOPICS = 10


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    OUTDATED = "outdated", "Outdated"
    RETIRED = "retired", "Retired"


# The states every employee reads (lists, search, suggestions). Outdated entries stay
# findable, marked as such: an old answer is still a lead.
READABLE_STATES = (State.PUBLISHED, State.OUTDATED)

# The one list of allowed moves (services.change_state asks it).
TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.PUBLISHED, State.RETIRED}),
    State.PUBLISHED: frozenset({State.OUTDATED, State.RETIRED}),
    State.OUTDATED: frozenset({State.PUBLISHED, State.RETIRED}),
    State.RETIRED: frozenset(),
}


class Entry(models.Model):
    question = models.ForeignKey(
        "routing.CustomerQuestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_entries",
    )
    title = models.CharField(max_length=MAX_TITLE)
    body = models.TextField(max_length=MAX_BODY)
    body_html = models.TextField(blank=True)
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = models.ManyToManyField("feeds.Topic", blank=True, related_name="knowledge_entries")
    # The person credited with the answer.
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_entries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    # What the scrubber removed when the text was last saved: {kind: count}, no values.
    removed = models.JSONField(default=dict, blank=True)
    reuse_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "entries"
        constraints = [
            # One entry per answered question: a second publisher edits the first.
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(question__isnull=False),
                name="one_entry_per_question",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="published_entry_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at", "-id"], name="entry_by_state"),
            models.Index(
                fields=["department", "state", "-published_at", "-id"], name="entry_by_dept"
            ),
            models.Index(fields=["expert", "state"], name="entry_by_expert"),
            # The similarity index asks for the newest change (selectors.generation).
            models.Index(fields=["updated_at"], name="entry_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.pk])

    @property
    def is_readable(self) -> bool:
        return self.state in READABLE_STATES

    def can_move_to(self, state: str) -> bool:
        return state in TRANSITIONS[self.state]


class Revision(models.Model):
    """The entry's text as one save left it (already scrubbed)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=MAX_TITLE)
    body = models.TextField(max_length=MAX_BODY)
    note = models.CharField(max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="one_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} r{self.number}"


class Reuse(models.Model):
    """An entry (or an answered question's answer) used to start an answer or a reply."""

    class Into(models.TextChoices):
        ANSWER = "answer", "An answer"
        REPLY = "reply", "A public reply"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reuses")
    question = models.ForeignKey(
        "routing.CustomerQuestion", on_delete=models.CASCADE, related_name="+"
    )
    into = models.CharField(max_length=6, choices=Into.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Counted once per question and use, however often the button is pressed.
            models.UniqueConstraint(fields=["entry", "question", "into"], name="one_reuse"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} reused on {self.question_id}"
