from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Metrics and reports"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from community.roles import ensure_role_groups

        from . import services

        user_logged_in.connect(services.visit_on_sign_in, dispatch_uid="metrics.visit_on_sign_in")
        # The managers' permissions on business needs and the value model exist once this app migrated.
        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="metrics.ensure_role_groups")

        from . import member_data

        member_data.register()

        from members.mailing import register_seen_source

        from .selectors import last_visit_day

        register_seen_source(last_visit_day)  # a visit counts as seen: older notifications are not mailed
