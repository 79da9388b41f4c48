from django.contrib import admin

from .models import CustomerQuestion, KeywordRule, RouterVersion, SeedExample, SlaTarget


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    list_display = ["keyword", "department", "position", "active"]
    list_editable = ["position", "active"]
    list_select_related = ["department"]
    search_fields = ["keyword"]


@admin.register(SeedExample)
class SeedExampleAdmin(admin.ModelAdmin):
    list_display = ["text", "department"]
    list_filter = ["department"]
    list_select_related = ["department"]
    search_fields = ["text"]


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ["priority", "business_hours"]


@admin.register(RouterVersion)
class RouterVersionAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "trained_at", "n_examples", "active"]
    readonly_fields = ["source", "trained_at", "n_examples", "metrics"]
    exclude = ["data"]


@admin.register(CustomerQuestion)
class CustomerQuestionAdmin(admin.ModelAdmin):
    """Read-only here: questions change through the app's services (and their rules)."""

    list_display = ["id", "channel", "status", "priority", "department", "received_at"]
    list_filter = ["status", "channel", "priority"]
    list_select_related = ["department"]
    exclude = ["customer_name", "customer_handle", "customer_email"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
