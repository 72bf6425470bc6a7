"""The audit log page: privileged changes, newest first, for those who may read it. The entries
are written by the services that make the changes (members.services.audit)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .. import selectors

AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request):
    selectors.check_view_audit_permission(request.user)
    page = Paginator(selectors.audit_log(), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/audit_log.html", {"page": page, "entries": page.object_list})
