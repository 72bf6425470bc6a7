"""Wagtail's user management writes accounts around the services (roles without `set_role` or its
audit, profiles without the search document, deletes that cascade through others' replies): send
administrators to the Django admin, whose writes go through the services."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from .models import Member

ELSEWHERE = "Accounts are managed in the Django admin, which keeps roles, their audit and the directory right."


@hooks.register("before_create_user")
def create_in_the_django_admin(request):
    messages.info(request, ELSEWHERE)
    return redirect("admin:members_member_add")


@hooks.register("before_edit_user")
def edit_in_the_django_admin(request, user):
    messages.info(request, ELSEWHERE)
    return redirect("admin:members_member_change", user.pk)


@hooks.register("before_delete_user")
def refuse_to_delete(request, user):
    messages.error(request, "Members cannot be deleted yet: that would take others' replies with them.")
    return redirect("admin:members_member_change", user.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_role_and_delete(request, action_type, objects, action_class_instance):
    if action_class_instance.model is Member and action_type in {"delete", "assign_role"}:
        messages.error(request, ELSEWHERE)
        return redirect("admin:members_member_changelist")
    return None
