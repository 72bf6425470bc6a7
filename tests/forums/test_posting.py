"""Threads, replies, reactions, accepted answers, polls and mentions: the rules and the gives they record."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from community.roles import Role
from forums import selectors, services
from forums.errors import ForumError, RateLimited
from forums.models import Mention, Participant, PollVote, Post, Reaction, Thread, TrustLevel
from members.models import Give, Notification
from tests.factories import MemberFactory, make_group, make_member_of, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker():
    return MemberFactory(handle="asker")


@pytest.fixture
def helper():
    return MemberFactory(handle="helper")


@pytest.fixture
def question(asker, helper):
    group = make_group(members=[asker, helper])
    return make_thread(group=group, author=asker, kind=Thread.Kind.QUESTION, title="How do we onboard?")


def test_a_reply_to_someone_elses_thread_is_a_give_to_its_author(question, asker, helper):
    post = services.reply(author=helper, thread=question, body="Pair every newcomer with a buddy for two weeks.")
    give = Give.objects.get(kind=Give.Kind.REPLY)
    assert (give.giver, give.receiver, give.subject, give.weight) == (helper, asker, post, 1.0)
    question.refresh_from_db()
    assert (question.post_count, question.last_poster, question.awaits_author) == (2, helper, True)


def test_a_reply_that_says_nothing_counts_for_little(question, helper):
    services.reply(author=helper, thread=question, body="Great post!")
    give = Give.objects.get(kind=Give.Kind.REPLY)
    assert give.weight < 0.5 and "formula" in give.flags


def test_replying_in_your_own_thread_is_no_give_and_answers_what_waited(question, asker, helper):
    services.reply(author=helper, thread=question, body="What have you tried so far?")
    services.reply(author=asker, thread=question, body="A welcome e-mail, which nobody reads.")
    assert Give.objects.filter(giver=asker, kind=Give.Kind.REPLY).count() == 0
    question.refresh_from_db()
    assert question.awaits_author is False


def test_a_reply_to_a_post_is_a_give_to_that_posts_author(question, asker, helper):
    third = MemberFactory()
    make_member_of(question.group, third)
    answer = services.reply(author=helper, thread=question, body="Buddies work for us.")
    services.reply(author=third, thread=question, body="How many buddies per newcomer?", reply_to=answer)
    give = Give.objects.get(giver=third)
    assert give.receiver == helper


def test_posting_needs_membership_an_open_thread_and_no_suspension(question, helper):
    outsider = MemberFactory()
    with pytest.raises(PermissionDenied, match="Join"):
        services.reply(author=outsider, thread=question, body="Let me in")
    moderator = MemberFactory(role=Role.MODERATOR)
    services.lock_thread(moderator=moderator, thread=question, locked=True, reason="Answered elsewhere")
    question.refresh_from_db()
    with pytest.raises(PermissionDenied, match="locked"):
        services.reply(author=helper, thread=question, body="One more thing")
    assert Post.objects.filter(thread=question).count() == 1


def test_a_suspended_member_cannot_post(question, helper):
    services.suspend_member(moderator=MemberFactory(role=Role.MODERATOR), member=helper, days=3, reason="Spam")
    with pytest.raises(PermissionDenied, match="suspended"):
        services.reply(author=helper, thread=question, body="Still here")


def test_empty_and_over_long_bodies_are_refused_with_a_message(question, helper):
    for body, message in (("   ", "Write something"), ("x" * 20001, "at most 20,000")):
        with pytest.raises(ForumError, match=message):
            services.reply(author=helper, thread=question, body=body)
    assert question.posts.count() == 1


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '"><script>alert(1)</script>',
    "<iframe src=//evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
]


class TagAudit(HTMLParser):
    """Collects every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.tags, self.attributes = set(), []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def assert_inert(html: str) -> None:
    audit = TagAudit(html)
    assert not audit.tags & {"script", "img", "svg", "iframe", "object", "embed", "style", "div"}, html
    for name, value in audit.attributes:
        assert not name.startswith("on") and name != "style", html
        assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_script_in_a_post_is_rendered_inert(question, helper, payload):
    post = services.reply(author=helper, thread=question, body=f"{payload} **still here**")
    assert_inert(post.html)
    assert "<strong>still here</strong>" in post.html


