"""The forum pages: what a person sees and can do in the browser without JavaScript, with a fixed
number of queries however much content there is."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from community.roles import Role
from forums import services
from forums.models import Post, Thread, ThreadRead
from members.models import Give
from tests.factories import PASSWORD, MemberFactory, make_group, make_posts, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    member = MemberFactory(handle="reader")
    client.login(username=member.email, password=PASSWORD)
    return member


def test_group_list_shows_visible_groups_in_constant_queries(client, member, django_assert_num_queries):
    make_group(name="Public one", visibility="public")
    make_group(name="Secret one", visibility="private", policy="invite")
    with django_assert_num_queries(5):
        first = client.get(reverse("forums:groups"))
    for n in range(5):
        make_group(name=f"More {n}", members=[member])
    with django_assert_num_queries(5):
        second = client.get(reverse("forums:groups"))
    assert "Public one" in first.text and "Secret one" not in first.text
    assert second.text.count('class="group-row"') == 6


def test_thread_list_marks_unread_and_keeps_its_queries(client, member, django_assert_num_queries):
    group = make_group(members=[member])
    thread = make_thread(group=group, title="Read me first")
    make_thread(group=group, title="Another thread")
    client.get(thread.get_absolute_url())  # reads it
    make_posts(thread, 2)
    with django_assert_num_queries(10):
        page = client.get(group.get_absolute_url())
    assert "2 new" in page.text and "New</span>" in page.text
    for n in range(10):
        make_thread(group=group, title=f"Thread number {n}")
    with django_assert_num_queries(10):
        client.get(group.get_absolute_url())


@pytest.mark.parametrize("replies", [9, 499])
def test_a_thread_page_costs_the_same_for_10_and_500_posts(client, member, replies, django_assert_num_queries):
    group = make_group(members=[member])
    thread = make_posts(make_thread(group=group), replies)
    client.get(f"{thread.get_absolute_url()}?post={thread.post_count}")  # read to the end: nothing new to record
    for page in (1, thread.post_count // 20 + 1):
        with django_assert_num_queries(11):
            response = client.get(f"{thread.get_absolute_url()}?page={page}")
        assert response.status_code == 200
    assert ThreadRead.objects.get(member=member, thread=thread).last_read_number == thread.post_count


def test_replying_through_the_page(client, member):
    thread = make_thread(group=make_group(members=[member]))
    response = client.post(thread.get_absolute_url(), {"body": "We run a **welcome** call on Mondays."})
    assert response.status_code == 302 and "#post-2" in response.url
    page = client.get(response.url)
    assert "<strong>welcome</strong>" in page.text
    assert Give.objects.filter(giver=member, kind=Give.Kind.REPLY).exists()


def test_an_empty_reply_is_a_400_with_the_error_next_to_the_field(client, member):
    thread = make_thread(group=make_group(members=[member]))
    response = client.post(thread.get_absolute_url(), {"body": ""})
    assert response.status_code == 400
    assert "This field is required" in response.text
    assert thread.posts.count() == 1


def test_a_non_member_cannot_post_and_is_told_to_join(client, member):
    thread = make_thread(group=make_group())
    page = client.get(thread.get_absolute_url())
    assert "Join and reply" in page.text and 'name="body"' not in page.text
    response = client.post(thread.get_absolute_url(), {"body": "Sneaking in"})
    assert response.status_code == 403
    assert thread.posts.count() == 1


def test_a_private_threads_url_is_not_found_for_outsiders(client, member):
    thread = make_thread(group=make_group(visibility="private", policy="invite"), title="Board minutes")
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 404 and "Board minutes" not in response.text


def test_quote_prefills_the_reply_form(client, member):
    thread = make_thread(group=make_group(members=[member]), body="Buddies for every newcomer")
    page = client.get(f"{thread.get_absolute_url()}?quote=1")
    assert "&gt; Buddies for every newcomer" in page.text and 'name="reply_to" value="1"' in page.text


def test_starting_a_question_with_a_poll(client, member):
    group = make_group(members=[member])
    response = client.post(
        reverse("forums:thread-create", args=[group.slug]),
        {
            "title": "Which day suits the meetup?",
            "kind": "question",
            "body": "We are moving the meetup.",
            "poll_question": "Which day?",
            "poll_options": "Tuesday\nThursday",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    assert thread.kind == "question" and thread.poll.options.count() == 2
    page = client.get(thread.get_absolute_url())
    assert 'type="radio"' in page.text
    vote = client.post(reverse("forums:vote", args=[thread.poll.pk]), {"option": thread.poll.options.first().pk})
    assert vote.status_code == 302
    assert "1 vote" in client.get(thread.get_absolute_url()).text


def test_reacting_and_accepting_through_the_page(client, member):
    helper = MemberFactory()
    thread = make_thread(group=make_group(members=[member, helper]), author=member, kind="question")
    answer = services.reply(author=helper, thread=thread, body="A buddy for two weeks.")
    client.post(reverse("forums:react", args=[answer.pk, "helpful"]))
    client.post(reverse("forums:accept", args=[answer.pk]))
    answer.refresh_from_db()
    thread.refresh_from_db()
    assert answer.helpful_count == 1 and thread.accepted_answer == answer
    assert "Accepted answer" in client.get(thread.get_absolute_url()).text


def test_editing_someone_elses_post_is_forbidden(client, member):
    other = MemberFactory()
    thread = make_thread(group=make_group(members=[member, other]), author=other)
    post = thread.posts.get()
    response = client.post(reverse("forums:edit-post", args=[post.pk]), {"body": "Hijacked"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body != "Hijacked"


def test_flagging_needs_a_reason_and_lands_in_the_moderation_queue(client, member):
    other = MemberFactory()
    thread = make_thread(group=make_group(members=[member, other]), author=other, body="Buy followers cheap")
    post = thread.posts.get()
    assert client.post(reverse("forums:flag", args=[post.pk]), {"reason": ""}).status_code == 400
    client.post(reverse("forums:flag", args=[post.pk]), {"reason": "Spam"})
    moderator = MemberFactory(role=Role.MODERATOR)
    client.force_login(moderator)
    queue = client.get(reverse("forums:moderation"))
    assert "Buy followers cheap" in queue.text and "Spam" in queue.text
    client.post(reverse("forums:moderate-post", args=[post.pk, "hide"]), {"reason": "Spam, confirmed"})
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    client.force_login(member)
    assert "hidden by a moderator" in client.get(thread.get_absolute_url()).text


def test_members_cannot_reach_the_moderation_queue(client, member):
    assert client.get(reverse("forums:moderation")).status_code == 403


def test_search_page_finds_posts_the_member_may_read(client, member):
    group = make_group(members=[member], visibility="public")
    make_thread(group=group, title="Welcome rituals", body="A weekly welcome thread works wonders")
    page = client.get(reverse("forums:search"), {"q": "welcome"})
    assert "Welcome rituals" in page.text


def test_forum_items_wait_on_pay_it_back(client, member):
    other = MemberFactory()
    group = make_group(members=[member, other])
    thread = make_thread(group=group, author=member, title="Our onboarding survey")
    services.reply(author=other, thread=thread, body="Happy to share ours, @reader.")
    page = client.get(reverse("pay-it-back"))
    assert "Replies on your threads" in page.text and "Our onboarding survey" in page.text
    assert "Mentions waiting for your answer" in page.text


def test_managers_open_groups_through_the_page(client, member):
    assert client.get(reverse("forums:group-create")).status_code == 403
    client.force_login(MemberFactory(role=Role.MANAGER))
    response = client.post(
        reverse("forums:group-create"),
        {
            "name": "Peer mentors",
            "description": "",
            "kind": "peer",
            "visibility": "members",
            "policy": "request",
            "contributions_before_promotion": 3,
        },
    )
    assert response.status_code == 302 and response.url == "/forums/peer-mentors/"


def test_joining_through_the_page(client, member):
    group = make_group(policy="open")
    client.post(reverse("forums:group-join", args=[group.slug]))
    assert group.memberships.filter(member=member, status="active").exists()


def test_a_visitor_reads_a_public_thread_and_is_asked_to_sign_in_to_reply(client):
    # Given a public thread with a reply
    thread = make_thread(group=make_group(visibility="public"), title="Open to all")
    make_posts(thread, 1)
    # When a visitor opens it
    page = client.get(thread.get_absolute_url())
    # Then they read it, with no reply form, and a way to sign in that comes back here
    assert page.status_code == 200 and "Open to all" in page.text
    assert 'name="body"' not in page.text
    assert "/accounts/login/?next=" + quote(f"{thread.get_absolute_url()}?reply=open#reply", safe="/") in page.text


def test_a_member_outside_the_group_sees_no_ballot_and_is_invited_to_join(client, member):
    thread = make_thread(
        group=make_group(name="Peer Circle", visibility="members"),
        poll=services.PollSpec(question="Which day?", options=["Tuesday", "Thursday"]),
    )
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200 and "Which day?" in page.text
    assert 'name="option"' not in page.text and "Join Peer Circle and vote" in page.text
    voted = client.post(reverse("forums:vote", args=[thread.poll.pk]), {"option": thread.poll.options.first().pk})
    assert voted.status_code == 403 and not thread.poll.votes.exists()
