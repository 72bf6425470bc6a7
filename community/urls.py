from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.views import serve as wagtail_serve

from content import views as content_views
from content.api import wagtail_api
from members import mail_views, reciprocity_views, signin_views

from . import health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("pay-it-back/", reciprocity_views.pay_it_back, name="pay-it-back"),
    path("pay-it-back/<int:give_id>/thank/", reciprocity_views.thank, name="thank"),
    path("pay-it-back/<int:give_id>/dismiss/", reciprocity_views.dismiss, name="dismiss"),
    path("notifications/", reciprocity_views.notifications, name="notifications"),
    path("requests/", reciprocity_views.waiting_requests, name="requests"),
    re_path(
        r"^requests/connections/(?P<connection_id>\d+)/(?P<answer>accept|decline)/$",
        reciprocity_views.answer_connection,
        name="answer-connection",
    ),
    re_path(
        r"^requests/introductions/(?P<introduction_id>\d+)/(?P<answer>accept|decline)/$",
        reciprocity_views.answer_introduction,
        name="answer-introduction",
    ),
    re_path(
        r"^requests/recommendations/(?P<recommendation_id>\d+)/(?P<answer>approve|decline)/$",
        reciprocity_views.answer_recommendation,
        name="answer-recommendation",
    ),
    path("mail/unsubscribe/<str:token>/", mail_views.unsubscribe, name="mail-unsubscribe"),
    path("notifications/read/", reciprocity_views.mark_notifications_read, name="notifications-read"),
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
    path("search/", content_views.search, name="search"),
    # Sign-in happens at allauth's page only, under its rules (verified e-mail, lockout, rate limits).
    path("cms/login/", signin_views.to_sign_in),
    re_path(r"^cms/password_reset/", signin_views.to_password_reset),
    path("admin/login/", signin_views.to_sign_in),
    path("_util/login/", signin_views.to_sign_in),  # Wagtail's front-end login, for restricted pages
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
