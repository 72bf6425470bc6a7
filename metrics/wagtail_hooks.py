"""Managers name the business needs in /cms/ (Snippets → Business needs) and set the value model
(Settings → Value model)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import BusinessNeed, ReportSubscription


class BusinessNeedViewSet(SnippetViewSet):
    model = BusinessNeed
    icon = "tasks"
    menu_label = "Business needs"
    list_display = ["name", "position"]
    add_to_admin_menu = True


register_snippet(BusinessNeedViewSet)


class ReportSubscriptionViewSet(SnippetViewSet):
    model = ReportSubscription
    icon = "mail"
    menu_label = "Report subscriptions"
    list_display = ["reader", "frequency", "include_staff", "last_period_end"]
    add_to_admin_menu = True


register_snippet(ReportSubscriptionViewSet)
