from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from . import api

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", api.Me.as_view(), name="api-me"),
    path("members/", api.MemberList.as_view(), name="api-members"),
    path("members/<str:handle>/", api.MemberDetail.as_view(), name="api-member"),
    path("members/<str:handle>/role/", api.MemberRole.as_view(), name="api-member-role"),
    path("skills/", api.SkillList.as_view(), name="api-skills"),
    path("skills/<slug:slug>/approve/", api.SkillApprove.as_view(), name="api-skill-approve"),
    path("skills/<slug:slug>/rename/", api.SkillRename.as_view(), name="api-skill-rename"),
    path("skills/<slug:slug>/merge/", api.SkillMerge.as_view(), name="api-skill-merge"),
]
