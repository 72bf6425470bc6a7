"""Members' pages at the site's top level, without a namespace: Pay it back, notifications, the
requests waiting for an answer, the unsubscribe link of every mail, and the other sign-in pages
(Wagtail's, the Django admin's), which hand over to allauth's so that sign-in happens there only,
under its rules (verified e-mail, lockout, rate limits). community.urls includes this module before
Wagtail and the admin, so that these sign-in paths win."""

from django.urls import path, re_path

from .views import mail, notifications, reciprocity, relations, signin

urlpatterns = [
    path("pay-it-back/", reciprocity.pay_it_back, name="pay-it-back"),
    path("pay-it-back/<int:give_id>/thank/", reciprocity.thank, name="thank"),
    path("pay-it-back/<int:give_id>/dismiss/", reciprocity.dismiss, name="dismiss"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.mark_notifications_read, name="notifications-read"),
    path("requests/", relations.waiting_requests, name="requests"),
    re_path(
        r"^requests/connections/(?P<connection_id>\d+)/(?P<answer>accept|decline)/$",
        relations.answer_connection,
        name="answer-connection",
    ),
    re_path(
        r"^requests/introductions/(?P<introduction_id>\d+)/(?P<answer>accept|decline)/$",
        relations.answer_introduction,
        name="answer-introduction",
    ),
    re_path(
        r"^requests/recommendations/(?P<recommendation_id>\d+)/(?P<answer>approve|decline)/$",
        relations.answer_recommendation,
        name="answer-recommendation",
    ),
    path("mail/unsubscribe/<str:token>/", mail.unsubscribe, name="mail-unsubscribe"),
    path("cms/login/", signin.to_sign_in),
    re_path(r"^cms/password_reset/", signin.to_password_reset),
    path("admin/login/", signin.to_sign_in),
    path("_util/login/", signin.to_sign_in),  # Wagtail's front-end login, for restricted pages
]
