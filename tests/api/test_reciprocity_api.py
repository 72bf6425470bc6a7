"""The reciprocity API: same rules as Pay it back, and nobody reads another member's ledger."""

import pytest
from rest_framework.test import APIClient

from members import services
from members.models import Give
from tests.factories import MemberFactory, SkillFactory


@pytest.fixture
def skill(db):
    return SkillFactory(name="Facilitation")


@pytest.fixture
def ana(skill):
    return MemberFactory(handle="ana", display_name="Ana", skills=[skill])


@pytest.fixture
def ben(skill):
    return MemberFactory(handle="ben", display_name="Ben", skills=[skill])


def client_for(member) -> APIClient:
    api = APIClient()
    api.force_authenticate(member)
    return api


def test_endorse_then_thank_through_the_api(ana, ben):
    created = client_for(ana).post("/api/v1/endorsements/", {"member": "ben", "skill": "facilitation"}, format="json")
    assert created.status_code == 201
    api = client_for(ben)
    owed = api.get("/api/v1/gives/owed/").json()
    assert owed["count"] == 1
    give = owed["results"][0]
    assert (give["giver"]["handle"], give["kind"], give["late"]) == ("ana", "endorsement", False)

    formula = api.post(f"/api/v1/gives/{give['id']}/thank/", {"message": "great post!"}, format="json")
    assert formula.status_code == 400
    assert "Say something specific" in formula.json()["message"][0]

    thanked = api.post(
        f"/api/v1/gives/{give['id']}/thank/", {"message": "That got me my first workshop"}, format="json"
    )
    assert thanked.status_code == 200
    assert thanked.json()["acknowledgement"] == "thanked"
    assert api.get("/api/v1/gives/owed/").json()["count"] == 0
    notes = client_for(ana).get("/api/v1/notifications/").json()["results"]
    assert notes[0]["text"] == "Ben thanked you: “That got me my first workshop”"


@pytest.mark.parametrize(
    "payload, status, field",
    [
        ({"member": "ana", "skill": "facilitation"}, 400, "detail"),  # yourself
        ({"member": "ben", "skill": "no-such-skill"}, 400, "skill"),
        ({"member": "nobody", "skill": "facilitation"}, 404, "detail"),
    ],
)
def test_bad_endorsements_get_clear_errors(ana, ben, payload, status, field):
    response = client_for(ana).post("/api/v1/endorsements/", payload, format="json")
    assert response.status_code == status
    assert field in response.json()
    assert Give.objects.count() == 0


def test_nobody_acknowledges_or_reads_another_members_gives(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    intruder = client_for(MemberFactory())
    assert intruder.get("/api/v1/gives/owed/").json()["count"] == 0
    assert (
        intruder.post(f"/api/v1/gives/{give.pk}/thank/", {"message": "A real message"}, format="json").status_code
        == 403
    )
    assert intruder.post(f"/api/v1/gives/{give.pk}/dismiss/").status_code == 403
    assert APIClient().get("/api/v1/gives/owed/").status_code in (401, 403)
    give.refresh_from_db()
    assert give.acknowledged_at is None


def test_dismiss_twice_is_refused(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    api = client_for(ben)
    assert api.post(f"/api/v1/gives/{give.pk}/dismiss/").status_code == 200
    again = api.post(f"/api/v1/gives/{give.pk}/dismiss/")
    assert again.status_code == 409
    assert "already acknowledged" in again.json()["detail"]


def test_notifications_mark_read(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    api = client_for(ben)
    assert api.get("/api/v1/notifications/").json()["results"][0]["read_at"] is None
    assert api.post("/api/v1/notifications/read/").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/").json()["results"][0]["read_at"] is not None


def test_recommend_and_connect_through_the_api(ana, ben):
    praise = "Ben answered every newcomer question in the onboarding forum for a whole month"
    written = client_for(ana).post("/api/v1/recommendations/", {"member": "ben", "text": praise}, format="json")
    assert written.status_code == 201 and written.json()["status"] == "pending"
    short = client_for(ana).post("/api/v1/connections/", {"member": "ben", "note": "Let's connect"}, format="json")
    assert short.status_code == 400
    assert "why you want to connect" in short.json()["note"][0]
    asked = client_for(ana).post(
        "/api/v1/connections/", {"member": "ben", "note": "We both run onboarding; compare notes?"}, format="json"
    )
    assert asked.status_code == 201

    api = client_for(ben)
    waiting = api.get("/api/v1/requests/").json()
    assert [c["requester"]["handle"] for c in waiting["connections"]] == ["ana"]
    assert [r["text"] for r in waiting["recommendations"]] == [praise]
    assert client_for(ana).post(f"/api/v1/connections/{asked.json()['id']}/accept/").status_code == 403
    assert api.post(f"/api/v1/connections/{asked.json()['id']}/accept/").json()["status"] == "accepted"
    assert api.post(f"/api/v1/recommendations/{written.json()['id']}/approve/").json()["status"] == "approved"
    assert api.post(f"/api/v1/recommendations/{written.json()['id']}/decline/").status_code == 409
    assert api.get("/api/v1/requests/").json() == {"connections": [], "introductions": [], "recommendations": []}


def test_reciprocity_figures_are_private(ana, ben, skill):
    from community.roles import Role

    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    mine = client_for(ben).get("/api/v1/members/ben/reciprocity/")
    assert mine.status_code == 200
    assert mine.json()["by_kind"] == [{"kind": "endorsement", "given": 0, "received": 1}]
    assert [b["person"]["handle"] for b in mine.json()["not_helped_back"]] == ["ana"]
    assert client_for(ana).get("/api/v1/members/ben/reciprocity/").status_code == 403
    assert client_for(MemberFactory(role=Role.MANAGER)).get("/api/v1/members/ben/reciprocity/").status_code == 200


def test_introduce_through_the_api(ana, ben):
    cara = MemberFactory(handle="cara")
    note = "Ben runs onboarding at Kestrel and Cara is starting one: you should compare notes"
    made = client_for(ana).post(
        "/api/v1/introductions/", {"first": "ben", "second": "cara", "note": note}, format="json"
    )
    assert made.status_code == 201 and made.json()["outcome"] == "waiting"
    assert client_for(cara).get("/api/v1/requests/").json()["introductions"][0]["note"] == note
    introduction_id = made.json()["id"]
    client_for(ben).post(f"/api/v1/introductions/{introduction_id}/accept/")
    answered = client_for(cara).post(f"/api/v1/introductions/{introduction_id}/accept/")
    assert answered.json()["outcome"] == "connected"
    assert client_for(ana).post(f"/api/v1/introductions/{introduction_id}/accept/").status_code == 403
    standard = client_for(ana).post(
        "/api/v1/introductions/", {"first": "ben", "second": "ana", "note": note}, format="json"
    )
    assert standard.status_code == 400