def test_mentions_notify_members_who_can_read_and_wait_until_answered(question, asker, helper):
    expert = MemberFactory(handle="expert")
    make_member_of(question.group, expert)
    services.reply(author=helper, thread=question, body="@expert knows this better than I do")
    mention = Mention.objects.get(member=expert)
    assert Notification.objects.filter(recipient=expert, text__contains="mentioned you").exists()
    assert [section.title for section in selectors.pay_it_back_sections(expert) if section.items] == [
        "Mentions waiting for your answer"
    ]
    services.reply(author=expert, thread=question, body="Start with a welcome thread.")
    mention.refresh_from_db()
    assert mention.answered_at is not None


def test_a_mention_does_not_leak_a_private_groups_post(asker):
    group = make_group(members=[asker], visibility="private", policy="invite")
    outsider = MemberFactory(handle="outsider")
    make_thread(group=group, author=asker, body="Ask @outsider about this")
    assert not Mention.objects.filter(member=outsider).exists()
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_links_from_a_new_member_are_held_until_a_moderator_approves(question, asker, helper):
    post = services.reply(author=helper, thread=question, body="See https://example.org/guide")
    assert post.status == Post.Status.HELD
    assert not Give.objects.filter(kind=Give.Kind.REPLY).exists()  # nothing is public yet
    services.approve_post(moderator=MemberFactory(role=Role.MODERATOR), post=post)
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE
    assert Give.objects.filter(kind=Give.Kind.REPLY, giver=helper, receiver=asker).exists()


def test_a_basic_member_posts_links_straight_away(question, helper):
    services.set_trust_level(
        actor=MemberFactory(role=Role.MANAGER), member=helper, level=TrustLevel.BASIC, reason="Known"
    )
    post = services.reply(author=helper, thread=question, body="See https://example.org/guide")
    assert post.status == Post.Status.VISIBLE


def test_new_members_are_rate_limited(question, helper):
    for n in range(10):
        services.reply(author=helper, thread=question, body=f"Reply number {n} with something to say")
    with pytest.raises(RateLimited, match="10 times in the last hour"):
        services.reply(author=helper, thread=question, body="One too many")
    assert Post.objects.filter(author=helper).count() == 10


def test_activity_earns_trust(question, helper):
    Participant.objects.filter(member=helper).delete()
    helper.date_joined = timezone.now() - timedelta(days=2)
    helper.save(update_fields=["date_joined"])
    for n in range(3):
        services.reply(author=helper, thread=question, body=f"Useful reply {n} about onboarding")
    assert Participant.objects.get(member=helper).trust_level == TrustLevel.BASIC


def test_a_promotion_needs_contributions_to_others_threads_first(asker, helper):
    group = make_group(members=[asker, helper], contributions_before_promotion=2)
    with pytest.raises(ForumError, match="reply to 2 of others' threads"):
        make_thread(group=group, author=helper, kind=Thread.Kind.PROMOTION, title="Our new course")
    thread = make_thread(group=group, author=asker)
    services.reply(author=helper, thread=thread, body="Here is what worked for us at our studio.")
    services.reply(author=helper, thread=thread, body="And one more idea: a monthly welcome call.")
    promotion = make_thread(group=group, author=helper, kind=Thread.Kind.PROMOTION, title="Our new course")
    assert promotion.kind == Thread.Kind.PROMOTION


def test_reactions_are_one_of_each_and_a_give(question, asker, helper):
    post = services.reply(author=helper, thread=question, body="A buddy system for the first two weeks.")
    services.react(member=asker, post=post, kind="helpful")
    services.react(member=asker, post=post, kind="like")
    with pytest.raises(ForumError) as duplicate:
        services.react(member=asker, post=post, kind="helpful")
    assert duplicate.value.status == 409
    post.refresh_from_db()
    assert (post.helpful_count, post.like_count) == (1, 1)
    assert Reaction.objects.count() == 2
    assert Give.objects.filter(kind=Give.Kind.REACTION, giver=asker, receiver=helper).count() == 2
    with pytest.raises(ForumError, match="your own post"):
        services.react(member=helper, post=post, kind="like")


