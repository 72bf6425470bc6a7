"""The forums API: the same rules as the forum pages, private groups never leak, and what members
write comes back inert."""

import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from community.roles import Role
from forums import markup, services
from forums.models import (
    Flag,
    Group,
    GroupMembership,
    ModerationAction,
    Participant,
    PollVote,
    Post,
    Reaction,
    Thread,
    TrustLevel,
)
from members.models import Give, Member
from tests.factories import MemberFactory, make_group, make_member_of, make_thread

API = "/api/v1/forums"


def client_for(member=None) -> APIClient:
    api = APIClient()
    if member is not None:
        # A fresh instance, as each real request loads one: no permission cache carried over.
        api.force_authenticate(Member.objects.get(pk=member.pk))
    return api


def make_group_moderator(group, member) -> None:
    make_member_of(group, member)
    GroupMembership.objects.filter(group=group, member=member).update(role=GroupMembership.Role.MODERATOR)


def trust(member, level=TrustLevel.BASIC) -> None:
    services.set_trust_level(actor=MemberFactory(role=Role.MANAGER), member=member, level=level, reason="Known")


@pytest.fixture
def manager(db):
    return MemberFactory(handle="maria", display_name="Maria", role=Role.MANAGER)


@pytest.fixture
def site_moderator(db):
    return MemberFactory(handle="mo", display_name="Mo", role=Role.MODERATOR)


@pytest.fixture
def outsider(db):
    return MemberFactory(handle="otto", display_name="Otto")


@pytest.fixture
def group(manager, ana, ben):
    return make_group(manager=manager, name="Onboarding", visibility=Group.Visibility.PUBLIC, members=[ana, ben])


@pytest.fixture
def private_group(manager, ana):
    return make_group(manager=manager, name="Leaders Circle", visibility=Group.Visibility.PRIVATE, members=[ana])


@pytest.fixture
def thread(group, ana):
    return make_thread(group=group, author=ana, title="How do you welcome newcomers?", body="Tell me what works.")


@pytest.fixture
def private_thread(private_group, ana):
    return make_thread(group=private_group, author=ana, title="Budget for next year", body="Confidential numbers.")


def post_count() -> int:
    return Post.objects.count()


# Groups -----------------------------------------------------------------------------------------


def test_anonymous_visitors_read_public_groups_only(group, private_group, manager):
    members_only = make_group(manager=manager, name="Members Lounge", visibility=Group.Visibility.MEMBERS)
    api = client_for()

    listed = api.get(f"{API}/groups/").json()
    # A members-only group is listed as one to sign in for; the private one is not listed at all
    assert {g["slug"]: g["readable"] for g in listed["results"]} == {"members-lounge": False, "onboarding": True}
    assert listed["results"][0]["my_status"] is None
    assert api.get(f"{API}/groups/onboarding/").status_code == 200
    refused = api.get(f"{API}/groups/{members_only.slug}/")
    assert refused.status_code == 403
    assert "Sign in" in refused.json()["detail"]
    assert api.get(f"{API}/groups/{private_group.slug}/").status_code == 404
    assert api.post(f"{API}/groups/", {"name": "Anything at all"}, format="json").status_code in (401, 403)
    assert api.post(f"{API}/groups/onboarding/join/").status_code in (401, 403)


def test_group_list_shows_what_the_caller_may_see_with_their_membership(group, private_group, manager, ana, outsider):
    requested = make_group(manager=manager, name="Peer Circle", policy=Group.Policy.REQUEST)
    services.join_group(member=ana, group=requested)

    mine = {g["slug"]: g["my_status"] for g in client_for(ana).get(f"{API}/groups/").json()["results"]}
    assert mine == {"leaders-circle": "active", "onboarding": "active", "peer-circle": "requested"}
    theirs = {g["slug"]: g["my_status"] for g in client_for(outsider).get(f"{API}/groups/").json()["results"]}
    assert theirs == {"onboarding": None, "peer-circle": None}


def test_site_moderators_see_every_group(group, private_group, site_moderator):
    slugs = [g["slug"] for g in client_for(site_moderator).get(f"{API}/groups/").json()["results"]]
    assert slugs == ["leaders-circle", "onboarding"]
    detail = client_for(site_moderator).get(f"{API}/groups/leaders-circle/").json()
    assert (detail["my_status"], detail["can_moderate"]) == (None, True)


