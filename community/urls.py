"""The project's addresses: every app's URL modules, and what belongs to no app (health, allauth, the
API schema and its docs, Wagtail's admin and documents, the Django admin, media when this process
serves it, and the page tree, which serves every other path)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.views import serve as wagtail_serve

from content.api import wagtail_api

from . import health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    # Before Wagtail and the admin: members' top-level pages include the sign-in pages that replace theirs.
    path("", include("members.root_urls")),
    path("forums/", include("forums.urls")),
    path("api/v1/", include("members.api_urls")),
    path("api/v1/forums/", include("forums.api_urls")),
    path("api/v1/content/", include("content.api_urls")),
    path("api/v2/", wagtail_api.urls),
    path("content/", include("content.urls")),
    path("metrics/", include("metrics.urls")),
    path("api/v1/metrics/", include("metrics.api_urls")),
    path("plans/", include("plans.urls")),
    path("api/v1/plans/", include("plans.api_urls")),
    path("", include("content.root_urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own: no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", views.media)]

# Wagtail serves every other path from the page tree, the home page first.
urlpatterns += [path("", wagtail_serve, {"path": ""}, name="home"), path("", include(wagtail_urls))]