def test_the_asker_accepts_an_answer_and_the_answerer_gets_a_give(question, asker, helper):
    answer = services.reply(author=helper, thread=question, body="Pair newcomers with a buddy.")
    with pytest.raises(PermissionDenied):
        services.accept_answer(member=helper, post=answer)
    services.accept_answer(member=asker, post=answer)
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert Give.objects.get(kind=Give.Kind.ACCEPTED_ANSWER).receiver == helper
    with pytest.raises(ForumError, match="already"):
        services.accept_answer(member=asker, post=answer)


def test_a_give_about_another_object_with_the_same_id_does_not_stop_the_accepted_answers(question, asker, helper):
    from django.contrib.contenttypes.models import ContentType

    answer = services.reply(author=helper, thread=question, body="Pair newcomers with a buddy.")
    # Given an accepted-answer give to the helper about a thread that happens to share the answer's id
    Give.objects.create(
        giver=asker,
        receiver=helper,
        kind=Give.Kind.ACCEPTED_ANSWER,
        subject_type=ContentType.objects.get_for_model(Thread),
        subject_id=answer.pk,
    )
    services.accept_answer(member=asker, post=answer)
    post_type = ContentType.objects.get_for_model(Post)
    assert Give.objects.filter(kind=Give.Kind.ACCEPTED_ANSWER, subject_type=post_type, subject_id=answer.pk).exists()


def test_only_questions_have_accepted_answers(asker, helper):
    thread = make_thread(group=make_group(members=[asker, helper]), author=asker)
    post = services.reply(author=helper, thread=thread, body="An answer to a discussion.")
    with pytest.raises(ForumError, match="Only a question"):
        services.accept_answer(member=asker, post=post)


def test_editing_keeps_history_and_only_the_author_may(question, asker, helper):
    post = services.reply(author=helper, thread=question, body="First version.")
    with pytest.raises(PermissionDenied):
        services.edit_post(editor=asker, post=post, body="Hijacked")
    services.edit_post(editor=helper, post=post, body="Second version, **better**.")
    post.refresh_from_db()
    assert "<strong>better</strong>" in post.html and post.edited_at
    assert list(post.revisions.values_list("body", flat=True)) == ["First version."]


def test_polls_take_one_vote_per_member(asker, helper):
    thread = make_thread(
        group=make_group(members=[asker, helper]),
        author=asker,
        poll=services.PollSpec(question="Which day?", options=["Tuesday", "Thursday"]),
    )
    tuesday, thursday = thread.poll.options.all()
    services.vote(member=helper, poll=thread.poll, option_ids=[tuesday.pk])
    with pytest.raises(ForumError) as twice:
        services.vote(member=helper, poll=thread.poll, option_ids=[thursday.pk])
    assert twice.value.status == 409
    with pytest.raises(ForumError, match="one choice"):
        services.vote(member=asker, poll=thread.poll, option_ids=[tuesday.pk, thursday.pk])
    tuesday.refresh_from_db()
    assert (tuesday.vote_count, PollVote.objects.count()) == (1, 1)


def test_voting_in_a_poll_takes_the_right_to_post_in_its_group(asker, helper):
    # Given a poll in a members-only group that the helper has not joined
    thread = make_thread(
        group=make_group(visibility="members", members=[asker]),
        author=asker,
        poll=services.PollSpec(question="Which day?", options=["Tuesday", "Thursday"]),
    )
    tuesday = thread.poll.options.first()
    # Then the helper cannot vote, is told to join, and the page offers no ballot
    with pytest.raises(PermissionDenied, match="Join"):
        services.vote(member=helper, poll=thread.poll, option_ids=[tuesday.pk])
    assert not selectors.poll_for(helper, thread).can_vote
    # And once joined, they can
    services.join_group(member=helper, group=thread.group)
    assert selectors.poll_for(helper, thread).can_vote
    services.vote(member=helper, poll=thread.poll, option_ids=[tuesday.pk])
    assert PollVote.objects.filter(member=helper).count() == 1


