from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.files import RandomName

COVER_FOLDER = "group-covers/"


class Group(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", "All company"
        DEPARTMENT = "department", "Department"
        INTEREST = "interest", "Interest"

    class Privacy(models.TextChoices):
        PUBLIC = "public", "Public: anyone reads and joins"
        PRIVATE = "private", "Private: listed, members read, join by request"
        SECRET = "secret", "Secret: unlisted, invite only"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INTEREST)
    privacy = models.CharField(max_length=8, choices=Privacy.choices, default=Privacy.PUBLIC)

    class Posting(models.TextChoices):
        EVERYONE = "everyone", "Everyone who may write here starts posts"
        LEADERS = "leaders", "Only leaders start posts; members comment"

    # Who may start a post (commenting follows membership as before).
    posting = models.CharField(max_length=8, choices=Posting.choices, default=Posting.EVERYONE)
    # A re-encoded picture under a random name (groups.services.make_cover); served by
    # groups.views.cover after the group's visibility is checked, never by its path.
    cover = models.ImageField(
        upload_to=RandomName(COVER_FOLDER, ("png",)), blank=True, db_index=True
    )
    department = models.OneToOneField(
        "people.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="company"), name="one_company_group"
            ),
        ]
        indexes = [models.Index(fields=["privacy", "name", "id"], name="group_listing")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", args=[self.slug])

    @property
    def cover_url(self) -> str:
        """The cover picture's address (a new one with every upload), or ""."""
        if not self.cover:
            return ""
        return reverse("groups:cover", args=[self.slug, self.cover.name.rsplit("/", 1)[-1]])

    @property
    def is_public(self) -> bool:
        return self.privacy == self.Privacy.PUBLIC

    @property
    def is_secret(self) -> bool:
        return self.privacy == self.Privacy.SECRET


class Membership(models.Model):
    """One person in one group. `source` says how they came in: a department group's own
    people and the company group's everyone follow the organisation chart (synced, not left
    or removed by hand); people who joined, asked or were added came by choice and may go."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        LEADER = "leader", "Leader"
        OWNER = "owner", "Owner"

    class Source(models.TextChoices):
        DEPARTMENT = "department", "Through their department"
        COMPANY = "company", "Everyone in the company"
        JOINED = "joined", "Joined"
        INVITED = "invited", "Added by a leader"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.JOINED)
    muted_until = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group"),
        ]
        indexes = [models.Index(fields=["user", "group"], name="membership_by_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.role})"

    @property
    def is_leader(self) -> bool:
        return self.role in (self.Role.LEADER, self.Role.OWNER)

    @property
    def follows_department(self) -> bool:
        """In their own department's group: they go when the department changes, not by
        leaving or being removed."""
        return self.source == self.Source.DEPARTMENT

    def is_muted(self, now=None) -> bool:
        return bool(self.muted_until and self.muted_until > (now or timezone.now()))


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status="pending"),
                name="one_pending_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.group} ({self.status})"


class Report(models.Model):
    """A member's report of a post or comment, for the group's leaders to work."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Content removed"
        DISMISSED = "dismissed", "Dismissed"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "feeds.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        "feeds.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "status", "-created_at"], name="report_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False) | Q(comment__isnull=False),
                name="report_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} in {self.group_id} ({self.status})"


class AuditEntry(models.Model):
    """One moderation action: who did what, to whom, when and why."""

    class Action(models.TextChoices):
        APPROVE_REQUEST = "approve_request", "Approved a join request"
        DENY_REQUEST = "deny_request", "Denied a join request"
        INVITE = "invite", "Added a member"
        REMOVE_MEMBER = "remove_member", "Removed a member"
        CHANGE_ROLE = "change_role", "Changed a member's role"
        MUTE = "mute", "Muted a member"
        UNMUTE = "unmute", "Unmuted a member"
        PIN = "pin", "Pinned a post"
        UNPIN = "unpin", "Unpinned a post"
        ANNOUNCE = "announce", "Posted an announcement"
        REMOVE_POST = "remove_post", "Removed a post"
        REMOVE_COMMENT = "remove_comment", "Removed a comment"
        CLOSE_COMMENTS = "close_comments", "Closed comments"
        OPEN_COMMENTS = "open_comments", "Reopened comments"
        RESOLVE_REPORT = "resolve_report", "Resolved a report"
        DISMISS_REPORT = "dismiss_report", "Dismissed a report"
        EDIT_GROUP = "edit_group", "Edited the group"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "feeds.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        "feeds.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "-created_at", "-id"], name="audit_by_group")]

    def __str__(self) -> str:
        return f"{self.action} in {self.group_id}"
