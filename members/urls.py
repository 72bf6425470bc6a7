from django.urls import path, re_path

from . import leaving_views, mail_views, reciprocity_views, views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/edit/", views.edit_profile, name="edit-profile"),
    path("me/settings/", mail_views.settings_page, name="settings"),
    path("me/reciprocity/", reciprocity_views.my_reciprocity, name="my-reciprocity"),
    path("me/account/", leaving_views.account, name="account"),
    path("me/data/", leaving_views.request_my_data, name="request-data"),
    path("me/data/<str:token>/", leaving_views.download_export, name="download-export"),
    path("me/deactivate/", leaving_views.deactivate, name="deactivate"),
    path("me/delete/", leaving_views.delete, name="delete"),
    path("me/come-back/", leaving_views.come_back, name="come-back"),
    path("former/", leaving_views.former_member, name="former-member"),
    path("export/", leaving_views.community_export, name="community-export"),
    path("skills/review/", views.skill_review, name="skill-review"),
    path("audit/", views.audit_log, name="audit"),
    re_path(r"^skills/(?P<slug>[-\w]+)/(?P<action>approve|rename|merge)/$", views.skill_action, name="skill-action"),
    path("<str:handle>/", views.profile, name="profile"),
    path("<str:handle>/role/", views.change_role, name="change-role"),
    path("<str:handle>/endorse/", reciprocity_views.endorse, name="endorse"),
    path("<str:handle>/connect/", reciprocity_views.connect, name="connect"),
    path("<str:handle>/follow/", reciprocity_views.follow, name="follow"),
    path("<str:handle>/unfollow/", reciprocity_views.unfollow, name="unfollow"),
    path("<str:handle>/recommend/", reciprocity_views.recommend, name="recommend"),
    path("<str:handle>/introduce/", reciprocity_views.introduce, name="introduce"),
    path("<str:handle>/reciprocity/", reciprocity_views.my_reciprocity, name="reciprocity"),
]
