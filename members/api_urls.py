"""The members API under /api/v1/; its views are in members.api, one module per subject."""

from django.urls import path

from .api import follows, leaving, mail, notifications, profiles, reciprocity, relations, signin

urlpatterns = [
    path("auth/token/", signin.obtain_token, name="api-token"),
    path("me/", profiles.Me.as_view(), name="api-me"),
    path("me/data-export/", leaving.MyDataExport.as_view(), name="api-data-export"),
    path("me/deactivate/", leaving.Deactivate.as_view(), name="api-deactivate"),
    path("me/delete/", leaving.DeleteAccount.as_view(), name="api-delete-account"),
    path("me/mail-preferences/", mail.MailPreferences.as_view(), name="api-mail-preferences"),
    path("members/", profiles.MemberList.as_view(), name="api-members"),
    path("members/<str:handle>/", profiles.MemberDetail.as_view(), name="api-member"),
    path("members/<str:handle>/role/", profiles.MemberRole.as_view(), name="api-member-role"),
    path("members/<str:handle>/follow/", follows.FollowMember.as_view(), name="api-follow"),
    path("members/<str:handle>/reciprocity/", reciprocity.MemberReciprocity.as_view(), name="api-reciprocity"),
    path("skills/", profiles.SkillList.as_view(), name="api-skills"),
    path("skills/<slug:slug>/approve/", profiles.SkillApprove.as_view(), name="api-skill-approve"),
    path("skills/<slug:slug>/rename/", profiles.SkillRename.as_view(), name="api-skill-rename"),
    path("skills/<slug:slug>/merge/", profiles.SkillMerge.as_view(), name="api-skill-merge"),
    path("gives/owed/", reciprocity.OwedList.as_view(), name="api-owed"),
    path("gives/<int:give_id>/thank/", reciprocity.Thank.as_view(), name="api-thank"),
    path("gives/<int:give_id>/dismiss/", reciprocity.Dismiss.as_view(), name="api-dismiss"),
    path("endorsements/", reciprocity.Endorse.as_view(), name="api-endorse"),
    path("notifications/", notifications.NotificationList.as_view(), name="api-notifications"),
    path("notifications/read/", notifications.NotificationsRead.as_view(), name="api-notifications-read"),
    path("recommendations/", relations.Recommend.as_view(), name="api-recommend"),
    *[
        path(
            f"recommendations/<int:recommendation_id>/{answer}/",
            relations.AnswerRecommendation.as_view(),
            {"answer": answer},
            name=f"api-recommendation-{answer}",
        )
        for answer in ("approve", "decline")
    ],
    path("connections/", relations.Connect.as_view(), name="api-connect"),
    *[
        path(
            f"connections/<int:connection_id>/{answer}/",
            relations.AnswerConnection.as_view(),
            {"answer": answer},
            name=f"api-connection-{answer}",
        )
        for answer in ("accept", "decline")
    ],
    path("introductions/", relations.Introduce.as_view(), name="api-introduce"),
    *[
        path(
            f"introductions/<int:introduction_id>/{answer}/",
            relations.AnswerIntroduction.as_view(),
            {"answer": answer},
            name=f"api-introduction-{answer}",
        )
        for answer in ("accept", "decline")
    ],
    path("requests/", relations.Waiting.as_view(), name="api-requests"),
]
