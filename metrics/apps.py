from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Metrics and reports"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import services

        user_logged_in.connect(services.visit_on_sign_in, dispatch_uid="metrics.visit_on_sign_in")
