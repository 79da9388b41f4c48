from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count

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


admin.site.site_header = "socialhub administration"
admin.site.site_title = "socialhub admin"
admin.site.index_title = "Company data"
