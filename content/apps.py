from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "content"

    def ready(self):
        from wagtail.signals import page_published

        from . import give_subjects, services, wagtail_groups  # noqa: F401  (give_subjects names shares and credits)

        page_published.connect(services.page_went_live, dispatch_uid="content.page_went_live")
        post_migrate.connect(wagtail_groups.ensure_editor_permissions, sender=self, dispatch_uid="content.wagtail_groups")

        from . import member_data

        member_data.register()

        from forums.post_actions import PostAction, register_post_action

        # Managers pick posts for the next digest from under the post itself.
        register_post_action(
            PostAction(label="Add to digest", url_name="content:add-to-digest", permission="content.add_digestselection")
        )
