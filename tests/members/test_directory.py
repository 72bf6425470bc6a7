"""The member directory: search, filters, sorting, pagination, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.roles import Role
from members import services
from members.models import Member
from members.selectors import DirectoryFilters, directory
from tests.factories import MemberFactory, SkillFactory


@pytest.fixture
def people(db):
    facilitation = SkillFactory(name="Facilitation")
    python = SkillFactory(name="Python")
    return {
        "ana": MemberFactory(
            handle="ana",
            display_name="Ana Costa",
            profile={"organisation": "Harbor Analytics", "location": "Lisbon", "headline": "Runs workshops"},
            skills=[facilitation],
        ),
        "ben": MemberFactory(
            handle="ben",
            display_name="Ben Walsh",
            profile={"organisation": "Kestrel Bank", "location": "Dublin", "bio": "Writes Django for a living"},
            skills=[python],
        ),
        "chiara": MemberFactory(
            handle="chiara",
            display_name="Chiara Rossi",
            role=Role.MODERATOR,
            profile={"organisation": "Harbor Analytics", "location": "Dublin"},
            skills=[facilitation, python],
        ),
    }


def handles(filters: DirectoryFilters) -> list[str]:
    return [member.username for member in directory(filters)]


def test_everyone_by_name(people):
    assert handles(DirectoryFilters()) == ["ana", "ben", "chiara"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Costa", ["ana"]),  # name
        ("workshops", ["ana"]),  # headline
        ("Kestrel", ["ben"]),  # organisation
        ("Django", ["ben"]),  # bio
        ("Facilitation", ["ana", "chiara"]),  # skills
        ("Harbor Rossi", ["chiara"]),  # every word must match
        ("nobody-matches-this", []),
    ],
)
def test_text_search_covers_name_headline_organisation_bio_and_skills(people, query, expected):
    assert sorted(handles(DirectoryFilters(query=query, sort="name"))) == expected


def test_filters_combine(people):
    assert handles(DirectoryFilters(skill="python")) == ["ben", "chiara"]
    assert handles(DirectoryFilters(skill="python", location="Dublin", organisation="harbor analytics")) == ["chiara"]
    assert handles(DirectoryFilters(role=Role.MODERATOR)) == ["chiara"]


def test_newest_first(people):
    assert handles(DirectoryFilters(sort="newest")) == ["chiara", "ben", "ana"]


def test_inactive_members_are_not_listed(people):
    Member.objects.filter(username="ben").update(is_active=False)
    assert handles(DirectoryFilters()) == ["ana", "chiara"]


def test_profile_edits_are_searchable_at_once(people):
    services.update_profile(member=people["ana"], headline="Community gardener")
    assert handles(DirectoryFilters(query="gardener")) == ["ana"]


def test_directory_requires_sign_in(client, people):
    assert client.get("/members/").status_code == 302


def test_directory_page_filters_and_paginates(client, people):
    client.force_login(people["ana"])
    page = client.get("/members/", {"skill": "facilitation"}).content.decode()
    assert "Ana Costa" in page and "Chiara Rossi" in page and "Ben Walsh" not in page
    assert "2 members match" in page


def test_directory_page_with_bad_filter_values_does_not_fail(client, people):
    client.force_login(people["ana"])
    response = client.get("/members/", {"skill": "no-such-skill", "sort": "sideways", "role": "king", "page": "x"})
    assert response.status_code == 200
    assert "Ana Costa" in response.content.decode()  # invalid filters are ignored, not obeyed


def directory_queries(client, viewer, **params) -> int:
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/members/", params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"q": "member"}, {"skill": "shared"}])
def test_directory_queries_do_not_grow_with_members(client, db, params):
    shared = SkillFactory(name="Shared")
    extra = SkillFactory(name="Extra")
    viewer = MemberFactory()
    for n in range(10):
        MemberFactory(profile={"headline": f"member {n}"}, skills=[shared, extra])
    with_ten = directory_queries(client, viewer, **params)
    for n in range(90):
        MemberFactory(profile={"headline": f"member {n}"}, skills=[shared, extra])
    assert directory_queries(client, viewer, **params) == with_ten


def test_directory_query_count_is_exact(client, people, django_assert_num_queries):
    client.force_login(people["ana"])
    # session, viewer, skill choices, count, organisations, locations, viewer's permissions (2),
    # page, its skills, its roles
    with django_assert_num_queries(11):
        client.get("/members/")


def test_profile_query_count_is_exact_and_constant(client, db, django_assert_num_queries):
    skills = [SkillFactory(name=f"Topic {n}") for n in range(12)]
    viewer = MemberFactory()
    subject = MemberFactory(handle="subject", skills=skills[:2])
    client.force_login(viewer)
    # session, viewer, member, skills, interests, groups, endorsement counts, the viewer's
    # endorsements, recommendations, the connection between viewer and member, follower and following
    # counts (one query), viewer's permissions (2)
    with django_assert_num_queries(13):
        client.get("/members/subject/")
    services.set_skills(member=subject, skills=skills)
    services.set_interests(member=subject, names=[f"interest {n}" for n in range(10)])
    for endorser in [MemberFactory() for _ in range(3)]:
        services.endorse(endorser=endorser, endorsee=subject, skill=skills[0])
        recommendation = services.recommend(
            author=endorser, recipient=subject, text="Ran our onboarding workshop and made every newcomer feel welcome"
        )
        services.decide_recommendation(member=subject, recommendation_id=recommendation.pk, approve=True)
        services.follow(follower=endorser, followed=subject)
        services.follow(follower=subject, followed=endorser)
    services.follow(follower=viewer, followed=subject)
    with django_assert_num_queries(13):
        client.get("/members/subject/")


def test_a_text_search_reads_its_count_with_its_page(client, people):
    # One pass over the search and the skill join: the page's ids come with the total beside them.
    client.force_login(people["ben"])
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/members/", {"q": "harbor", "skill": "facilitation"}).content.decode()
    assert "2 members match" in page and "Ana Costa" in page and "Chiara Rossi" in page
    assert not [query for query in captured if query["sql"].upper().startswith("SELECT COUNT(")]


def test_a_text_search_past_its_last_page_shows_the_last_page(client, people):
    client.force_login(people["ben"])
    page = client.get("/members/", {"q": "harbor", "page": "9"}).content.decode()
    assert "2 members match" in page and "Ana Costa" in page and "Chiara Rossi" in page
