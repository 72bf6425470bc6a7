"""The forums API, under /api/v1/forums/."""

from django.urls import path

from .api import groups, moderation, posting, search

urlpatterns = [
    path("groups/", groups.GroupList.as_view(), name="api-forums-groups"),
    path("groups/<slug:slug>/", groups.GroupDetail.as_view(), name="api-forums-group"),
    path("groups/<slug:slug>/join/", groups.GroupJoin.as_view(), name="api-forums-group-join"),
    path("groups/<slug:slug>/leave/", groups.GroupLeave.as_view(), name="api-forums-group-leave"),
    path("groups/<slug:slug>/memberships/", groups.GroupMemberships.as_view(), name="api-forums-group-memberships"),
    path("groups/<slug:slug>/invitations/", groups.GroupInvitations.as_view(), name="api-forums-group-invitations"),
    path("groups/<slug:slug>/threads/", posting.GroupThreads.as_view(), name="api-forums-group-threads"),
    path("groups/<slug:slug>/mentionable/", groups.GroupMentionable.as_view(), name="api-forums-group-mentionable"),
    *[
        path(
            f"memberships/<int:membership_id>/{answer}/",
            groups.MembershipDecision.as_view(),
            {"answer": answer},
            name=f"api-forums-membership-{answer}",
        )
        for answer in ("approve", "decline")
    ],
    path("threads/<int:thread_id>/", posting.ThreadDetail.as_view(), name="api-forums-thread"),
    path("threads/<int:thread_id>/posts/", posting.ThreadPosts.as_view(), name="api-forums-thread-posts"),
    *[
        path(
            f"threads/<int:thread_id>/{action}/",
            moderation.ThreadModeration.as_view(),
            {"action": action},
            name=f"api-forums-thread-{action}",
        )
        for action in ("lock", "unlock", "pin", "unpin")
    ],
    path("posts/<int:post_id>/", posting.PostDetail.as_view(), name="api-forums-post"),
    path("posts/<int:post_id>/revisions/", posting.PostRevisions.as_view(), name="api-forums-post-revisions"),
    path("posts/<int:post_id>/reactions/", posting.PostReactions.as_view(), name="api-forums-post-reactions"),
    path("posts/<int:post_id>/accept/", posting.PostAccept.as_view(), name="api-forums-post-accept"),
    path("posts/<int:post_id>/flags/", moderation.PostFlags.as_view(), name="api-forums-post-flags"),
    path("posts/<int:post_id>/approve/", moderation.PostApproval.as_view(), name="api-forums-post-approve"),
    *[
        path(
            f"posts/<int:post_id>/{action}/",
            moderation.PostModeration.as_view(),
            {"action": action},
            name=f"api-forums-post-{action}",
        )
        for action in ("hide", "restore", "dismiss-flags")
    ],
    path("polls/<int:poll_id>/votes/", posting.PollVotes.as_view(), name="api-forums-poll-votes"),
    path("moderation/", moderation.ModerationQueue.as_view(), name="api-forums-moderation"),
    path("people/<str:handle>/suspension/", moderation.MemberSuspension.as_view(), name="api-forums-suspension"),
    path("people/<str:handle>/trust/", moderation.MemberTrust.as_view(), name="api-forums-trust"),
    path("search/", search.Search.as_view(), name="api-forums-search"),
]
