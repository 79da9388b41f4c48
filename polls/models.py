"""A poll is attached to a post: the post's text is the question, the options are here.

Who voted what is stored only for polls whose author chose visible voters (Vote). For an
anonymous poll nothing links a voter to an option: a Ballot says only that someone has
voted (so they vote once), and the options carry their tallies (Option.vote_count). Even
the database cannot tell which option was whose, so no page, API, export or admin can.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

MAX_OPTIONS = 10
MIN_OPTIONS = 2
MAX_OPTION_LENGTH = 200


class Poll(models.Model):
    class Voters(models.TextChoices):
        VISIBLE = "visible", "Readers see who voted for what"
        ANONYMOUS = "anonymous", "Anonymous: nobody sees who voted for what"

    post = models.OneToOneField("feeds.Post", on_delete=models.CASCADE, related_name="poll")
    multiple = models.BooleanField(default=False)
    voters = models.CharField(max_length=10, choices=Voters.choices, default=Voters.VISIBLE)
    closes_at = models.DateTimeField(null=True, blank=True)
    # Set when the author (or a leader) closes it, or by the clock once closes_at passed.
    closed_at = models.DateTimeField(null=True, blank=True)
    # How many people voted (a ballot each), kept by the services with the tallies.
    voter_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["closes_at"],
                name="poll_closing",
                condition=Q(closed_at__isnull=True, closes_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"Poll on post {self.post_id}"

    def get_absolute_url(self) -> str:
        return reverse("feeds:post", args=[self.post_id])

    @property
    def is_anonymous(self) -> bool:
        return self.voters == self.Voters.ANONYMOUS

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and (self.closes_at is None or self.closes_at > now)


class Option(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=MAX_OPTION_LENGTH)
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="one_option_per_position")
        ]

    def __str__(self) -> str:
        return self.text


class Ballot(models.Model):
    """Someone has voted in a poll: one per person and poll, whatever the kind of poll. No
    time and no option: for an anonymous poll it says nothing of the choice."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_ballots"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "voter"], name="one_ballot")]

    def __str__(self) -> str:
        return f"{self.voter_id} voted in poll {self.poll_id}"


class Vote(models.Model):
    """An option chosen on a ballot: written for visible polls only (services.vote)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="votes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="one_vote_per_option")
        ]

    def __str__(self) -> str:
        return f"Ballot {self.ballot_id} chose {self.option_id}"
