from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ForumsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forums"

    def ready(self):
        from community.roles import ensure_role_groups

        from . import give_subjects  # noqa: F401  (names the forum's gives on Pay it back)

        # Roles hold forum permissions too, which exist only once this app has migrated.
        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="forums.ensure_role_groups")

        from . import member_data

        member_data.register()  # posts, threads, reactions… in a member's archive; erased on deletion

        from members.activity import register_activity_source
        from members.mailing import register_digest_source
        from members.waiting import register_waiting_source

        from . import selectors

        register_waiting_source(selectors.pay_it_back_sections)  # questions, mentions, replies (rule 3)
        register_activity_source(selectors.forum_activity_of)  # asks and own promotion (rule 5)
        register_digest_source(selectors.best_threads_for_digest)  # the week's best threads in a digest
