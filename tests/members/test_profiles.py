"""Profiles: a member edits their own; bad input gets a clear error and changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members import services
from members.errors import InvalidAvatar, InvalidSkill, MemberError
from members.models import Member, Skill
from tests.factories import MemberFactory, SkillFactory

EDIT_URL = reverse("members:edit-profile")


def png_bytes(size=(64, 40), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, format="PNG")
    return out.getvalue()


def profile_post(**overrides):
    data = {
        "display_name": "Rosa Mensah",
        "headline": "Runs the mentoring circle",
        "organisation": "Harbor Analytics",
        "job_title": "Data analyst",
        "location": "Lisbon",
        "bio": "I like helping new members find their feet.",
        "website": "https://rosa.example.org",
        "linkedin_url": "",
        "github_url": "",
        "mastodon_url": "",
        "interests": "mentoring, open source",
        "new_skill": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def member(db):
    return MemberFactory(handle="rosa", display_name="Rosa")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_member_saves_a_full_profile(member_client, member):
    skill = SkillFactory(name="Mentoring")
    response = member_client.post(EDIT_URL, profile_post(skills=[skill.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/members/rosa/"
    member.refresh_from_db()
    assert member.headline == "Runs the mentoring circle"
    assert member.website == "https://rosa.example.org"
    assert [s.name for s in member.skills.all()] == ["Mentoring"]
    assert sorted(i.name for i in member.interests.all()) == ["mentoring", "open source"]


def test_avatar_is_reencoded_to_a_square_webp(member_client, member):
    upload = SimpleUploadedFile("me.png", png_bytes((300, 200)), content_type="image/png")
    response = member_client.post(EDIT_URL, {**profile_post(), "avatar_upload": upload})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar.name.endswith(".webp")
    with Image.open(member.avatar.path) as stored:
        assert stored.format == "WEBP"
        assert stored.size == (200, 200)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("website", "not a url", "Enter a valid URL."),
        ("github_url", "javascript:alert(1)", "Enter a valid URL."),
        ("headline", "x" * 141, "Ensure this value has at most 140 characters"),
        ("bio", "x" * 2001, "Ensure this value has at most 2000 characters"),
    ],
)
def test_invalid_field_is_refused_and_nothing_changes(member_client, member, field, value, message):
    before = Member.objects.values().get(pk=member.pk)
    response = member_client.post(EDIT_URL, profile_post(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Member.objects.values().get(pk=member.pk) == before


def test_a_file_that_is_not_an_image_is_refused(member_client, member):
    upload = SimpleUploadedFile("me.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    response = member_client.post(EDIT_URL, {**profile_post(), "avatar_upload": upload})
    assert response.status_code == 400
    assert "That file is not an image we can read." in response.content.decode()
    member.refresh_from_db()
    assert member.avatar.name == ""
    assert member.headline == ""  # the rest of the edit was not applied either


def test_an_oversize_avatar_is_refused(member_client, member, settings):
    settings.AVATAR_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.png", png_bytes((600, 600)) + b"\0" * 2048, content_type="image/png")
    response = member_client.post(EDIT_URL, {**profile_post(), "avatar_upload": upload})
    assert response.status_code == 400
    assert "The image is too large" in response.content.decode()
    member.refresh_from_db()
    assert member.avatar.name == ""


def test_reencode_refuses_unsupported_formats(db):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(InvalidAvatar, match="JPEG, PNG, WebP or GIF"):
        services.set_avatar(member=MemberFactory(), upload=SimpleUploadedFile("a.bmp", out.getvalue()))


def test_replacing_an_avatar_removes_the_old_file(django_capture_on_commit_callbacks, member):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_avatar(member=member, upload=SimpleUploadedFile("a.png", png_bytes()))
    first = member.avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        services.set_avatar(member=member, upload=SimpleUploadedFile("b.png", png_bytes()))
    import os

    assert not os.path.exists(first)
    assert os.path.exists(member.avatar.path)


def test_update_profile_refuses_fields_outside_the_profile(member):
    with pytest.raises(MemberError, match="cannot be changed here: is_superuser"):
        services.update_profile(member=member, is_superuser=True)


def test_proposing_a_skill_adds_it_for_review_and_to_the_profile(member_client, member):
    response = member_client.post(EDIT_URL, profile_post(new_skill="Conflict   resolution"))
    assert response.status_code == 302
    skill = Skill.objects.get(name="Conflict resolution")
    assert skill.status == Skill.Status.PROPOSED
    assert skill.proposed_by == member
    assert list(member.skills.all()) == [skill]


def test_proposing_an_existing_skill_reuses_it(member):
    existing = SkillFactory(name="Facilitation")
    assert services.propose_skill(member=member, name="facilitation") == existing
    assert Skill.objects.count() == 1


def test_a_skill_proposed_by_someone_else_cannot_be_listed_before_review(member):
    other = MemberFactory()
    proposed = services.propose_skill(member=other, name="Origami")
    with pytest.raises(InvalidSkill, match="awaiting review"):
        services.set_skills(member=member, skills=[proposed])


@pytest.mark.parametrize(
    "name, message", [("", "Give the skill a name"), ("x" * 61, "at most 60"), ("!!!", "letter or digit")]
)
def test_bad_skill_names_are_refused(member, name, message):
    with pytest.raises(InvalidSkill, match=message):
        services.propose_skill(member=member, name=name)


def test_too_many_interests_are_refused(member):
    with pytest.raises(MemberError, match="at most 20 interests"):
        services.set_interests(member=member, names=[f"topic {n}" for n in range(21)])


def test_interests_are_shared_case_insensitively(member):
    other = MemberFactory()
    services.set_interests(member=member, names=["Open Source"])
    services.set_interests(member=other, names=["open source", "  open   source "])
    assert member.interests.get() == other.interests.get()


def test_edit_page_requires_sign_in(client):
    response = client.get(EDIT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_page_shows_the_member(member_client, member):
    services.edit_profile(
        member=member, fields={"headline": "Connector of people", "github_url": "https://github.com/rosa"}
    )
    page = member_client.get("/members/rosa/").content.decode()
    assert "Connector of people" in page
    assert 'href="https://github.com/rosa"' in page


def test_unknown_or_inactive_profile_is_404(member_client):
    assert member_client.get("/members/nobody/").status_code == 404
    gone = MemberFactory(handle="gone")
    Member.objects.filter(pk=gone.pk).update(is_active=False)
    assert member_client.get("/members/gone/").status_code == 404


def test_profile_text_is_escaped(member_client, member):
    services.update_profile(member=member, bio="<script>alert(1)</script>", headline="<img src=x onerror=alert(1)>")
    page = member_client.get("/members/rosa/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page
