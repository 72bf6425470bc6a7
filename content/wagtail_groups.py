"""Who edits what in /cms/ (Wagtail's page and collection permissions for our roles) and the
editorial workflow. Managers and administrators edit and publish; moderators may draft and submit;
members never reach the admin. Runs after every migrate, so it never drifts."""

from django.contrib.auth.models import Group, Permission

from community.roles import Role

PAGE_PERMISSIONS = {
    Role.MANAGER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"],
    Role.ADMINISTRATOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"],
    Role.MODERATOR: ["add_page", "change_page"],
}
_MEDIA = ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"]
COLLECTION_PERMISSIONS = {
    Role.MANAGER: [*_MEDIA, "delete_image", "delete_document"],
    Role.ADMINISTRATOR: [*_MEDIA, "delete_image", "delete_document"],
    Role.MODERATOR: ["add_image", "choose_image", "add_document", "choose_document"],
}
REVIEWERS = [Role.MANAGER, Role.ADMINISTRATOR]


def ensure_editor_permissions(**kwargs) -> None:
    from wagtail.models import (
        Collection,
        GroupApprovalTask,
        GroupCollectionPermission,
        GroupPagePermission,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    from community.roles import ensure_role_groups

    from .site import ensure_site

    ensure_role_groups()  # the roles' content permissions exist only once this app has migrated
    home = ensure_site()
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    for role, codenames in PAGE_PERMISSIONS.items():
        for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
            GroupPagePermission.objects.get_or_create(group=groups[role], page=home, permission=permission)
    for role, codenames in COLLECTION_PERMISSIONS.items():
        for permission in Permission.objects.filter(
            codename__in=codenames, content_type__app_label__in=["wagtailimages", "wagtaildocs"]
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=groups[role], collection=collection, permission=permission
            )

    workflow, _ = Workflow.objects.get_or_create(name="Editorial review")
    task, _ = GroupApprovalTask.objects.get_or_create(name="Community manager approval")
    task.groups.set([groups[role] for role in REVIEWERS])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
