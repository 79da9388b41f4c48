"""Read-only views of the policy records in the Django admin. Every change goes through the
app's pages or API (the services check, validate and audit); the admin is for looking."""

from django.contrib import admin

from .models import (
    Acknowledgement,
    AuditEntry,
    Authorization,
    BrandAccount,
    Certification,
    PolicyVersion,
    QuizAttempt,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "status", "published_at", "requires_recertification"]
    list_filter = ["status"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["user", "version", "acknowledged_at"]
    list_select_related = ["user", "version"]
    search_fields = ["user__username"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    list_display = ["user", "quiz", "score", "passed", "created_at"]
    list_select_related = ["user", "quiz"]
    exclude = ["answers"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "version", "certified_at", "revoked_at"]
    list_select_related = ["user", "version"]


@admin.register(BrandAccount)
class BrandAccountAdmin(ReadOnlyAdmin):
    list_display = ["handle", "platform", "department", "handover_requested_at"]
    list_select_related = ["department"]


@admin.register(Authorization)
class AuthorizationAdmin(ReadOnlyAdmin):
    list_display = ["account", "user", "granted_at", "revoked_at"]
    list_select_related = ["account", "user"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "target_user", "account", "detail"]
    list_select_related = ["actor", "target_user", "account"]
    list_filter = ["action"]
