"""Recommendations (approved before they show) and connections (a personal note, no obligation)."""

import pytest
from django.core.exceptions import PermissionDenied

from community.roles import Role
from members import services
from members.errors import ReciprocityError, StandardNote
from members.models import Connection, Give, Notification, Recommendation
from tests.factories import MemberFactory

PRAISE = "Ana ran our first peer group and turned a shy room into a real conversation"


def test_a_recommendation_is_a_give_and_shows_only_once_approved(client, ana, ben):
    recommendation = services.recommend(author=ben, recipient=ana, text=PRAISE)
    give = Give.objects.get()
    assert (give.kind, give.giver, give.receiver) == (Give.Kind.RECOMMENDATION, ben, ana)
    client.force_login(MemberFactory())
    assert PRAISE not in client.get("/members/ana/").content.decode()
    services.decide_recommendation(member=ana, recommendation_id=recommendation.pk, approve=True)
    assert PRAISE in client.get("/members/ana/").content.decode()


def test_only_the_recipient_approves_and_only_once(ana, ben):
    recommendation = services.recommend(author=ben, recipient=ana, text=PRAISE)
    with pytest.raises(PermissionDenied):
        services.decide_recommendation(member=ben, recommendation_id=recommendation.pk, approve=True)
    services.decide_recommendation(member=ana, recommendation_id=recommendation.pk, approve=False)
    with pytest.raises(ReciprocityError, match="already declined"):
        services.decide_recommendation(member=ana, recommendation_id=recommendation.pk, approve=True)
    assert Recommendation.objects.get().status == Recommendation.Status.DECLINED


@pytest.mark.parametrize(
    "who, text, message",
    [
        ("self", PRAISE, "cannot recommend yourself"),
        ("ana", "Great person!", "at least 10 words"),
        ("ana", "word " * 401, "at most 2,000"),
    ],
)
def test_bad_recommendations_change_nothing(ana, ben, who, text, message):
    recipient = ben if who == "self" else ana
    with pytest.raises(ReciprocityError, match=message):
        services.recommend(author=ben, recipient=recipient, text=text)
    assert not Recommendation.objects.exists() and not Give.objects.exists()


def test_recommending_twice_is_refused(ana, ben):
    services.recommend(author=ben, recipient=ana, text=PRAISE)
    with pytest.raises(ReciprocityError, match="already recommended"):
        services.recommend(author=ben, recipient=ana, text=PRAISE + " again")
    assert Recommendation.objects.count() == 1


# Rule 9: a personal note, not the standard text, unless the member insists.
@pytest.mark.parametrize("note", ["", "I'd like to add you to my professional network.", "Let's connect!", "hi there"])
def test_the_standard_note_is_not_sent_silently(ana, ben, note):
    with pytest.raises(StandardNote, match="why you want to connect"):
        services.request_connection(requester=ana, addressee=ben, note=note)
    assert not Connection.objects.exists()


def test_a_standard_note_can_be_sent_knowingly(ana, ben):
    services.request_connection(requester=ana, addressee=ben, note="Let's connect!", allow_standard=True)
    assert Connection.objects.get().note == "Let's connect!"


def test_connect_with_a_personal_note_and_accept(ana, ben):
    connection = services.request_connection(
        requester=ana, addressee=ben, note="We both run onboarding programmes; I'd love to compare notes."
    )
    assert Notification.objects.get(recipient=ben).text.startswith("Ana asked to connect")
    services.respond_to_connection(member=ben, connection_id=connection.pk, accept=True)
    assert Connection.objects.get().status == Connection.Status.ACCEPTED
    assert Notification.objects.get(recipient=ana).text == "Ben accepted your request to connect"


# Rule 7: declining is free and silent; a connection creates no obligation.
def test_declining_tells_nobody_and_takes_nothing(ana, ben):
    connection = services.request_connection(
        requester=ana, addressee=ben, note="Saw your talk on mentoring circles, loved it"
    )
    services.respond_to_connection(member=ben, connection_id=connection.pk, accept=False)
    assert not Notification.objects.filter(recipient=ana).exists()
    ben.refresh_from_db()
    assert ben.owed_count == 0 and not Give.objects.exists()


