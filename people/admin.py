from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.template.response import TemplateResponse

from core.errors import ApplicationError

from . import personal_data
from .models import Department, Profile, Skill


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "member_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_members=Count("members"))

    @admin.display(ordering="_members", description="Members")
    def member_count(self, department) -> int:
        return department._members


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "people"]
    search_fields = ["name"]
    readonly_fields = ["slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_people=Count("profiles"))

    @admin.display(ordering="_people", description="People")
    def people(self, skill) -> int:
        return skill._people


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "title", "department", "manager", "location"]
    list_filter = ["department"]
    search_fields = ["display_name", "user__username", "user__email", "title"]
    list_select_related = ["user", "department", "manager"]
    autocomplete_fields = ["manager", "skills", "user"]
    readonly_fields = ["created_at", "updated_at"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fk_name = "user"
    autocomplete_fields = ["manager", "skills", "department"]
    fields = ["display_name", "title", "department", "manager", "skills"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class EmployeeUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    actions = ["prepare_data_copy", "delete_by_policy"]

    def has_delete_permission(self, request, obj=None) -> bool:
        """An account is deleted by the policy (the "Delete accounts" action), never by
        removing its row, which would take everything the person wrote with it."""
        return False

    @admin.action(description="Prepare a copy of their data (sent to you)")
    def prepare_data_copy(self, request, queryset):
        for person in queryset:
            try:
                personal_data.request_data_export(actor=request.user, person=person)
            except ApplicationError as exc:
                self.message_user(request, f"{person.username}: {exc.message}", messages.ERROR)
                return None
        self.message_user(
            request,
            "The copies are being prepared: a notification brings each link when it is ready.",
            messages.SUCCESS,
        )
        return None

    @admin.action(description="Delete accounts by the data policy…")
    def delete_by_policy(self, request, queryset):
        """A confirmation page listing what happens to each kind of content; deleting
        happens only when it is posted back with `confirm`."""
        people = list(queryset.select_related("profile"))
        if request.POST.get("confirm") == "yes":
            done = 0
            for person in people:
                try:
                    personal_data.delete_account(actor=request.user, person=person)
                except ApplicationError as exc:
                    self.message_user(request, f"{person.username}: {exc.message}", messages.ERROR)
                else:
                    done += 1
            if done:
                self.message_user(
                    request, f"{done} account{'s' if done != 1 else ''} deleted.", messages.SUCCESS
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Delete accounts by the data policy",
            "people": people,
            "policy": personal_data.deletion_policy(),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/people/delete_by_policy.html", context)


admin.site.site_header = "socialhub administration"
admin.site.site_title = "socialhub admin"
admin.site.index_title = "Company data"
