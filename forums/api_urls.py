"""The forums API, under /api/v1/forums/."""

from django.urls import path

from . import api

urlpatterns = [
    path("groups/", api.GroupList.as_view(), name="api-forums-groups"),
    path("groups/<slug:slug>/", api.GroupDetail.as_view(), name="api-forums-group"),
    path("groups/<slug:slug>/join/", api.GroupJoin.as_view(), name="api-forums-group-join"),
    path("groups/<slug:slug>/leave/", api.GroupLeave.as_view(), name="api-forums-group-leave"),
    path("groups/<slug:slug>/memberships/", api.GroupMemberships.as_view(), name="api-forums-group-memberships"),
    path("groups/<slug:slug>/invitations/", api.GroupInvitations.as_view(), name="api-forums-group-invitations"),
    path("groups/<slug:slug>/threads/", api.GroupThreads.as_view(), name="api-forums-group-threads"),
    path("groups/<slug:slug>/mentionable/", api.GroupMentionable.as_view(), name="api-forums-group-mentionable"),
    *[
        path(
            f"memberships/<int:membership_id>/{answer}/",
            api.MembershipDecision.as_view(),
            {"answer": answer},
            name=f"api-forums-membership-{answer}",
        )
        for answer in ("approve", "decline")
    ],
    path("threads/<int:thread_id>/", api.ThreadDetail.as_view(), name="api-forums-thread"),
    path("threads/<int:thread_id>/posts/", api.ThreadPosts.as_view(), name="api-forums-thread-posts"),
    *[
        path(
            f"threads/<int:thread_id>/{action}/",
            api.ThreadModeration.as_view(),
            {"action": action},
            name=f"api-forums-thread-{action}",
        )
        for action in ("lock", "unlock", "pin", "unpin")
    ],
    path("posts/<int:post_id>/", api.PostDetail.as_view(), name="api-forums-post"),
    path("posts/<int:post_id>/revisions/", api.PostRevisions.as_view(), name="api-forums-post-revisions"),
    path("posts/<int:post_id>/reactions/", api.PostReactions.as_view(), name="api-forums-post-reactions"),
    path("posts/<int:post_id>/accept/", api.PostAccept.as_view(), name="api-forums-post-accept"),
    path("posts/<int:post_id>/flags/", api.PostFlags.as_view(), name="api-forums-post-flags"),
    path("posts/<int:post_id>/approve/", api.PostApproval.as_view(), name="api-forums-post-approve"),
    *[
        path(
            f"posts/<int:post_id>/{action}/",
            api.PostModeration.as_view(),
            {"action": action},
            name=f"api-forums-post-{action}",
        )
        for action in ("hide", "restore", "dismiss-flags")
    ],
    path("polls/<int:poll_id>/votes/", api.PollVotes.as_view(), name="api-forums-poll-votes"),
    path("moderation/", api.ModerationQueue.as_view(), name="api-forums-moderation"),
    path("people/<str:handle>/suspension/", api.MemberSuspension.as_view(), name="api-forums-suspension"),
    path("people/<str:handle>/trust/", api.MemberTrust.as_view(), name="api-forums-trust"),
    path("search/", api.Search.as_view(), name="api-forums-search"),
]
