from django.conf import settings
from django.db import models


class ScimToken(models.Model):
    """A bearer token an identity provider presents to the SCIM endpoints.

    Only a SHA-256 of the key is kept: the key is random (256 bits), so a fast hash is enough,
    and a database dump gives nobody a working token. The admin sees the key once, when the
    token is created; `prefix` tells tokens apart in lists."""

    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "SCIM token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ExternalUser(models.Model):
    """The identity provider's id of an account (SCIM externalId)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_identity"
    )
    external_id = models.CharField(max_length=255, db_index=True)

    def __str__(self) -> str:
        return self.external_id


class ExternalGroup(models.Model):
    """The identity provider's id of a department it provisioned as a SCIM Group."""

    department = models.OneToOneField(
        "people.Department", on_delete=models.CASCADE, related_name="directory_group"
    )
    external_id = models.CharField(max_length=255, db_index=True)

    def __str__(self) -> str:
        return self.external_id


class DirectoryAuditEntry(models.Model):
    """Who changed the directory, through what: an admin (pages, the import) or a SCIM token."""

    class Action(models.TextChoices):
        TOKEN_CREATED = "token_created", "SCIM token created"
        TOKEN_REVOKED = "token_revoked", "SCIM token revoked"
        USER_CREATED = "user_created", "Person provisioned"
        USER_UPDATED = "user_updated", "Person updated"
        USER_DEACTIVATED = "user_deactivated", "Person deactivated"
        USER_REACTIVATED = "user_reactivated", "Person reactivated"
        GROUP_CREATED = "group_created", "Department provisioned"
        GROUP_UPDATED = "group_updated", "Department updated"
        GROUP_DELETED = "group_deleted", "Department removed"
        IMPORT_APPLIED = "import_applied", "Directory file imported"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.ForeignKey(
        ScimToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "directory audit entries"

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.detail}"