def test_a_poll_in_a_thread_held_for_review_takes_no_votes(asker, helper):
    from django.http import Http404

    # Given a poll whose opening post waits for a moderator
    thread = make_thread(
        group=make_group(members=[asker, helper]),
        author=asker,
        poll=services.PollSpec(question="Which day?", options=["Tuesday", "Thursday"]),
    )
    Post.objects.filter(thread=thread, number=1).update(status=Post.Status.HELD)
    # Then another member of the group cannot find it to vote, as they cannot read it
    with pytest.raises(Http404):
        services.vote(member=helper, poll=thread.poll, option_ids=[thread.poll.options.first().pk])
    assert not PollVote.objects.exists()


def test_a_multiple_choice_poll_takes_several_options_once_each(asker, helper):
    thread = make_thread(
        group=make_group(members=[asker, helper]),
        author=asker,
        poll=services.PollSpec(question="Which formats?", options=["AMA", "Meetup", "Webinar"], multiple=True),
    )
    ids = list(thread.poll.options.values_list("pk", flat=True))
    services.vote(member=helper, poll=thread.poll, option_ids=ids[:2])
    assert PollVote.objects.filter(member=helper).count() == 2


def test_a_closed_poll_takes_no_votes_and_shows_results(asker, helper):
    thread = make_thread(
        group=make_group(members=[asker, helper]),
        author=asker,
        poll=services.PollSpec(
            question="Which day?", options=["Tuesday", "Thursday"], closes_at=timezone.now() + timedelta(hours=1)
        ),
    )
    thread.poll.__class__.objects.filter(pk=thread.poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    thread.poll.refresh_from_db()
    with pytest.raises(ForumError, match="closed"):
        services.vote(member=helper, poll=thread.poll, option_ids=[thread.poll.options.first().pk])
    assert selectors.poll_for(helper, thread).show_results


def test_bad_polls_are_refused(asker):
    group = make_group(members=[asker])
    for spec, message in (
        (services.PollSpec(question="Which?", options=["Only one"]), "2 to 10"),
        (services.PollSpec(question="Which?", options=["Same", "same"]), "2 to 10"),
        (services.PollSpec(question="Which?", options=["A", "B"], closes_at=timezone.now()), "future"),
    ):
        with pytest.raises(ForumError, match=message):
            make_thread(group=group, author=asker, poll=spec)
    assert not Thread.objects.exists()


def test_replying_back_within_minutes_is_a_conversation_not_a_trade(question, asker, helper):
    # Given the helper answered the asker a moment ago
    tip = services.reply(author=helper, thread=question, body="Pair every newcomer with a buddy.")
    # When the asker answers back at once, and the helper reacts to that
    answer = services.reply(author=asker, thread=question, body="How long does each pairing last?", reply_to=tip)
    services.react(member=helper, post=answer, kind="helpful")
    assert Give.objects.filter(giver=asker, receiver=helper, kind=Give.Kind.REPLY).exists()
    # Then nothing is weighted down as a quick give-back (rule 8 is about trades, not talk)
    assert not any("quick_return" in flags for flags in Give.objects.values_list("flags", flat=True))
    assert set(Give.objects.values_list("weight", flat=True)) == {1.0}


def test_open_questions_from_people_who_helped_you_wait_first(asker, helper):
    # Given the asker once received help from the helper, and both read a group
    group = make_group(members=[asker, helper])
    first = make_thread(group=group, author=asker, title="Where do I start?")
    services.reply(author=helper, thread=first, body="Start with the welcome thread, it is friendly.")
    stranger = MemberFactory()
    make_member_of(group, stranger)
    # When the helper and a stranger each ask a question
    theirs = make_thread(group=group, author=helper, kind=Thread.Kind.QUESTION, title="Who runs your AMAs?")
    make_thread(group=group, author=stranger, kind=Thread.Kind.QUESTION, title="Any tips for meetups?")
    # Then the helper's question waits on the asker's Pay it back, and the stranger's does not
    sections = selectors.pay_it_back_sections(asker)
    assert sections[0].title == "Questions from people who helped you"  # first on the page
    assert [item.url for item in sections[0].items] == [theirs.get_absolute_url()]
    # And once the asker answers, it no longer waits
    services.reply(author=asker, thread=theirs, body="Our community manager does, once a month.")
    assert not selectors.pay_it_back_sections(asker)[0].items
