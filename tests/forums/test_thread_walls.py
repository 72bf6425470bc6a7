"""The walls a reader met in a thread (issue 12): buttons that led nowhere or only failed on click,
mentions that silently reached nobody, groups a visitor could not know of. Each control is offered
exactly where the service would take it."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from community.roles import Role
from forums import services
from forums.errors import ForumError
from forums.models import GroupMembership, Post
from tests.factories import PASSWORD, MemberFactory, make_group, make_posts, make_thread

pytestmark = pytest.mark.django_db


def signed_in(client, member):
    client.login(username=member.email, password=PASSWORD)
    return client


def react_url(post, kind="like"):
    return reverse("forums:react", args=[post.pk, kind])


def accept_url(post):
    return reverse("forums:accept", args=[post.pk])


@pytest.fixture
def question():
    """Ana asks in an open members-only group; Ben answers, Ana follows up, Cara answers too."""
    ana = MemberFactory(handle="ana", display_name="Ana Costa")
    ben = MemberFactory(handle="ben", display_name="Ben Okoro")
    cara = MemberFactory(handle="cara", display_name="Cara Lind")
    group = make_group(name="Facilitators", members=[ana, ben, cara], visibility="members")
    thread = make_thread(group=group, author=ana, kind="question", title="How do you welcome newcomers?")
    answer = services.reply(author=ben, thread=thread, body="A buddy for two weeks.")
    own = services.reply(author=ana, thread=thread, body="Thank you, Ben!")
    other = services.reply(author=cara, thread=thread, body="A welcome call on Mondays.")
    return thread, ana, ben, cara, answer, own, other


# Reactions: for others' posts only -----------------------------------------------------------------


def test_a_member_is_offered_reactions_on_others_posts_and_sees_only_counts_on_their_own(client, question):
    thread, ana, ben, cara, answer, own, other = question
    page = signed_in(client, ana).get(thread.get_absolute_url()).text
    assert react_url(answer) in page and react_url(other) in page
    assert react_url(own) not in page and react_url(thread.posts.get(number=1)) not in page
    own_post = page.split('id="post-3"')[1].split("</article>")[0]
    assert "data-counts-of" in own_post and "<button" not in own_post.split("post__actions")[0]


def test_a_visitor_sees_reaction_counts_without_buttons(client):
    thread = make_thread(group=make_group(visibility="public"))
    make_posts(thread, 2)
    page = client.get(thread.get_absolute_url()).text
    assert "/react/" not in page and page.count("data-counts-of") == 3


def test_reacting_to_ones_own_post_is_still_refused_by_the_service(question):
    thread, ana, ben, cara, answer, own, other = question
    with pytest.raises(ForumError, match="your own post"):
        services.react(member=ana, post=own, kind="like")


# Accept this answer: the asker and moderators, on eligible posts ---------------------------------


def accept_buttons(page: str) -> set[int]:
    """The post numbers that carry an Accept this answer form."""
    numbers = set()
    for number, article in re.findall(r'id="post-(\d+)"(.*?)</article>', page, flags=re.S):
        if "Accept this answer" in article:
            numbers.add(int(number))
    return numbers


def test_the_asker_is_offered_accept_only_on_visible_answers_from_others(client, question):
    thread, ana, ben, cara, answer, own, other = question
    page = signed_in(client, ana).get(thread.get_absolute_url()).text
    # Not the question (#1), not her own follow-up (#3): Ben's (#2) and Cara's (#4) answers
    assert accept_buttons(page) == {2, 4}


def test_an_accepted_answer_is_not_offered_again_and_others_are_offered_nothing(client, question):
    thread, ana, ben, cara, answer, own, other = question
    services.accept_answer(member=ana, post=answer)
    assert accept_buttons(signed_in(client, ana).get(thread.get_absolute_url()).text) == {4}
    client.logout()
    assert accept_buttons(signed_in(client, ben).get(thread.get_absolute_url()).text) == set()


def test_a_flagged_answer_waits_for_a_moderator_on_the_page_and_in_the_service(client, question):
    # Given Cara's answer flagged as spam by Ben
    thread, ana, ben, cara, answer, own, other = question
    services.flag_post(member=ben, post=other, reason="Spam")
    # Then Ana is not offered to accept it, and the service refuses her with the reason
    assert accept_buttons(signed_in(client, ana).get(thread.get_absolute_url()).text) == {2}
    with pytest.raises(ForumError, match="a moderator looks at it"):
        services.accept_answer(member=ana, post=other)
    # And a site moderator, who judges the flags, is offered it and may accept it
    moderator = MemberFactory(role=Role.MODERATOR)
    client.logout()
    assert accept_buttons(signed_in(client, moderator).get(thread.get_absolute_url()).text) == {2, 4}
    services.accept_answer(member=moderator, post=other)
    thread.refresh_from_db()
    assert thread.accepted_answer == other


def test_a_held_answer_is_not_offered(client, question):
    thread, ana, ben, cara, answer, own, other = question
    Post.objects.filter(pk=other.pk).update(status=Post.Status.HELD)
    assert accept_buttons(signed_in(client, ana).get(thread.get_absolute_url()).text) == {2}


def test_a_discussion_offers_no_accept_button(client):
    ana, ben = MemberFactory(), MemberFactory()
    thread = make_thread(group=make_group(members=[ana, ben]), author=ana)
    services.reply(author=ben, thread=thread, body="Agreed.")
    assert accept_buttons(signed_in(client, ana).get(thread.get_absolute_url()).text) == set()


@pytest.mark.parametrize("replies", [9, 99])
def test_a_question_page_for_its_asker_costs_the_same_however_long(client, replies, django_assert_num_queries):
    asker = MemberFactory()
    thread = make_posts(make_thread(group=make_group(members=[asker]), author=asker, kind="question"), replies)
    signed_in(client, asker).get(f"{thread.get_absolute_url()}?post={thread.post_count}")
    with django_assert_num_queries(11):
        page = client.get(f"{thread.get_absolute_url()}?page=1")
    assert len(accept_buttons(page.text)) == min(replies, 19)


# Join and reply ----------------------------------------------------------------------------------


def test_a_non_member_joins_and_comes_back_to_the_reply_box_without_javascript(client, question):
    # Given Dan, signed in but not in the group, on Ben's answer
    thread, ana, ben, cara, answer, own, other = question
    dan = MemberFactory(handle="dan")
    signed_in(client, dan)
    page = client.get(f"{thread.get_absolute_url()}?reply_to=2").text
    # Then Reply leads to the offer where the reply box would be: join and reply to Ben's post
    assert 'href="?reply_to=2#reply"' in page
    assert "Reply to Ben Okoro’s post #2" in page and "Join and reply" in page
    back = f"{thread.get_absolute_url()}?reply_to=2#reply"
    assert f'name="next" value="{back}"' in page
    # When he joins from there
    joined = client.post(reverse("forums:group-join", args=[thread.group.slug]), {"next": back})
    # Then he is back on the thread, the reply box open on Ben's post, and can post
    assert joined.status_code == 302 and joined.url == back
    again = client.get(joined.url).text
    assert "Welcome to Facilitators. Your reply box is open below." in again
    assert 'name="reply_to" value="2"' in again and "autofocus" in again
    posted = client.post(thread.get_absolute_url(), {"body": "Same here.", "reply_to": 2})
    assert posted.status_code == 302 and thread.posts.filter(author=dan, reply_to=answer).exists()


def test_joining_never_sends_a_member_off_the_site(client, question):
    thread = question[0]
    signed_in(client, MemberFactory())
    joined = client.post(reverse("forums:group-join", args=[thread.group.slug]), {"next": "//evil.example/"})
    assert joined.url == thread.group.get_absolute_url()


def test_a_visitor_is_asked_to_sign_in_and_comes_back_to_the_reply_box(client):
    thread = make_thread(group=make_group(visibility="public"))
    page = client.get(f"{thread.get_absolute_url()}?quote=1").text
    assert "Sign in to reply" in page and 'href="?quote=1#reply"' in page
    back = quote(f"{thread.get_absolute_url()}?quote=1#reply", safe="/")
    assert f"/accounts/login/?next={back}" in page


@pytest.mark.parametrize(
    "policy, status, offer",
    [
        ("request", None, "Ask to join Circle"),
        ("request", GroupMembership.Status.REQUESTED, "Your request to join Circle is with its moderators"),
        ("invite", None, "Circle is by invitation only"),
        ("invite", GroupMembership.Status.INVITED, "Accept the invitation and reply"),
    ],
)
def test_each_way_into_a_group_is_offered_for_what_it_is(client, policy, status, offer):
    manager = MemberFactory(role=Role.MANAGER)
    group = make_group(manager=manager, name="Circle", policy=policy, visibility="members")
    thread = make_thread(group=group)
    outsider = MemberFactory()
    if status == GroupMembership.Status.REQUESTED:
        services.join_group(member=outsider, group=group)
    elif status == GroupMembership.Status.INVITED:
        services.invite_member(actor=manager, group=group, member=outsider)
    page = signed_in(client, outsider).get(thread.get_absolute_url()).text
    assert offer in page and 'name="body"' not in page
    reply_links = status == GroupMembership.Status.INVITED  # Reply leads somewhere only where one can get in
    assert ('href="?reply_to=1#reply"' in page) is reply_links


# Mentions ----------------------------------------------------------------------------------------


def test_a_mention_that_matched_nobody_is_named_to_its_author(client, question):
    thread, ana, ben, cara, *_ = question
    signed_in(client, ben)
    body = "Ask @cara and @kira-adeyemi, and `@code`."
    response = client.post(thread.get_absolute_url(), {"body": body}, follow=True)
    text = response.content.decode()
    assert "No member has the handle @kira-adeyemi, so nobody was told." in text
    assert "@cara," not in text.split("No member has")[1].split("</li>")[0]  # Cara was found
    assert "@code" not in text.split("No member has")[1].split("</li>")[0]  # code is not a mention


def test_a_reply_whose_mentions_all_matched_says_nothing_about_them(client, question):
    thread, ana, ben, cara, *_ = question
    response = signed_in(client, ben).post(thread.get_absolute_url(), {"body": "Ask @cara."}, follow=True)
    assert "No member has" not in response.content.decode()


def test_editing_and_starting_a_thread_name_unresolved_mentions_too(client, question):
    thread, ana, ben, cara, answer, *_ = question
    signed_in(client, ben)
    edit = reverse("forums:edit-post", args=[answer.pk])
    edited = client.post(edit, {"body": "A buddy, says @nobody-here."}, follow=True)
    assert "No member has the handle @nobody-here" in edited.content.decode()
    started = client.post(
        reverse("forums:thread-create", args=[thread.group.slug]),
        {"title": "Welcome calls", "kind": "discussion", "body": "With @zed and @zoe-q?"},
        follow=True,
    )
    assert "No member has these handles: @zed, @zoe-q, so nobody was told." in started.content.decode()


def test_the_reply_box_asks_the_api_for_members_of_its_group(client, question):
    thread, ana, *_ = question
    page = signed_in(client, ana).get(thread.get_absolute_url()).text
    source = reverse("api-forums-group-mentionable", args=[thread.group.slug])
    assert f'data-mentions="{source}"' in page and "js/mentions.js" in page
