"""The forums' running totals, kept by the services, are exactly what synchronize_forums rebuilds."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Case, Value, When

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


ACTIVITY = {Thread: ["last_activity_at", "last_poster_id", "awaits_author"], Group: ["last_activity_at"]}


def activity_snapshot():
    return {model: list(model.objects.order_by("pk").values_list("pk", *fields)) for model, fields in ACTIVITY.items()}


def test_synchronize_forums_rebuilds_who_posted_last_when_and_whether_the_author_owes_an_answer():
    # Given threads last moved on by someone else, by their author, by an approved held post (it went
    # live when approved, after a later reply), by a post hidden since, and one whose opening is held
    ana, ben, newcomer = MemberFactory(), MemberFactory(), MemberFactory()
    moderator = MemberFactory(role="community manager")
    group = make_group(manager=moderator, members=[ana, ben, newcomer])
    make_group(manager=moderator)  # a group nobody posted in: no last activity
    answered = make_thread(group=group, author=ana, title="Who answered?")
    services.reply(author=ben, thread=answered, body="I did.")
    own_last = make_thread(group=group, author=ana, title="Who posted last?")
    services.reply(author=ben, thread=own_last, body="Me first.")
    services.reply(author=ana, thread=own_last, body="And me after you.")
    approved_late = make_thread(group=group, author=ana, title="Which links help?")
    held = services.reply(author=newcomer, thread=approved_late, body="See https://example.org/ for ours")
    services.reply(author=ben, thread=approved_late, body="Ours are in the wiki.")
    services.approve_post(moderator=moderator, post=held)
    hidden_since = make_thread(group=group, author=ana, title="Anything else?")
    unwelcome = services.reply(author=ben, thread=hidden_since, body="Something off topic.")
    services.hide_post(moderator=moderator, post=unwelcome, reason="Off topic")
    opening_held = make_thread(group=group, author=newcomer, title="My links", body="https://example.org/ and more")
    kept = activity_snapshot()

    # When every one of them is wrong and the command rebuilds them
    Thread.objects.update(last_activity_at=opening_held.created - timedelta(days=30), last_poster=None)
    Thread.objects.update(awaits_author=Case(When(awaits_author=True, then=Value(False)), default=Value(True)))
    Group.objects.update(last_activity_at=None)
    call_command("synchronize_forums")

    # Then they are what the services kept
    assert activity_snapshot() == kept
    rows = {t.pk: (t.last_poster_id, t.awaits_author) for t in Thread.objects.all()}
    assert rows[answered.pk] == (ben.pk, True)
    assert rows[own_last.pk] == (ana.pk, False)
    assert rows[approved_late.pk] == (newcomer.pk, True)
    assert rows[hidden_since.pk] == (ben.pk, True)
    assert rows[opening_held.pk] == (newcomer.pk, False)
    assert Thread.objects.get(pk=opening_held.pk).last_activity_at == opening_held.created
