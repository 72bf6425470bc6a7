"""The Django admin for administrators. Its writes go through the services like every other door's:
profiles refresh the search document, roles change through `set_role` (and its audit), a member is
deleted through `delete_member` (anonymised, their posts and the ledger kept: never a raw cascade),
and nothing here deletes a skill or an audit entry."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from community.errors import DomainError
from community.roles import ROLE_CHOICES, Role

from . import services
from .models import AuditEntry, Interest, Member, Skill
from .selectors import check_change_role_permission, role_of


class MemberCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = Member
        fields = ["username", "email", "display_name"]


class MemberChangeForm(UserChangeForm):
    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        help_text="The role decides staff status, administrator rights and permissions; each change is audited.",
    )
    actor: Member | None = None  # the administrator, set by MemberAdmin.get_form

    class Meta(UserChangeForm.Meta):
        model = Member

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "role" in self.fields:
            self.fields["role"].initial = role_of(self.instance).value

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if "role" in self.changed_data:
            try:
                check_change_role_permission(self.actor, member=self.instance, role=Role(role))
            except PermissionDenied as refusal:
                raise forms.ValidationError(str(refusal)) from None
        return role


@admin.register(Member)
class MemberAdmin(UserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "email", "display_name", "usable_password", "password1", "password2"],
            },
        ),
    ]
    list_display = ["username", "display_name", "email", "organisation", "is_active", "date_joined", "deleted_at"]
    search_fields = ["username", "display_name", "email", "organisation"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Role", {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups"]}),
        ("Important dates", {"fields": ["last_login", "date_joined", "deactivated_at", "deleted_at"]}),
        ("Profile", {"fields": ["display_name", "headline", "organisation", "job_title", "location", "bio"]}),
    ]
    # Staff, administrator and groups follow from the role, which changes only through set_role.
    readonly_fields = [
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
        "deactivated_at",
        "deleted_at",
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            services.register_member(member=obj, verified=False)
            return
        editable = set(form.changed_data) - {"role"}
        profile = {field: getattr(obj, field) for field in editable if field in services.PROFILE_FIELDS}
        account = [field for field in editable if field not in services.PROFILE_FIELDS]
        if account:
            obj.save(update_fields=account)
        services.update_profile(member=obj, **profile)  # also refreshes the search document (handle, name)
        if "role" in form.changed_data:
            services.set_role(actor=request.user, member=obj, role=form.cleaned_data["role"])

    def has_delete_permission(self, request, obj=None):
        # Administrators only, and never an account that is already gone.
        return request.user.is_superuser and (obj is None or not obj.is_former)

    def get_deleted_objects(self, objs, request):
        """The confirmation page describes the service's deletion, not the cascade Django would
        collect (which would refuse: posts and gives PROTECT their author)."""
        described = [
            f"{member.name} (@{member.username}): personal data erased; their posts and gives stay as “Former member”"
            for member in objs
        ]
        return described, {"members": len(described)}, set(), []

    def delete_model(self, request, obj):
        self.delete_queryset(request, Member.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        for member in queryset.filter(deleted_at__isnull=True):
            try:
                services.delete_member(actor=request.user, member=member)
            except DomainError as refusal:  # the last administrator, say
                self.message_user(request, f"@{member.username}: {refusal.message}", messages.ERROR)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: the services write these rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    """Additions, renames and merges go through the skill review page (services, audited); a delete
    would take endorsements with it and leave the ledger pointing at nothing."""

    list_display = ["name", "slug", "status", "proposed_by", "created"]
    list_filter = ["status"]
    search_fields = ["name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created", "actor", "action", "target"]
    list_filter = ["action"]
    search_fields = ["target", "actor__username", "actor__display_name"]
    list_select_related = ["actor"]
    date_hierarchy = "created"


admin.site.register(Interest)

admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The role groups and their permissions come from `community.roles` (`ensure_role_groups`):
    edited here they would drift until the next migrate, and deleted, no account could get a role."""

    def _is_role(self, obj) -> bool:
        return obj is not None and obj.name in {role.value for role in Role}

    def has_change_permission(self, request, obj=None):
        return not self._is_role(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # No bulk delete (obj=None): it would not ask about each group.
        return obj is not None and not self._is_role(obj) and super().has_delete_permission(request, obj)
