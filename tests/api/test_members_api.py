"""The members API: same rules as the pages, token and session authentication."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from community.roles import Role
from members import services
from members.models import Member, Skill
from members.selectors import role_of
from tests.factories import PASSWORD, MemberFactory, SkillFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def member(db):
    return MemberFactory(handle="rosa", display_name="Rosa Mensah", skills=[SkillFactory(name="Mentoring")])


def test_anonymous_requests_are_refused(api, member):
    for url in ["/api/v1/members/", "/api/v1/members/rosa/", "/api/v1/me/", "/api/v1/skills/"]:
        assert api.get(url).status_code in (401, 403)


def test_token_authentication(api, member):
    response = api.post("/api/v1/auth/token/", {"username": "rosa", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/me/").json()["handle"] == "rosa"


def test_wrong_password_gets_no_token(api, member):
    response = api.post("/api/v1/auth/token/", {"username": "rosa", "password": "nope"}, format="json")
    assert response.status_code == 400


def test_list_and_search(api, member):
    MemberFactory(handle="ben", display_name="Ben Walsh", profile={"organisation": "Kestrel Bank"})
    api.force_authenticate(member)
    everyone = api.get("/api/v1/members/").json()
    assert everyone["count"] == 2
    assert [m["handle"] for m in everyone["results"]] == ["ben", "rosa"]
    assert api.get("/api/v1/members/", {"q": "Kestrel"}).json()["results"][0]["handle"] == "ben"
    skilled = api.get("/api/v1/members/", {"skill": "mentoring"}).json()
    assert [m["handle"] for m in skilled["results"]] == ["rosa"]
    assert skilled["results"][0]["skills"] == [{"slug": "mentoring", "name": "Mentoring", "status": "approved"}]
    assert skilled["results"][0]["role"] == "member"


def test_detail(api, member):
    api.force_authenticate(MemberFactory())
    body = api.get("/api/v1/members/rosa/").json()
    assert body["name"] == "Rosa Mensah"
    assert "email" not in body  # e-mail addresses are private
    assert api.get("/api/v1/members/nobody/").status_code == 404


def test_me_reads_and_updates_own_profile(api, member):
    python = SkillFactory(name="Python")
    api.force_authenticate(member)
    assert api.get("/api/v1/me/").json()["email"] == "rosa@example.org"
    response = api.patch(
        "/api/v1/me/",
        {"headline": "Mentor", "skills": ["python"], "interests": ["cycling"], "website": "https://rosa.example.org"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["headline"] == "Mentor"
    assert list(member.skills.all()) == [python]
    assert response.json()["links"] == {"Website": "https://rosa.example.org"}


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"website": "nope"}, "website"),
        ({"bio": "x" * 2001}, "bio"),
        ({"skills": ["no-such-skill"]}, "skills"),
        ({"interests": ["x" * 61]}, "interests"),
    ],
)
def test_me_refuses_bad_input_and_changes_nothing(api, member, payload, field):
    api.force_authenticate(member)
    before = Member.objects.values().get(pk=member.pk)
    response = api.patch("/api/v1/me/", {"headline": "changed", **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Member.objects.values().get(pk=member.pk) == before


def test_me_cannot_change_protected_fields(api, member):
    api.force_authenticate(member)
    api.patch("/api/v1/me/", {"is_superuser": True, "username": "root", "email": "x@example.org"}, format="json")
    member.refresh_from_db()
    assert (member.is_superuser, member.username, member.email) == (False, "rosa", "rosa@example.org")


def test_me_avatar_upload_and_bad_file(api, member):
    api.force_authenticate(member)
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "navy").save(out, format="JPEG")
    good = api.patch("/api/v1/me/", {"avatar": SimpleUploadedFile("a.jpg", out.getvalue())}, format="multipart")
    assert good.status_code == 200
    assert good.json()["avatar"].endswith(".webp")
    bad = api.patch("/api/v1/me/", {"avatar": SimpleUploadedFile("a.jpg", b"GIF89a-not-really")}, format="multipart")
    assert bad.status_code == 400
    assert bad.json() == {"avatar": ["That file is not an image we can read."]}


def test_a_proposed_skill_goes_to_review(api, member):
    api.force_authenticate(member)
    response = api.post("/api/v1/skills/", {"name": "Origami"}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "proposed"
    assert "origami" not in [s["slug"] for s in api.get("/api/v1/skills/").json()]
    assert api.post("/api/v1/skills/", {"name": ""}, format="json").status_code == 400


def test_skill_moderation_is_for_managers(api, member):
    proposed = services.propose_skill(member=member, name="Origami")
    api.force_authenticate(member)
    assert api.post(f"/api/v1/skills/{proposed.slug}/approve/").status_code == 403
    api.force_authenticate(MemberFactory(role=Role.MANAGER))
    assert (
        api.post(f"/api/v1/skills/{proposed.slug}/rename/", {"name": "Paper folding"}, format="json").status_code == 200
    )
    assert api.post(f"/api/v1/skills/{proposed.slug}/approve/").json()["name"] == "Paper folding"
    assert Skill.objects.get(pk=proposed.pk).status == Skill.Status.APPROVED
    merged = api.post(f"/api/v1/skills/{proposed.slug}/merge/", {"into": "mentoring"}, format="json")
    assert merged.json()["slug"] == "mentoring"
    assert api.post("/api/v1/skills/mentoring/merge/", {"into": "mentoring"}, format="json").status_code == 400


def test_role_change_through_the_api(api, member):
    api.force_authenticate(member)
    target = MemberFactory(handle="sam")
    refused = api.put("/api/v1/members/sam/role/", {"role": "moderator"}, format="json")
    assert refused.status_code == 403
    assert "Only community managers" in refused.json()["detail"]
    api.force_authenticate(MemberFactory(role=Role.MANAGER))
    assert api.put("/api/v1/members/sam/role/", {"role": "moderator"}, format="json").json()["role"] == "moderator"
    assert role_of(target) == Role.MODERATOR
    assert api.put("/api/v1/members/sam/role/", {"role": "emperor"}, format="json").status_code == 400


def test_new_members_are_throttled_and_established_ones_are_not(api, member, monkeypatch):
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from members.throttles import NewMemberRateThrottle

    monkeypatch.setattr(NewMemberRateThrottle, "rate", "3/min", raising=False)
    cache.clear()
    api.force_authenticate(member)
    assert [api.get("/api/v1/skills/").status_code for _ in range(4)] == [200, 200, 200, 429]

    veteran = MemberFactory()
    Member.objects.filter(pk=veteran.pk).update(date_joined=timezone.now() - timedelta(days=30))
    veteran.refresh_from_db()
    api.force_authenticate(veteran)
    assert {api.get("/api/v1/skills/").status_code for _ in range(5)} == {200}
    cache.clear()


def test_member_list_queries_are_constant(api, db, django_assert_num_queries):
    viewer = MemberFactory()
    skill = SkillFactory(name="Shared")
    api.force_authenticate(viewer)
    for _ in range(5):
        MemberFactory(skills=[skill])
    # count, page, skills, roles
    with django_assert_num_queries(4):
        api.get("/api/v1/members/")
    for _ in range(30):
        MemberFactory(skills=[skill])
    with django_assert_num_queries(4):
        api.get("/api/v1/members/")


def test_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/members/" in schema.content
    assert b"/cms/" not in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()


def test_managers_alone_get_recommendation_counts_in_member_detail(api, member):
    # Given Rosa wrote one recommendation and received one
    ben = MemberFactory(handle="ben")
    text = "Rosa mentored three of our new organisers through their first year with patience"
    services.recommend(author=ben, recipient=member, text=text)
    services.recommend(author=member, recipient=ben, text=text.replace("Rosa", "Ben"))
    # When a manager reads her detail, then the counts are there
    api.force_authenticate(MemberFactory(role=Role.MANAGER))
    assert api.get("/api/v1/members/rosa/").json()["recommendations"] == {"given": 1, "received": 1}
    # When a plain member (or Rosa herself) reads it, they are not
    for reader in (MemberFactory(), member):
        api.force_authenticate(reader)
        assert api.get("/api/v1/members/rosa/").json()["recommendations"] is None
