"""The one model of the ground floor: a bulk job's progress (core.bulk)."""

from django.conf import settings
from django.db import models


class BulkJob(models.Model):
    """A fan-out to many rows (people to notify, memberships to sync) done by a task in
    chunks after the request that asked for it: what it is, how far it got, whether it is
    done. The chunk's writes and the move of `cursor` commit together (core.bulk.run_chunk),
    so a chunk delivered twice is applied once."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    kind = models.CharField(max_length=60)  # a name registered with core.bulk.register_kind
    # What the job is about ("policy-version:12"), for the page that shows its progress.
    subject = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField(default=0)  # counted when the job started
    done = models.PositiveIntegerField(default=0)
    chunks = models.PositiveIntegerField(default=0)
    cursor = models.BigIntegerField(default=0)  # the last target id handled
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject", "-created_at"], name="bulkjob_subject"),
            models.Index(
                fields=["updated_at"],
                name="bulkjob_running",
                condition=models.Q(status="running"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.FINISHED or not self.total:
            return 100
        return min(99, self.done * 100 // self.total)

    @property
    def label(self) -> str:
        """What the job does, as its kind was registered ("Notifying every employee")."""
        from .bulk import label_of  # core.bulk reads this model: imported when asked

        return label_of(self)

    @property
    def finished(self) -> bool:
        return self.status == self.Status.FINISHED
