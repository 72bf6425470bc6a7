"""My reciprocity: private figures, the balance with each person, who helped you that you have not helped back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.roles import Role
from members import services
from members.my_reciprocity import reciprocity_summary
from members.models import Give
from tests.factories import MemberFactory, SkillFactory


@pytest.fixture
def skill(db):
    return SkillFactory(name="Facilitation")


def test_summary_counts_acknowledgement_speed_and_balances(skill):
    me = MemberFactory(handle="rosa", skills=[skill])
    quick, slow, silent = (MemberFactory(skills=[skill], display_name=name) for name in ("Quick", "Slow", "Silent"))
    for giver in (quick, slow, silent):
        services.endorse(endorser=giver, endorsee=me, skill=skill)
    Give.objects.filter(giver=slow).update(created=timezone.now() - timedelta(days=3))
    Give.objects.filter(giver=quick).update(created=timezone.now() - timedelta(hours=2))
    for giver in (quick, slow):
        services.thank(member=me, give_id=Give.objects.get(giver=giver).pk, message="That endorsement opened a door")
    services.endorse(endorser=me, endorsee=quick, skill=skill)

    summary = reciprocity_summary(me)
    assert summary.received_total == 3
    assert summary.acknowledged_within_12_hours == 33  # quick only
    assert summary.acknowledged_within_7_days == 67  # quick and slow
    assert summary.median_hours_to_thank == pytest.approx((2 + 72) / 2, abs=0.2)
    assert [b.person.name for b in summary.not_helped_back] == ["Silent", "Slow"]
    assert ("endorsement", 1, 3) in summary.by_kind
    quick_balance = next(b for b in summary.balances if b.person == quick)
    assert quick_balance.given > 0 and quick_balance.received > 0


def test_forced_and_old_gives_count_less_in_the_balance(skill):
    me, ring_partner, old_friend = (MemberFactory(skills=[skill]) for _ in range(3))
    services.endorse(endorser=old_friend, endorsee=me, skill=skill)
    Give.objects.update(created=timezone.now() - timedelta(days=180))
    services.endorse(endorser=me, endorsee=ring_partner, skill=skill)
    services.endorse(endorser=ring_partner, endorsee=me, skill=skill)  # endorse-back within minutes
    balances = {b.person: b for b in reciprocity_summary(me).balances}
    assert balances[old_friend].received == pytest.approx(0.25, abs=0.01)  # two half-lives
    assert balances[ring_partner].received < 1


def test_my_reciprocity_is_private_to_the_member_and_managers(client, skill):
    rosa = MemberFactory(handle="rosa")
    client.force_login(rosa)
    assert "My reciprocity" in client.get("/members/me/reciprocity/").content.decode()
    assert client.get("/members/rosa/reciprocity/").status_code == 200
    client.force_login(MemberFactory())
    assert client.get("/members/rosa/reciprocity/").status_code == 403
    client.force_login(MemberFactory(role=Role.MANAGER))
    assert client.get("/members/rosa/reciprocity/").status_code == 200
