from django.urls import path, re_path

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.group_list, name="groups"),
    path("new-group/", views.group_create, name="group-create"),
    path("search/", views.search, name="search"),
    path("moderation/", views.moderation, name="moderation"),
    path("people/<str:handle>/", views.member_standing, name="member-standing"),
    re_path(
        r"^memberships/(?P<membership_id>\d+)/(?P<answer>approve|decline)/$",
        views.membership_decide,
        name="membership-decide",
    ),
    re_path(
        r"^threads/(?P<thread_id>\d+)/(?P<action>lock|unlock|pin|unpin)/$",
        views.thread_moderate,
        name="thread-moderate",
    ),
    path("polls/<int:poll_id>/", views.poll_detail, name="poll"),
    path("polls/<int:poll_id>/vote/", views.poll_vote, name="vote"),
    path("posts/<int:post_id>/react/<str:kind>/", views.react, name="react"),
    path("posts/<int:post_id>/accept/", views.accept, name="accept"),
    path("posts/<int:post_id>/edit/", views.edit_post, name="edit-post"),
    path("posts/<int:post_id>/history/", views.post_history, name="post-history"),
    path("posts/<int:post_id>/flag/", views.flag, name="flag"),
    re_path(
        r"^posts/(?P<post_id>\d+)/(?P<action>hide|restore|approve|dismiss-flags)/$",
        views.moderate_post,
        name="moderate-post",
    ),
    path("<slug:slug>/", views.group_detail, name="group"),
    path("<slug:slug>/settings/", views.group_settings, name="group-settings"),
    path("<slug:slug>/join/", views.group_join, name="group-join"),
    path("<slug:slug>/leave/", views.group_leave, name="group-leave"),
    path("<slug:slug>/members/", views.group_members, name="group-members"),
    path("<slug:slug>/new/", views.thread_create, name="thread-create"),
    path("<slug:slug>/<int:thread_id>/", views.thread_detail, name="thread"),
]
