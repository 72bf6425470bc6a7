from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Interest, Member, Skill


@admin.register(Member)
class MemberAdmin(UserAdmin):
    list_display = ["username", "display_name", "email", "organisation", "is_active", "date_joined"]
    search_fields = ["username", "display_name", "email", "organisation"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Profile", {"fields": ["display_name", "headline", "organisation", "job_title", "location", "bio"]}),
    ]
    # Roles and skills change through the site (services), so the audit of who did what stays whole.
    readonly_fields = ["groups", "user_permissions", "last_login", "date_joined"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "status", "proposed_by", "created"]
    list_filter = ["status"]
    search_fields = ["name"]

    def has_change_permission(self, request, obj=None):
        return False  # renames and merges go through the skill review page (services)


admin.site.register(Interest)
