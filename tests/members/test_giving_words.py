"""Pay it back, the notifications and My reciprocity in words people read: every give names what it
is about and links to it, ages and durations as people say them, the header counts what waits, and
My reciprocity speaks to whoever is looking."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from community.roles import Role
from content.models import Share
from forums import services as forum_services
from members import services
from members.durations import in_words
from members.give_subjects import describe
from members.models import Give, Member
from members.selectors import with_header_counts
from tests.factories import MemberFactory, SkillFactory, make_group, make_thread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "delta, words",
    [
        (timedelta(seconds=20), "less than a minute"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=59), "59 minutes"),
        (timedelta(hours=13), "13 hours"),
        (timedelta(hours=47), "47 hours"),
        (timedelta(days=3), "3 days"),
        (timedelta(days=13), "13 days"),
        (timedelta(days=40), "5 weeks"),
        (timedelta(days=90), "2 months"),
        (timedelta(days=400), "1 year"),
        (timedelta(hours=909.1), "5 weeks"),  # the "909.1 h" of the old page
    ],
)
def test_durations_read_as_people_say_them(delta, words):
    assert in_words(delta) == words


@pytest.fixture
def skill():
    return SkillFactory(name="Facilitation")


def test_every_give_names_its_object_and_links_to_it(ana, ben, skill):
    # Given gives of several kinds to Ben
    ben.member_skills.create(skill=skill)
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    group = make_group(name="Onboarding", members=[ana, ben])
    thread = make_thread(group=group, author=ben, title="Welcome rituals")
    reply = forum_services.reply(author=ana, thread=thread, body="We send a short personal note on day one.")
    opening = thread.posts.get(number=1)
    forum_services.react(member=ana, post=opening, kind="helpful")
    services.recommend(author=ana, recipient=ben, text="Ben ran our onboarding sprint and every newcomer stayed on.")
    # When Pay it back describes them
    about = {give.kind: give.about for give in describe(Give.objects.filter(receiver=ben))}
    # Then each says what it was about, and where to find it
    assert about["endorsement"].text == "endorsed you for Facilitation"
    assert about["endorsement"].url == "/members/ben/#skills-heading"
    assert about["reply"].text == "replied to you in “Welcome rituals”"
    assert about["reply"].url == reply.get_absolute_url()
    assert about["reaction"].text == "found your post in “Welcome rituals” helpful"
    assert about["reaction"].url == opening.get_absolute_url()
    assert about["recommendation"].text.startswith("recommended you: “Ben ran our onboarding sprint")
    assert re.fullmatch(r"/requests/#recommendation-\d+", about["recommendation"].url)


def test_a_give_whose_object_is_gone_still_reads(ana, ben, skill):
    ben.member_skills.create(skill=skill)
    endorsement = services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    type(endorsement).objects.filter(pk=endorsement.pk).delete()
    [described] = describe(Give.objects.filter(pk=give.pk))
    assert (described.about.text, described.about.url) == ("endorsed you", "/members/ana/")


def test_pay_it_back_says_how_old_and_opens_the_thank_you_on_demand(client, ana, ben, skill):
    ben.member_skills.create(skill=skill)
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    Give.objects.update(created=timezone.now() - timedelta(days=33))
    client.force_login(ben)
    page = client.get("/pay-it-back/").text
    assert '<span class="late-marker">Waiting 4 weeks</span>' in page
    assert "Over 12 hours" not in page
    # the box is closed until asked for; without JavaScript, a <details> opens it
    assert '<details class="owed__thank">' in page and "<summary class=\"button\">Thank Ana</summary>" in page


def test_a_refused_thank_you_reopens_its_box(client, ana, ben, skill):
    ben.member_skills.create(skill=skill)
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    client.force_login(ben)
    page = client.post(f"/pay-it-back/{give.pk}/thank/", {"message": "   "})
    assert page.status_code == 400
    assert '<details class="owed__thank" open>' in page.text


def test_notifications_link_to_their_object_with_avatar_icon_and_unread_marker(client, ana, ben, skill):
    ben.member_skills.create(skill=skill)
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    services.follow(follower=ana, followed=ben)
    client.force_login(ben)
    page = client.get("/notifications/").text
    assert '<a href="/members/ben/#skills-heading">Ana endorsed you for Facilitation</a>' in page
    assert "/pay-it-back/" not in page.split("<main", 1)[1]  # no item sends to the generic page
    assert "#endorsement" in page and "#follow" in page  # an icon for each kind
    assert page.count('<span class="new-marker">New</span>') == 2  # unread, in words too
    assert page.count('class="avatar avatar--sm avatar--initials"') >= 2  # the actor's avatar
    services.mark_notifications_read(member=ben)
    assert "new-marker" not in client.get("/notifications/").text


def test_the_header_counts_unread_notifications_and_waiting_requests(client, ana, ben):
    services.request_connection(requester=ana, addressee=ben, note="We both run onboarding; let us compare notes.")
    services.follow(follower=MemberFactory(), followed=ben)
    client.force_login(ben)
    page = client.get("/members/").text
    assert 'data-unread-count aria-label="2 unread">2<' in page
    assert 'data-requests-count aria-label="1 requests waiting">1<' in page
    services.mark_notifications_read(member=ben)
    page = client.get("/members/").text
    assert 'data-unread-count hidden aria-label="0 unread">0<' in page


def test_the_header_counts_come_with_the_member_in_one_query(ana, ben, django_assert_num_queries):
    services.request_connection(requester=ana, addressee=ben, note="We both run onboarding; let us compare notes.")
    services.introduce(
        introducer=MemberFactory(), first=ben, second=ana, note="You two should swap onboarding checklists soon."
    )
    with django_assert_num_queries(1):
        loaded = with_header_counts(Member.objects.all()).get(pk=ben.pk)
    assert (loaded.unread_notifications, loaded.requests_waiting) == (2, 2)


def test_my_reciprocity_speaks_to_the_member(client, ana, ben, skill):
    ben.member_skills.create(skill=skill)
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    Give.objects.filter(pk=give.pk).update(created=timezone.now() - timedelta(days=3))
    services.thank(member=ben, give_id=give.pk, message="That endorsement landed me the facilitation workshop.")
    client.force_login(ben)
    page = client.get("/members/me/reciprocity/").text
    assert "Private: only you and community managers" in page
    assert "Acknowledging what you received" in page
    assert "3 days" in page and " h<" not in page  # the usual time to thank, in words
    assert "No asks yet" in page and ": 0" not in page
    assert 'class="balance__bar"' in page and 'aria-label="You gave 0.0, Ana gave ' in page
    assert "style=" not in page


def test_a_manager_reads_someone_elses_figures_in_their_name(client, ana, ben, skill):
    ben.member_skills.create(skill=skill)
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    client.force_login(MemberFactory(role=Role.MANAGER))
    page = client.get("/members/ben/reciprocity/").text
    assert "Reciprocity of Ben" in page and "you see it as a community manager" in page
    assert "Acknowledging what Ben received" in page
    assert "Of your" not in page and "of your posts" not in page
    assert "Helped Ben, not yet helped back" in page


def test_shares_and_credits_are_named_by_the_content_app(ana, ben):
    # registered from content's AppConfig.ready(): the members app imports no content
    from members.give_subjects import _describers

    assert {Give.Kind.SHARE, Give.Kind.CREDIT} <= set(_describers)
    assert Share is not None


def test_a_moderator_is_told_what_was_done_to_what(client, ana, ben):
    from forums.models import Post

    group = make_group(name="Onboarding", members=[ana, ben])
    thread = make_thread(group=group, author=ben, title="Welcome rituals")
    spam = forum_services.reply(author=ana, thread=thread, body="Buy followers cheap, DM me for prices.")
    client.force_login(MemberFactory(role=Role.MODERATOR))
    page = client.post(f"/forums/posts/{spam.pk}/hide/", {"reason": "Spam"}, follow=True).text
    assert "Done, and logged." not in page
    assert "You hid Ana’s post #2 in “Welcome rituals”".replace("’", "'") in page.replace("&#x27;", "'")
    assert Post.objects.get(pk=spam.pk).status == Post.Status.HIDDEN


def test_founding_trust_levels_are_standing_not_logged_decisions(ben):
    from forums.models import ModerationAction, Participant, TrustLevel

    forum_services.import_trust_level(member=ben, level=TrustLevel.MEMBER)
    assert Participant.objects.get(member=ben).trust_level == TrustLevel.MEMBER
    assert not ModerationAction.objects.exists()


def test_the_notifications_page_costs_the_same_for_3_and_23_gives(client, skill, django_assert_num_queries):
    receiver = MemberFactory(skills=[skill])
    for _ in range(3):
        services.endorse(endorser=MemberFactory(), endorsee=receiver, skill=skill)
    services.follow(follower=MemberFactory(), followed=receiver)
    client.force_login(receiver)
    # session, member with the header's counts, count, page with actors and gives, what the
    # endorsements were for, the viewer's permissions for the header (2)
    with django_assert_num_queries(7):
        client.get("/notifications/")
    for _ in range(20):
        services.endorse(endorser=MemberFactory(), endorsee=receiver, skill=skill)
    with django_assert_num_queries(7):
        page = client.get("/notifications/").text
    assert page.count("endorsed you for Facilitation") == 23
