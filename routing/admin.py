from django.contrib import admin, messages
from kombu.exceptions import OperationalError

from core.errors import ApplicationError

from . import tasks, training
from .models import CustomerQuestion, KeywordRule, RouterVersion, SeedExample, SlaTarget


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    list_display = ["keyword", "department", "position", "active"]
    list_editable = ["position", "active"]
    list_select_related = ["department"]
    search_fields = ["keyword"]


@admin.register(SeedExample)
class SeedExampleAdmin(admin.ModelAdmin):
    list_display = ["text", "department_or_none"]
    list_filter = ["department"]
    list_select_related = ["department"]
    search_fields = ["text"]
    actions = ["train_router"]

    @admin.display(description="department", ordering="department")
    def department_or_none(self, example):
        return example.department or "— none: stays in triage"

    @admin.action(description="Train a new router (history + every seed example)")
    def train_router(self, request, queryset):
        try:
            tasks.train_router.delay(source=f"admin: {request.user.username}")
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        except OperationalError:
            self.message_user(
                request, "The task queue (Redis) is unreachable: try again later.", messages.ERROR
            )
        else:
            self.message_user(request, "Training started; the new version becomes active.")


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ["priority", "business_hours"]


@admin.register(RouterVersion)
class RouterVersionAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "trained_at", "n_examples", "active"]
    readonly_fields = ["source", "trained_at", "n_examples", "metrics"]
    exclude = ["data"]
    actions = ["activate"]

    @admin.action(description="Make the selected version the active router")
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one version.", messages.ERROR)
            return
        training.activate_router_version(actor=request.user, version=queryset.get())
        self.message_user(request, "Every process switches to it within seconds.")


@admin.register(CustomerQuestion)
class CustomerQuestionAdmin(admin.ModelAdmin):
    """Read-only here: questions change through the app's services (and their rules)."""

    list_display = ["id", "channel", "status", "priority", "department", "received_at"]
    list_filter = ["status", "channel", "priority"]
    list_select_related = ["department"]
    # The customer, the original post (its link and id name the customer) and the raw text
    # are the app's to show (routing.selectors.can_see_customer); here, the text without them.
    exclude = [
        "customer_name",
        "customer_handle",
        "customer_email",
        "external_url",
        "external_id",
        "text",
    ]
    readonly_fields = ["text_without_customer"]

    @admin.display(description="Text (without the customer)")
    def text_without_customer(self, obj):
        from .redaction import redact

        return redact(obj.text, (obj.customer_name, obj.customer_handle, obj.customer_email))

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