def test_connection_rules(ana, ben):
    note = "We both work on community onboarding programmes"
    with pytest.raises(ReciprocityError, match="yourself"):
        services.request_connection(requester=ana, addressee=ana, note=note)
    connection = services.request_connection(requester=ana, addressee=ben, note=note)
    with pytest.raises(ReciprocityError, match="already asked"):
        services.request_connection(requester=ana, addressee=ben, note=note)
    with pytest.raises(ReciprocityError, match="accept their request instead"):
        services.request_connection(requester=ben, addressee=ana, note=note)
    with pytest.raises(PermissionDenied):
        services.respond_to_connection(member=ana, connection_id=connection.pk, accept=True)
    assert Connection.objects.count() == 1


def test_connect_and_recommend_from_the_profile_and_answer_on_requests(client, ana, ben):
    client.force_login(ana)
    prompted = client.post("/members/ben/connect/", {"note": "Let's connect"})
    assert prompted.status_code == 400
    assert "why you want to connect" in prompted.content.decode()
    assert (
        client.post("/members/ben/connect/", {"note": "Your post on peer mentoring changed how I run mine"}).status_code
        == 302
    )
    assert client.post("/members/ben/recommend/", {"text": "Short"}).status_code == 400
    client.post("/members/ben/recommend/", {"text": "Ben " + PRAISE[4:]})

    client.force_login(ben)
    page = client.get("/requests/").content.decode()
    assert "Your post on peer mentoring" in page and "turned a shy room" in page
    connection, recommendation = Connection.objects.get(), Recommendation.objects.get()
    client.post(f"/requests/connections/{connection.pk}/accept/")
    client.post(f"/requests/recommendations/{recommendation.pk}/approve/")
    assert "turned a shy room" in client.get("/members/ben/").content.decode()
    client.force_login(ana)
    assert "You are connected." in client.get("/members/ben/").content.decode()


def test_requests_page_queries_are_constant(client, ben, django_assert_num_queries):
    for n in range(3):
        services.request_connection(
            requester=MemberFactory(), addressee=ben, note=f"We met at the meetup number {n} in Lisbon"
        )
    client.force_login(ben)
    # session, member, connections, introductions, recommendations, permissions (2)
    with django_assert_num_queries(7):
        client.get("/requests/")
    for n in range(10):
        author = MemberFactory()
        services.request_connection(requester=author, addressee=ben, note=f"Another good reason number {n} to connect")
        services.recommend(author=author, recipient=ben, text=PRAISE)
        services.introduce(introducer=author, first=ben, second=MemberFactory(), note=INTRO)
    with django_assert_num_queries(7):
        client.get("/requests/")


INTRO = "Ana runs onboarding at Harbor and Cara is starting one at Kestrel: you should compare notes"


@pytest.fixture
def cara(db):
    return MemberFactory(handle="cara", display_name="Cara")


def test_an_introduction_credits_the_introducer_to_both_and_connects_them(ana, ben, cara):
    introduction = services.introduce(introducer=ben, first=ana, second=cara, note=INTRO)
    gives = Give.objects.filter(kind=Give.Kind.INTRODUCTION).order_by("receiver__username")
    assert [(g.giver, g.receiver) for g in gives] == [(ben, ana), (ben, cara)]
    assert introduction.outcome == "waiting"
    services.answer_introduction(member=ana, introduction_id=introduction.pk, accept=True)
    introduction = services.answer_introduction(member=cara, introduction_id=introduction.pk, accept=True)
    assert introduction.outcome == "connected"
    assert Connection.objects.get().status == Connection.Status.ACCEPTED
    assert Notification.objects.filter(recipient=ben, text__startswith="Your introduction worked").exists()


def test_a_declined_introduction_is_tracked_and_tells_nobody(ana, ben, cara):
    introduction = services.introduce(introducer=ben, first=ana, second=cara, note=INTRO)
    introduction = services.answer_introduction(member=cara, introduction_id=introduction.pk, accept=False)
    assert introduction.outcome == "declined"
    assert not Connection.objects.exists()
    assert not Notification.objects.filter(recipient=ben).exists()


