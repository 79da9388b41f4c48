from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from people.roles import is_admin

from . import services
from .models import DirectoryAuditEntry, ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked here; they are created on /directory/scim-tokens/,
    which shows the key once (the admin would keep it in a message in the session)."""

    list_display = ["name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    readonly_fields = [f.name for f in ScimToken._meta.fields]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return is_admin(request.user)

    def has_module_permission(self, request) -> bool:
        return is_admin(request.user)

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke_scim_token(actor=request.user, token=token)
        messages.success(request, "Revoked.")

    def get_actions(self, request):
        return super().get_actions(request) if is_admin(request.user) else {}

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self.message_user(
                request,
                format_html(
                    'Create tokens on <a href="{}">Directory sync</a>: a key is shown once.',
                    reverse("directory:scim-tokens"),
                ),
                messages.INFO,
            )
        return super().changelist_view(request, extra_context)


@admin.register(DirectoryAuditEntry)
class DirectoryAuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "token", "target_user", "detail"]
    list_filter = ["action"]
    list_select_related = ["actor", "token", "target_user"]
    search_fields = ["detail", "target_user__username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
