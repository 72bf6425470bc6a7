"""Members' pages under /members/ (namespace `members`). The pages at the site's top level are in
members.root_urls, the API in members.api_urls."""

from django.urls import path, re_path

from .views import audit, follows, leaving, mail, profiles, reciprocity, relations

app_name = "members"

urlpatterns = [
    path("", profiles.directory, name="directory"),
    path("me/edit/", profiles.edit_profile, name="edit-profile"),
    path("me/settings/", mail.settings_page, name="settings"),
    path("me/reciprocity/", reciprocity.my_reciprocity, name="my-reciprocity"),
    path("me/account/", leaving.account, name="account"),
    path("me/data/", leaving.request_my_data, name="request-data"),
    path("me/data/<str:token>/", leaving.download_export, name="download-export"),
    path("me/deactivate/", leaving.deactivate, name="deactivate"),
    path("me/delete/", leaving.delete, name="delete"),
    path("me/come-back/", leaving.come_back, name="come-back"),
    path("former/", leaving.former_member, name="former-member"),
    path("export/", leaving.community_export, name="community-export"),
    path("skills/review/", profiles.skill_review, name="skill-review"),
    path("audit/", audit.audit_log, name="audit"),
    re_path(r"^skills/(?P<slug>[-\w]+)/(?P<action>approve|rename|merge)/$", profiles.skill_action, name="skill-action"),
    path("<str:handle>/", profiles.profile, name="profile"),
    path("<str:handle>/role/", profiles.change_role, name="change-role"),
    path("<str:handle>/endorse/", reciprocity.endorse, name="endorse"),
    path("<str:handle>/connect/", relations.connect, name="connect"),
    path("<str:handle>/follow/", follows.follow, name="follow"),
    path("<str:handle>/unfollow/", follows.unfollow, name="unfollow"),
    path("<str:handle>/recommend/", relations.recommend, name="recommend"),
    path("<str:handle>/introduce/", relations.introduce, name="introduce"),
    path("<str:handle>/reciprocity/", reciprocity.my_reciprocity, name="reciprocity"),
]
