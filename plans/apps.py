from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "90-day engagement plans"

    def ready(self):
        from django.db.models.signals import post_migrate

        from community.roles import ensure_role_groups
        from metrics import registry

        from . import reports

        # Metrics never imports plans: plans adds its period and sections to metrics' registry.
        registry.period_providers.append(reports.plan_period)
        registry.dashboard_sections.append(reports.dashboard_section)
        registry.report_sections.append(reports.report_section)
        # The roles' permissions on plans exist once this app migrated.
        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="plans.ensure_role_groups")