@pytest.mark.parametrize(
    "case, message",
    [
        ("same", "two different people"),
        ("self", "Introduce two other people"),
        ("standard", "should meet"),
        ("twice", "already introduced"),
    ],
)
def test_bad_introductions_change_nothing(ana, ben, cara, case, message):
    if case == "twice":
        services.introduce(introducer=ben, first=cara, second=ana, note=INTRO)
    before = (Give.objects.count(), Connection.objects.count())
    first, second, note = {
        "same": (ana, ana, INTRO),
        "self": (ben, ana, INTRO),
        "standard": (ana, cara, "Let's connect"),
        "twice": (ana, cara, INTRO),
    }[case]
    with pytest.raises(ReciprocityError, match=message):
        services.introduce(introducer=ben, first=first, second=second, note=note)
    assert (Give.objects.count(), Connection.objects.count()) == before


def test_only_the_introduced_answer_and_only_once(ana, ben, cara):
    introduction = services.introduce(introducer=ben, first=ana, second=cara, note=INTRO)
    with pytest.raises(PermissionDenied):
        services.answer_introduction(member=ben, introduction_id=introduction.pk, accept=True)
    services.answer_introduction(member=ana, introduction_id=introduction.pk, accept=True)
    with pytest.raises(ReciprocityError, match="already accepted"):
        services.answer_introduction(member=ana, introduction_id=introduction.pk, accept=False)


def test_introduce_from_the_profile_and_accept_on_requests(client, ana, ben, cara):
    client.force_login(ben)
    assert client.post("/members/ana/introduce/", {"other": "nobody", "note": INTRO}).status_code == 400
    prompted = client.post("/members/ana/introduce/", {"other": "cara", "note": "Let's connect"})
    assert "should meet" in prompted.content.decode()
    assert client.post("/members/ana/introduce/", {"other": "@cara", "note": INTRO}).status_code == 302
    client.force_login(cara)
    page = client.get("/requests/").content.decode()
    assert "introduced you to" in page and "compare notes" in page
    introduction_id = Give.objects.filter(kind=Give.Kind.INTRODUCTION).first().subject_id
    response = client.post(f"/requests/introductions/{introduction_id}/accept/", follow=True)
    assert "once Ana accepts too" in response.content.decode()


# Managers see how many recommendations a member gave and received; nobody else does.
@pytest.fixture
def recommended(ana, ben):
    """Ana received three recommendations (approved, declined, waiting) and wrote one."""
    cara, dev = MemberFactory(display_name="Cara"), MemberFactory(display_name="Dev")
    for author, approve in ((ben, True), (cara, False), (dev, None)):
        recommendation = services.recommend(author=author, recipient=ana, text=PRAISE)
        if approve is not None:
            services.decide_recommendation(member=ana, recommendation_id=recommendation.pk, approve=approve)
    services.recommend(author=ana, recipient=ben, text=PRAISE.replace("Ana", "Ben"))
    return ana


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMINISTRATOR])
def test_managers_see_recommendation_counts_on_a_profile(client, recommended, role):
    # Given a manager or administrator; when they open Ana's profile
    client.force_login(MemberFactory(role=role))
    page = client.get("/members/ana/").content.decode()
    # Then they see what she gave and received, declined and waiting ones included
    assert "Recommendations given</dt><dd>1<" in page
    assert "Recommendations received</dt><dd>3<" in page


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.SPONSOR])
def test_other_roles_do_not_see_recommendation_counts(client, recommended, role):
    client.force_login(MemberFactory(role=role))
    page = client.get("/members/ana/").content.decode()
    assert "data-recommendation-counts" not in page and "Recommendations received" not in page


def test_the_member_does_not_see_their_own_counts_unless_a_manager(client, recommended):
    client.force_login(recommended)
    assert "Recommendations received" not in client.get("/members/ana/").content.decode()


def test_recommendation_counts_cost_a_manager_one_query(client, recommended, django_assert_num_queries):
    # the plain profile's 13 queries (see test_directory) and the counts
    client.force_login(MemberFactory(role=Role.MANAGER))
    with django_assert_num_queries(14):
        client.get("/members/ben/")
