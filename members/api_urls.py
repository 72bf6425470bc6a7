from django.urls import path

from . import api, leaving_api, mail_api, reciprocity_api, signin_api

urlpatterns = [
    path("auth/token/", signin_api.obtain_token, name="api-token"),
    path("me/", api.Me.as_view(), name="api-me"),
    path("me/data-export/", leaving_api.MyDataExport.as_view(), name="api-data-export"),
    path("me/deactivate/", leaving_api.Deactivate.as_view(), name="api-deactivate"),
    path("me/delete/", leaving_api.DeleteAccount.as_view(), name="api-delete-account"),
    path("me/mail-preferences/", mail_api.MailPreferences.as_view(), name="api-mail-preferences"),
    path("members/", api.MemberList.as_view(), name="api-members"),
    path("members/<str:handle>/", api.MemberDetail.as_view(), name="api-member"),
    path("members/<str:handle>/role/", api.MemberRole.as_view(), name="api-member-role"),
    path("members/<str:handle>/follow/", reciprocity_api.FollowMember.as_view(), name="api-follow"),
    path("members/<str:handle>/reciprocity/", reciprocity_api.MemberReciprocity.as_view(), name="api-reciprocity"),
    path("skills/", api.SkillList.as_view(), name="api-skills"),
    path("skills/<slug:slug>/approve/", api.SkillApprove.as_view(), name="api-skill-approve"),
    path("skills/<slug:slug>/rename/", api.SkillRename.as_view(), name="api-skill-rename"),
    path("skills/<slug:slug>/merge/", api.SkillMerge.as_view(), name="api-skill-merge"),
    path("gives/owed/", reciprocity_api.OwedList.as_view(), name="api-owed"),
    path("gives/<int:give_id>/thank/", reciprocity_api.Thank.as_view(), name="api-thank"),
    path("gives/<int:give_id>/dismiss/", reciprocity_api.Dismiss.as_view(), name="api-dismiss"),
    path("endorsements/", reciprocity_api.Endorse.as_view(), name="api-endorse"),
    path("notifications/", reciprocity_api.NotificationList.as_view(), name="api-notifications"),
    path("notifications/read/", reciprocity_api.NotificationsRead.as_view(), name="api-notifications-read"),
    path("recommendations/", reciprocity_api.Recommend.as_view(), name="api-recommend"),
    *[
        path(
            f"recommendations/<int:recommendation_id>/{answer}/",
            reciprocity_api.AnswerRecommendation.as_view(),
            {"answer": answer},
            name=f"api-recommendation-{answer}",
        )
        for answer in ("approve", "decline")
    ],
    path("connections/", reciprocity_api.Connect.as_view(), name="api-connect"),
    *[
        path(
            f"connections/<int:connection_id>/{answer}/",
            reciprocity_api.AnswerConnection.as_view(),
            {"answer": answer},
            name=f"api-connection-{answer}",
        )
        for answer in ("accept", "decline")
    ],
    path("introductions/", reciprocity_api.Introduce.as_view(), name="api-introduce"),
    *[
        path(
            f"introductions/<int:introduction_id>/{answer}/",
            reciprocity_api.AnswerIntroduction.as_view(),
            {"answer": answer},
            name=f"api-introduction-{answer}",
        )
        for answer in ("accept", "decline")
    ],
    path("requests/", reciprocity_api.Waiting.as_view(), name="api-requests"),
]
