"""The notifications page, and marking them all read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services


@login_required
def notifications(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    notifications = selectors.describe_notifications(page.object_list)
    return render(request, "members/notifications.html", {"page": page, "notifications": notifications})


@login_required
@require_POST
def mark_notifications_read(request):
    services.mark_notifications_read(member=request.user)
    return redirect("notifications")
