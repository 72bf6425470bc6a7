"""The forums' running totals, kept by the services, are exactly what synchronize_forums rebuilds."""

import pytest
from django.core.management import call_command

from forums import services
from forums.models import Group, Participant, PollOption, Post, Thread, TrustLevel
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db

TOTALS = {
    Group: ["thread_count", "post_count", "member_count"],
    Thread: ["post_count"],
    Post: ["like_count", "helpful_count", "insightful_count"],
    PollOption: ["vote_count"],
    Participant: ["post_count", "reactions_received"],
}


def snapshot():
    return {model: list(model.objects.order_by("pk").values_list("pk", *fields)) for model, fields in TOTALS.items()}


def test_synchronize_forums_rebuilds_what_the_services_keep():
    # Given a group with threads, replies, a held post, reactions and a poll, all through the services
    ana, ben, newcomer = MemberFactory(), MemberFactory(), MemberFactory()
    group = make_group(members=[ana, ben, newcomer])
    services.set_trust_level(
        actor=MemberFactory(role="community manager"), member=ben, level=TrustLevel.BASIC, reason="Known"
    )
    thread = make_thread(
        group=group, author=ana, poll=services.PollSpec(question="Which day?", options=["Tuesday", "Thursday"])
    )
    answer = services.reply(author=ben, thread=thread, body="Tuesday evenings work for most of us.")
    services.reply(author=newcomer, thread=thread, body="See https://example.org/ for ours")  # held
    services.react(member=ana, post=answer, kind="helpful")
    services.react(member=newcomer, post=answer, kind="like")
    services.vote(member=ben, poll=thread.poll, option_ids=[thread.poll.options.first().pk])
    kept = snapshot()

    # When every total is wrong and the command rebuilds them
    Group.objects.update(thread_count=99, post_count=99, member_count=99)
    Thread.objects.update(post_count=99)
    Post.objects.update(like_count=9, helpful_count=9, insightful_count=9)
    PollOption.objects.update(vote_count=9)
    Participant.objects.update(post_count=99, reactions_received=99)
    call_command("synchronize_forums")

    # Then they are what the services kept
    assert snapshot() == kept
    group.refresh_from_db()
    assert (group.thread_count, group.post_count) == (1, 2)  # the held post was never published