def test_only_managers_create_and_change_groups(manager, ana):
    refused = client_for(ana).post(f"{API}/groups/", {"name": "Book Club"}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only community managers can create or change groups."}
    assert not Group.objects.exists()

    api = client_for(manager)
    created = api.post(
        f"{API}/groups/", {"name": "Book Club", "visibility": "public", "policy": "request"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["slug"], body["policy"], body["my_status"], body["my_role"]) == (
        "book-club",
        "request",
        "active",
        "moderator",
    )
    again = api.post(f"{API}/groups/", {"name": "Book Club"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"name": ["There is already a group called Book Club."]}
    assert api.post(f"{API}/groups/", {"name": "Search"}, format="json").json()["name"][0].startswith("“Search”")
    assert api.post(f"{API}/groups/", {"name": "Odd", "kind": "club"}, format="json").status_code == 400

    assert client_for(ana).patch(f"{API}/groups/book-club/", {"description": "x"}, format="json").status_code == 403
    changed = api.patch(f"{API}/groups/book-club/", {"description": "We read together."}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["description"], changed.json()["name"]) == ("We read together.", "Book Club")
    assert Group.objects.count() == 1


def test_joining_by_policy_and_answering_requests(manager, ana, ben, outsider):
    open_group = make_group(manager=manager, name="Open House", visibility=Group.Visibility.PUBLIC)
    asking = make_group(manager=manager, name="Peer Circle", policy=Group.Policy.REQUEST)
    invited_only = make_group(manager=manager, name="Inner Room", policy=Group.Policy.INVITE)
    group_moderator = MemberFactory(handle="gm")
    make_group_moderator(asking, group_moderator)
    make_group_moderator(invited_only, group_moderator)

    joined = client_for(ana).post(f"{API}/groups/{open_group.slug}/join/")
    assert (joined.status_code, joined.json()["status"]) == (200, "active")
    assert client_for(ana).post(f"{API}/groups/{open_group.slug}/join/").status_code == 400

    asked = client_for(ana).post(f"{API}/groups/{asking.slug}/join/")
    assert (asked.status_code, asked.json()["status"]) == (200, "requested")
    assert client_for(ben).get(f"{API}/groups/{asking.slug}/memberships/").status_code == 403
    requests = client_for(group_moderator).get(f"{API}/groups/{asking.slug}/memberships/", {"status": "requested"})
    assert [(m["member"]["handle"], m["status"]) for m in requests.json()["results"]] == [("ana", "requested")]
    membership_id = requests.json()["results"][0]["id"]
    assert client_for(ben).post(f"{API}/memberships/{membership_id}/approve/").status_code == 403
    approved = client_for(group_moderator).post(f"{API}/memberships/{membership_id}/approve/")
    assert (approved.status_code, approved.json()["status"]) == (200, "active")
    assert client_for(group_moderator).post(f"{API}/memberships/{membership_id}/decline/").status_code == 400

    refused = client_for(ben).post(f"{API}/groups/{invited_only.slug}/join/")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Inner Room is by invitation only."}
    assert client_for(ana).post(f"{API}/groups/{invited_only.slug}/invitations/", {"handle": "ben"}).status_code == 403
    unknown = client_for(group_moderator).post(f"{API}/groups/{invited_only.slug}/invitations/", {"handle": "nobody"})
    assert unknown.status_code == 400 and "handle" in unknown.json()
    invited = client_for(group_moderator).post(f"{API}/groups/{invited_only.slug}/invitations/", {"handle": "ben"})
    assert (invited.status_code, invited.json()["status"]) == (201, "invited")
    assert client_for(ben).post(f"{API}/groups/{invited_only.slug}/join/").json()["status"] == "active"

    assert client_for(ana).post(f"{API}/groups/{open_group.slug}/leave/").status_code == 204
    assert client_for(ana).post(f"{API}/groups/{open_group.slug}/leave/").status_code == 400
    assert not GroupMembership.objects.filter(group=open_group, member=ana).exists()


def test_declining_a_request_removes_it(manager, ana):
    asking = make_group(manager=manager, name="Peer Circle", policy=Group.Policy.REQUEST)
    membership = services.join_group(member=ana, group=asking)
    assert client_for(manager).post(f"{API}/memberships/{membership.pk}/decline/").status_code == 204
    assert not GroupMembership.objects.filter(pk=membership.pk).exists()


# Private groups do not leak ---------------------------------------------------------------------


def test_private_group_content_is_not_found_by_outsiders(private_group, private_thread, ana, outsider):
    post = private_thread.posts.get()
    poll_free = [
        f"{API}/groups/{private_group.slug}/",
        f"{API}/groups/{private_group.slug}/threads/",
        f"{API}/threads/{private_thread.pk}/",
        f"{API}/threads/{private_thread.pk}/posts/",
        f"{API}/posts/{post.pk}/",
        f"{API}/posts/{post.pk}/revisions/",
    ]
    for reader in (client_for(outsider), client_for()):
        for url in poll_free:
            answer = reader.get(url)
            assert answer.status_code == 404, url
            assert "Budget" not in answer.content.decode() and "Confidential" not in answer.content.decode()
        assert reader.get(f"{API}/search/", {"q": "confidential"}).json()["count"] == 0
        assert "leaders-circle" not in reader.get(f"{API}/groups/").content.decode()

    insider = client_for(ana)
    assert insider.get(f"{API}/threads/{private_thread.pk}/").json()["title"] == "Budget for next year"
    assert insider.get(f"{API}/search/", {"q": "confidential"}).json()["count"] == 1


def test_outsiders_cannot_write_into_a_private_group(private_group, private_thread, outsider):
    post = private_thread.posts.get()
    before = (post_count(), Reaction.objects.count(), Flag.objects.count(), Thread.objects.count())
    api = client_for(outsider)
    attempts = [
        api.post(f"{API}/threads/{private_thread.pk}/posts/", {"body": "Let me in"}, format="json"),
        api.post(f"{API}/groups/{private_group.slug}/threads/", {"title": "Hello all", "body": "Hi"}, format="json"),
        api.post(f"{API}/posts/{post.pk}/reactions/", {"kind": "like"}, format="json"),
        api.post(f"{API}/posts/{post.pk}/flags/", {"reason": "Spam"}, format="json"),
        api.patch(f"{API}/posts/{post.pk}/", {"body": "Changed"}, format="json"),
        api.post(f"{API}/groups/{private_group.slug}/join/"),
    ]
    assert [answer.status_code for answer in attempts] == [404] * len(attempts)
    assert (post_count(), Reaction.objects.count(), Flag.objects.count(), Thread.objects.count()) == before
    post.refresh_from_db()
    assert post.body == "Confidential numbers."


# Threads ----------------------------------------------------------------------------------------


def test_start_a_thread_with_a_poll(group, ana, ben):
    closes = (timezone.now() + timedelta(days=3)).isoformat()
    created = client_for(ana).post(
        f"{API}/groups/onboarding/threads/",
        {
            "title": "Which day suits the meetup?",
            "body": "Vote below.",
            "poll": {"question": "Which day?", "options": ["Tuesday", "Thursday"], "closes_at": closes},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    thread = created.json()
    assert (thread["title"], thread["kind"], thread["post_count"], thread["group"]["slug"]) == (
        "Which day suits the meetup?",
        "discussion",
        1,
        "onboarding",
    )
    poll = thread["poll"]
    assert [o["text"] for o in poll["options"]] == ["Tuesday", "Thursday"]
    assert (poll["show_results"], poll["total_votes"], poll["options"][0]["votes"]) == (False, None, None)

    bad = client_for(ana).post(
        f"{API}/groups/onboarding/threads/",
        {"title": "Another poll", "body": "x", "poll": {"question": "One?", "options": ["Only"]}},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json() == {"poll": {"options": ["A poll has 2 to 10 different options, one per line."]}}
    short = client_for(ana).post(f"{API}/groups/onboarding/threads/", {"title": "Hi", "body": "x"}, format="json")
    assert short.json() == {"title": ["A title is 5 to 160 characters."]}
    assert Thread.objects.count() == 1


def test_thread_list_is_latest_activity_first_with_unread_counts(group, ana, ben, manager):
    older = make_thread(group=group, author=ana, title="An older question")
    newer = make_thread(group=group, author=ben, title="A newer question")
    services.reply(author=ben, thread=older, body="Bumped with a reply.")
    services.mark_read(member=ana, thread=older, number=1)
    services.pin_thread(moderator=manager, thread=newer, pinned=True, reason="Read this first")

    threads = client_for(ana).get(f"{API}/groups/onboarding/threads/").json()
    assert [(t["title"], t["pinned"], t["unread"]) for t in threads["results"]] == [
        ("A newer question", True, 1),
        ("An older question", False, 1),
    ]
    assert threads["results"][1]["last_poster"]["handle"] == "ben"
    anonymous = client_for().get(f"{API}/groups/onboarding/threads/").json()
    assert [t["unread"] for t in anonymous["results"]] == [None, None]


def test_members_of_the_group_start_threads(group, outsider):
    refused = client_for(outsider).post(
        f"{API}/groups/onboarding/threads/", {"title": "Hello everyone", "body": "Hi"}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Join Onboarding to start a thread in it."}
    assert not Thread.objects.exists()


def test_lock_and_pin_are_for_moderators(thread, ben, site_moderator, group):
    group_moderator = MemberFactory(handle="gm")
    make_group_moderator(group, group_moderator)
    url = f"{API}/threads/{thread.pk}"

    refused = client_for(ben).post(f"{url}/lock/", {"reason": "Heated"}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only moderators can do that."}
    assert client_for(group_moderator).post(f"{url}/lock/", {}, format="json").json() == {
        "reason": ["This field is required."]
    }
    locked = client_for(group_moderator).post(f"{url}/lock/", {"reason": "Heated"}, format="json")
    assert (locked.status_code, locked.json()["locked"]) == (200, True)
    assert client_for(site_moderator).post(f"{url}/lock/", {"reason": "Again"}, format="json").status_code == 409
    assert client_for(site_moderator).post(f"{url}/pin/", {"reason": "Useful"}, format="json").json()["pinned"]
    assert (
        client_for(site_moderator).post(f"{url}/unlock/", {"reason": "Calm"}, format="json").json()["locked"] is False
    )
    assert client_for(group_moderator).post(f"{url}/unpin/", {"reason": "Old"}, format="json").json()["pinned"] is False
    actions = list(ModerationAction.objects.order_by("pk").values_list("action", "reason"))
    assert actions == [("lock", "Heated"), ("pin", "Useful"), ("unlock", "Calm"), ("unpin", "Old")]


# Posts ------------------------------------------------------------------------------------------


def test_reply_and_read_a_thread_page_by_page(thread, ana, ben):
    trust(ben, TrustLevel.MEMBER)
    api = client_for(ben)
    first = api.post(f"{API}/threads/{thread.pk}/posts/", {"body": "A buddy **system**."}, format="json")
    assert first.status_code == 201, first.json()
    assert (first.json()["number"], first.json()["status"], first.json()["html"]) == (
        2,
        "visible",
        "<p>A buddy <strong>system</strong>.</p>\n",
    )
    answer = api.post(
        f"{API}/threads/{thread.pk}/posts/", {"body": "And a welcome call.", "reply_to": 1}, format="json"
    )
    assert answer.json()["reply_to"] == 1
    missing = api.post(f"{API}/threads/{thread.pk}/posts/", {"body": "To nothing", "reply_to": 99}, format="json")
    assert missing.status_code == 400 and "reply_to" in missing.json()
    for number in range(4, 46):
        services.reply(author=ben, thread=thread, body=f"Post {number}")

    page_one = api.get(f"{API}/threads/{thread.pk}/posts/").json()
    assert (page_one["count"], page_one["page"], page_one["pages"]) == (45, 1, 3)
    assert [p["number"] for p in page_one["results"]] == list(range(1, 21))
    assert page_one["results"][0]["author"] == {"handle": "ana", "name": "Ana"}
    last = api.get(f"{API}/threads/{thread.pk}/posts/", {"page": 3}).json()
    assert [p["number"] for p in last["results"]] == list(range(41, 46))
    assert api.get(f"{API}/threads/{thread.pk}/posts/", {"page": 99}).json()["page"] == 3
    assert api.get(f"{API}/threads/{thread.pk}/posts/", {"page": "x"}).status_code == 400


def test_reading_a_page_marks_it_read(thread, ben):
    services.reply(author=ben, thread=thread, body="First answer")
    api = client_for(ben)
    assert api.get(f"{API}/groups/onboarding/threads/").json()["results"][0]["unread"] == 2
    api.get(f"{API}/threads/{thread.pk}/posts/")
    assert api.get(f"{API}/groups/onboarding/threads/").json()["results"][0]["unread"] == 0


def test_posting_is_refused_clearly_and_changes_nothing(thread, group, manager, outsider, ben):
    services.lock_thread(moderator=manager, thread=thread, locked=True, reason="Resolved")
    before = post_count()

    locked = client_for(ben).post(f"{API}/threads/{thread.pk}/posts/", {"body": "One more thing"}, format="json")
    assert locked.status_code == 403
    assert locked.json() == {"detail": "This thread is locked: it takes no new posts."}
    services.lock_thread(moderator=manager, thread=thread, locked=False, reason="Reopened")
    not_joined = client_for(outsider).post(f"{API}/threads/{thread.pk}/posts/", {"body": "Hi"}, format="json")
    assert not_joined.status_code == 403
    assert not_joined.json() == {"detail": "Join Onboarding to post in it."}
    empty = client_for(ben).post(f"{API}/threads/{thread.pk}/posts/", {"body": "   "}, format="json")
    assert (empty.status_code, empty.json()) == (400, {"body": ["Write something first."]})
    anonymous = client_for().post(f"{API}/threads/{thread.pk}/posts/", {"body": "Hi"}, format="json")
    assert anonymous.status_code in (401, 403)
    assert client_for(ben).post(f"{API}/threads/999999/posts/", {"body": "Hi"}, format="json").status_code == 404
    assert post_count() == before


def test_authors_edit_their_posts_and_the_history_is_kept(thread, ana, ben, group):
    post = thread.posts.get()
    api = client_for(ana)
    edited = api.patch(f"{API}/posts/{post.pk}/", {"body": "Tell me what *really* works."}, format="json")
    assert edited.status_code == 200
    assert edited.json()["html"] == "<p>Tell me what <em>really</em> works.</p>\n"
    assert edited.json()["edited_at"] is not None
    revisions = api.get(f"{API}/posts/{post.pk}/revisions/").json()
    assert [(r["body"], r["edited_by"]["handle"]) for r in revisions] == [("Tell me what works.", "ana")]

    refused = client_for(ben).patch(f"{API}/posts/{post.pk}/", {"body": "Ben was here"}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only the author (or a moderator) can edit this post."}
    post.refresh_from_db()
    assert post.body == "Tell me what *really* works."
    assert post.revisions.count() == 1


# Reactions, accepted answers, polls and the give ledger -------------------------------------------


def test_reacting_twice_is_a_conflict_and_changes_nothing(thread, ana, ben):
    post = thread.posts.get()
    api = client_for(ben)
    reacted = api.post(f"{API}/posts/{post.pk}/reactions/", {"kind": "helpful"}, format="json")
    assert reacted.status_code == 201
    assert reacted.json()["reactions"] == {"like": 0, "helpful": 1, "insightful": 0}

    again = api.post(f"{API}/posts/{post.pk}/reactions/", {"kind": "helpful"}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "You have already marked this post helpful."}
    assert Reaction.objects.count() == 1
    assert Give.objects.filter(kind=Give.Kind.REACTION).count() == 1
    post.refresh_from_db()
    assert post.helpful_count == 1

    assert client_for(ana).post(f"{API}/posts/{post.pk}/reactions/", {"kind": "like"}, format="json").status_code == 400
    assert api.post(f"{API}/posts/{post.pk}/reactions/", {"kind": "love"}, format="json").status_code == 400
    listed = api.get(f"{API}/threads/{thread.pk}/posts/").json()["results"][0]
    assert (listed["reactions"]["helpful"], listed["my_reactions"]) == (1, ["helpful"])
    assert client_for(ana).get(f"{API}/threads/{thread.pk}/posts/").json()["results"][0]["my_reactions"] == []


def test_replies_reactions_and_accepted_answers_are_gives(group, ana, ben):
    question = make_thread(group=group, author=ana, title="Which tool for rotas?", kind=Thread.Kind.QUESTION)
    own = client_for(ana).post(f"{API}/threads/{question.pk}/posts/", {"body": "More detail."}, format="json")
    assert own.status_code == 201
    assert not Give.objects.exists()  # replying in your own thread gives nobody anything

    answer = client_for(ben).post(f"{API}/threads/{question.pk}/posts/", {"body": "A shared sheet."}, format="json")
    assert answer.status_code == 201
    answer_id = answer.json()["id"]
    client_for(ana).post(f"{API}/posts/{answer_id}/reactions/", {"kind": "insightful"}, format="json")
    assert client_for(ben).post(f"{API}/posts/{answer_id}/accept/").status_code == 403
    accepted = client_for(ana).post(f"{API}/posts/{answer_id}/accept/")
    assert (accepted.status_code, accepted.json()["accepted_answer"]) == (200, answer_id)
    assert client_for(ana).post(f"{API}/posts/{answer_id}/accept/").status_code == 409

    gives = sorted(Give.objects.values_list("kind", "giver__username", "receiver__username"))
    assert gives == [
        ("accepted_answer", "ana", "ben"),
        ("reaction", "ana", "ben"),
        ("reply", "ben", "ana"),
    ]


def test_accepting_needs_a_question(thread, ben):
    reply = services.reply(author=ben, thread=thread, body="An idea")
    refused = client_for(thread.author).post(f"{API}/posts/{reply.pk}/accept/")
    assert (refused.status_code, refused.json()) == (400, {"detail": "Only a question has an accepted answer."})


def test_voting_twice_is_a_conflict_and_changes_nothing(group, ana, ben, outsider):
    poll_thread = make_thread(
        group=group,
        author=ana,
        title="Meetup day",
        poll=services.PollSpec(question="Which day?", options=["Tuesday", "Thursday", "Friday"]),
    )
    poll = poll_thread.poll
    tuesday, thursday, _ = poll.options.order_by("position")

    voted = client_for(ben).post(f"{API}/polls/{poll.pk}/votes/", {"options": [tuesday.pk]}, format="json")
    assert voted.status_code == 201
    assert (voted.json()["show_results"], voted.json()["my_options"], voted.json()["total_votes"]) == (
        True,
        [tuesday.pk],
        1,
    )
    again = client_for(ben).post(f"{API}/polls/{poll.pk}/votes/", {"options": [thursday.pk]}, format="json")
    assert (again.status_code, again.json()) == (409, {"detail": "You have already voted in this poll."})
    assert list(PollVote.objects.values_list("member__username", "option_id")) == [("ben", tuesday.pk)]
    two = client_for(ana).post(f"{API}/polls/{poll.pk}/votes/", {"options": [tuesday.pk, thursday.pk]}, format="json")
    assert (two.status_code, two.json()) == (400, {"options": ["This poll takes one choice."]})

    not_voted = client_for(outsider).get(f"{API}/threads/{poll_thread.pk}/").json()["poll"]
    assert not_voted["show_results"] is False
    assert [o["votes"] for o in not_voted["options"]] == [None, None, None]
    assert client_for(ben).get(f"{API}/threads/{poll_thread.pk}/").json()["poll"]["options"][0]["votes"] == 1


# Rate limits and held posts ---------------------------------------------------------------------


def test_a_new_member_posts_ten_times_an_hour(thread, ben):
    api = client_for(ben)
    for number in range(10):
        assert (
            api.post(f"{API}/threads/{thread.pk}/posts/", {"body": f"Reply {number}"}, format="json").status_code == 201
        )
    before = post_count()

    eleventh = api.post(f"{API}/threads/{thread.pk}/posts/", {"body": "One too many"}, format="json")
    assert eleventh.status_code == 429
    assert "You have posted 10 times in the last hour, the most a new member may" in eleventh.json()["detail"]
    assert post_count() == before
    started = api.post(f"{API}/groups/onboarding/threads/", {"title": "A new thread", "body": "Hi"}, format="json")
    assert started.status_code == 429
    assert Thread.objects.count() == 1


def test_a_new_members_link_is_held_until_a_moderator_approves_it(thread, group, ana, ben):
    group_moderator = MemberFactory(handle="gm")
    make_group_moderator(group, group_moderator)
    held = client_for(ben).post(
        f"{API}/threads/{thread.pk}/posts/", {"body": "See https://example.org/welcome"}, format="json"
    )
    assert held.status_code == 201
    assert held.json()["status"] == "held"
    assert "https://example.org/welcome" in held.json()["html"]  # its author sees it
    post_id = held.json()["id"]

    as_others = client_for(ana).get(f"{API}/threads/{thread.pk}/posts/").json()["results"][1]
    assert as_others == {
        "id": post_id,
        "number": 2,
        "status": "held",
        "author": None,
        "html": None,
        "body": None,
        "reply_to": None,
        "created": as_others["created"],
        "edited_at": None,
        "reactions": {"like": 0, "helpful": 0, "insightful": 0},
        "my_reactions": [],
    }
    assert client_for(ana).get(f"{API}/posts/{post_id}/").status_code == 404
    assert client_for(ana).post(f"{API}/posts/{post_id}/approve/").status_code == 404
    assert not Give.objects.exists()  # the reply counts once others can read it

    approved = client_for(group_moderator).post(f"{API}/posts/{post_id}/approve/")
    assert (approved.status_code, approved.json()["status"]) == (200, "visible")
    shown = client_for(ana).get(f"{API}/threads/{thread.pk}/posts/").json()["results"][1]
    assert (shown["author"]["handle"], shown["status"]) == ("ben", "visible")
    assert 'href="https://example.org/welcome"' in shown["html"]
    assert list(Give.objects.values_list("kind", flat=True)) == ["reply"]


def test_the_moderation_queue_lists_flags_with_reasons_and_held_posts(thread, ana, ben, site_moderator):
    post = thread.posts.get()
    flagged = client_for(ben).post(f"{API}/posts/{post.pk}/flags/", {"reason": "Off topic"}, format="json")
    assert flagged.status_code == 201
    again = client_for(ben).post(f"{API}/posts/{post.pk}/flags/", {"reason": "Still off topic"}, format="json")
    assert again.status_code == 409
    assert client_for(ana).post(f"{API}/posts/{post.pk}/flags/", {"reason": "Mine"}, format="json").status_code == 400
    services.reply(author=ben, thread=thread, body="Details at https://example.org")

    assert client_for(ben).get(f"{API}/moderation/").status_code == 403
    assert client_for().get(f"{API}/moderation/").status_code in (401, 403)
    queue = client_for(site_moderator).get(f"{API}/moderation/").json()
    assert [(p["id"], [(f["flagger"]["handle"], f["reason"]) for f in p["flags"]]) for p in queue["flagged"]] == [
        (post.pk, [("ben", "Off topic")])
    ]
    assert [(p["number"], p["author"]["handle"], p["thread"]["title"]) for p in queue["held"]] == [
        (2, "ben", "How do you welcome newcomers?")
    ]

    assert client_for(ben).post(f"{API}/posts/{post.pk}/hide/", {"reason": "No"}, format="json").status_code == 403
    hidden = client_for(site_moderator).post(f"{API}/posts/{post.pk}/hide/", {"reason": "Off topic"}, format="json")
    assert (hidden.status_code, hidden.json()["status"]) == (200, "hidden")
    assert client_for(ben).get(f"{API}/threads/{thread.pk}/posts/").json()["results"][0]["html"] is None
    assert client_for(ana).get(f"{API}/threads/{thread.pk}/posts/").json()["results"][0]["html"] is not None
    assert client_for(site_moderator).get(f"{API}/moderation/").json()["flagged"] == []
    restored = client_for(site_moderator).post(f"{API}/posts/{post.pk}/restore/", {"reason": "On appeal"})
    assert restored.json()["status"] == "visible"
    assert client_for(site_moderator).post(f"{API}/posts/{post.pk}/restore/", {"reason": "Again"}).status_code == 400

    client_for(MemberFactory()).post(f"{API}/posts/{post.pk}/flags/", {"reason": "Rude"}, format="json")
    dismissed = client_for(site_moderator).post(f"{API}/posts/{post.pk}/dismiss-flags/", {"reason": "Fine"})
    assert dismissed.status_code == 200
    assert client_for(site_moderator).get(f"{API}/moderation/").json()["flagged"] == []


# Members' standing ------------------------------------------------------------------------------


def test_moderators_suspend_and_managers_grant_trust(thread, ben, site_moderator, manager):
    url = f"{API}/people/ben"
    assert client_for(thread.author).post(f"{url}/suspension/", {"days": 3, "reason": "Spam"}).status_code == 403
    assert client_for(site_moderator).post(f"{url}/suspension/", {"days": 400, "reason": "x"}).status_code == 400
    assert (
        client_for(site_moderator).post(f"{API}/people/nobody/suspension/", {"days": 1, "reason": "x"}).status_code
        == 404
    )
    suspended = client_for(site_moderator).post(f"{url}/suspension/", {"days": 3, "reason": "Spam"})
    assert (suspended.status_code, suspended.json()["suspended"], suspended.json()["handle"]) == (200, True, "ben")
    refused = client_for(ben).post(f"{API}/threads/{thread.pk}/posts/", {"body": "Hello?"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Your account is suspended from the forums until")
    lifted = client_for(site_moderator).post(f"{url}/suspension/", {"days": 0, "reason": "Apologised"})
    assert lifted.json()["suspended"] is False

    refused = client_for(site_moderator).put(f"{url}/trust/", {"level": 3, "reason": "Helpful"}, format="json")
    assert (refused.status_code, refused.json()) == (403, {"detail": "Only community managers grant trust levels."})
    assert client_for(manager).put(f"{url}/trust/", {"level": 9, "reason": "x"}, format="json").status_code == 400
    granted = client_for(manager).put(f"{url}/trust/", {"level": 3, "reason": "Helpful"}, format="json")
    assert (granted.status_code, granted.json()["trust_level"], granted.json()["trust_granted"]) == (200, 3, True)
    assert Participant.objects.get(member=ben).trust_level == TrustLevel.REGULAR


# Search -----------------------------------------------------------------------------------------


def test_search_respects_group_visibility(group, private_group, thread, private_thread, manager, ana, outsider):
    members_only = make_group(manager=manager, name="Members Lounge", visibility=Group.Visibility.MEMBERS)
    make_thread(group=members_only, author=ana, title="Newcomers lounge", body="Newcomers say hello here.")
    make_thread(group=private_group, author=ana, title="Newcomers budget", body="Newcomers cost money.")

    def found(api) -> list[str]:
        return sorted(r["group"]["slug"] for r in api.get(f"{API}/search/", {"q": "newcomers"}).json()["results"])

    assert found(client_for()) == ["onboarding"]
    assert found(client_for(outsider)) == ["members-lounge", "onboarding"]
    assert found(client_for(ana)) == ["leaders-circle", "members-lounge", "onboarding"]
    assert client_for(ana).get(f"{API}/search/").json()["count"] == 0


# What members write comes back inert ------------------------------------------------------------


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[a](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '"><script>alert(1)</script>',
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[p](data:image/png;base64,iVBORw0KGgo=)",
    "![i](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![i](javascript:alert(1))",
    '![i](x" onerror="alert(1))',
    "[x](&#106;avascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    '<https://a.example/" onclick="alert(1)>',
    "| a |\n|---|\n| <b onmouseover=alert(1)>x</b> |",
    "<style>body{display:none}</style>",
    "<object data=javascript:alert(1)></object>",
]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_inert(html: str) -> None:
    """No element or attribute that could run script: only the allow-listed tags, no event handler
    attributes, no style beyond table alignment, and links only to the web, mail or this site.
    (Escaped text such as `&lt;script&gt;` or the words `javascript:alert(1)` is inert and allowed.)"""
    for literal in ("<script", "<svg", "<iframe", "<img", "<object", "<style", "<div"):
        assert literal not in html.lower()
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in markup.ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not re.match(r"on\w+", name), (tag, name)
            assert name in markup.ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            cleaned = re.sub(r"[\s\x00-\x1f]", "", unescape(value or "")).lower()
            assert not re.search(r"(javascript|vbscript|data):", cleaned), (tag, name, value)
            if name == "href":
                assert cleaned.startswith(("http://", "https://", "mailto:", "/")), value
            if name == "style":
                assert re.fullmatch(r"text-align:\w+;?", cleaned), value


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_script_posted_through_the_api_comes_back_inert(thread, ana, ben, payload):
    trust(ben)  # links from a new member are held; here they should be seen at once
    posted = client_for(ben).post(f"{API}/threads/{thread.pk}/posts/", {"body": payload}, format="json")
    assert posted.status_code == 201, posted.json()
    assert_inert(posted.json()["html"])
    assert posted.json()["body"] == payload  # the source, for editing; clients render `html`

    listed = client_for(ana).get(f"{API}/threads/{thread.pk}/posts/").json()["results"][-1]
    assert listed["status"] == "visible"
    assert_inert(listed["html"])
    edited = client_for(ben).patch(f"{API}/posts/{posted.json()['id']}/", {"body": f"Edit: {payload}"}, format="json")
    assert_inert(edited.json()["html"])


def test_script_in_a_thread_title_and_poll_stays_data(group, ana):
    created = client_for(ana).post(
        f"{API}/groups/onboarding/threads/",
        {
            "title": "<script>alert(1)</script>",
            "body": "<img src=x onerror=alert(1)>",
            "poll": {"question": "<b>Which?</b>", "options": ["<svg onload=alert(1)>", "No"]},
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["title"] == "<script>alert(1)</script>"  # JSON text, never HTML
    assert created.json()["poll"]["options"][0]["text"] == "<svg onload=alert(1)>"
    assert created["Content-Type"] == "application/json"
    posts = client_for(ana).get(f"{API}/threads/{created.json()['id']}/posts/").json()
    assert_inert(posts["results"][0]["html"])


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("extra_groups", [1, 6])
def test_group_list_queries_do_not_grow_with_groups(manager, ana, django_assert_num_queries, extra_groups):
    for number in range(extra_groups):
        make_group(manager=manager, name=f"Circle {number}", members=[ana] if number % 2 else [])
    make_group(manager=manager, name="Hidden Room", visibility=Group.Visibility.PRIVATE)
    api = client_for(ana)
    # permissions (2: the member's own and their role's), count, page
    with django_assert_num_queries(4):
        response = api.get(f"{API}/groups/")
    assert response.json()["count"] == extra_groups


@pytest.mark.parametrize("threads", [2, 12])
def test_thread_list_queries_do_not_grow_with_threads(group, ana, ben, django_assert_num_queries, threads):
    trust(ana, TrustLevel.MEMBER)
    trust(ben, TrustLevel.MEMBER)
    for number in range(threads):
        started = make_thread(group=group, author=ana if number % 2 else ben, title=f"Thread number {number}")
        services.reply(author=ana, thread=started, body="A reply")
    api = client_for(ben)
    # group, the reader's permissions (2: a site moderator also sees threads held for review),
    # count, threads with authors and last posters, the reader's read markers for the page
    with django_assert_num_queries(6):
        response = api.get(f"{API}/groups/onboarding/threads/")
    assert len(response.json()["results"]) == threads


@pytest.mark.parametrize("posts", [10, 40])
def test_posts_page_queries_do_not_grow_with_posts(group, ana, ben, django_assert_num_queries, posts):
    trust(ben, TrustLevel.MEMBER)
    started = make_thread(group=group, author=ana, title="A long conversation")
    for number in range(2, posts + 1):
        services.reply(author=ben, thread=started, body=f"Reply {number}", reply_to=started.posts.first())
    services.react(member=ben, post=started.posts.first(), kind="like")
    api = client_for(ben)
    # thread (with group, author, poll), posts (with authors and replied-to posts), the reader's
    # reactions, read marker (is it further already? then update, or savepoint, insert, release on a
    # first read), and whether the reader moderates the group (their permissions: 2, their group role: 1)
    with django_assert_num_queries(11):
        response = api.get(f"{API}/threads/{started.pk}/posts/")
    page = response.json()
    assert len(page["results"]) == min(posts, 20)
    assert page["results"][0]["my_reactions"] == ["like"]
    assert page["results"][1]["reply_to"] == 1


def test_an_invitee_accepts_or_declines_a_private_groups_invitation_through_the_api(manager, ana, ben, outsider):
    # Given a private, invitation-only group that invites ana and ben
    private = make_group(manager=manager, name="Inner Room", visibility=Group.Visibility.PRIVATE, policy="invite")
    for invitee in (ana, ben):
        services.invite_member(actor=manager, group=private, member=invitee)
    # Then an outsider does not find it, and the invitees can accept or decline
    assert client_for(outsider).post(f"{API}/groups/{private.slug}/join/").status_code == 404
    accepted = client_for(ana).post(f"{API}/groups/{private.slug}/join/")
    assert (accepted.status_code, accepted.json()["status"]) == (200, "active")
    assert client_for(ana).get(f"{API}/groups/{private.slug}/").status_code == 200
    assert client_for(ben).post(f"{API}/groups/{private.slug}/leave/").status_code == 204
    assert client_for(ben).get(f"{API}/groups/{private.slug}/").status_code == 404
    remaining = dict(GroupMembership.objects.filter(group=private).values_list("member__username", "status"))
    assert remaining == {manager.username: "active", "ana": "active"}


def test_a_member_outside_a_members_only_group_cannot_vote_in_its_poll(manager, ana, outsider):
    group = make_group(manager=manager, name="Peer Circle", visibility=Group.Visibility.MEMBERS, members=[ana])
    thread = make_thread(
        group=group, author=ana, poll=services.PollSpec(question="Which day?", options=["Tuesday", "Thursday"])
    )
    option = thread.poll.options.first()
    refused = client_for(outsider).post(f"{API}/polls/{thread.poll.pk}/votes/", {"options": [option.pk]}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Join Peer Circle to vote in its polls."}
    assert not PollVote.objects.exists()
