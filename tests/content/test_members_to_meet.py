"""Members to meet on the home page: who gave most (by the ledger's scores, rule 8) and newcomers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _give_genuinely(giver, times: int) -> None:
    """`times` endorsements from `giver` that nobody returns: full weight each."""
    from members import services as member_services
    from tests.factories import SkillFactory

    skill = SkillFactory(name="Facilitation")
    for _ in range(times):
        member_services.endorse(endorser=giver, endorsee=MemberFactory(skills=[skill]), skill=skill)


def test_members_to_meet_mix_those_who_gave_most_and_newcomers_never_the_viewer():
    from content.selectors import members_to_meet
    from members.models import Member

    veterans = [MemberFactory() for _ in range(4)]
    for rank, veteran in enumerate(veterans):
        _give_genuinely(veteran, 5 - rank)
    Member.objects.filter(pk__in=[m.pk for m in veterans]).update(date_joined=timezone.now() - timedelta(days=400))
    Member.objects.exclude(pk__in=[m.pk for m in veterans]).update(date_joined=timezone.now() - timedelta(days=60))
    newcomers = [MemberFactory() for _ in range(4)]
    viewer = veterans[0]

    people = members_to_meet(viewer, count=6)

    assert viewer not in people and len(people) == 6
    assert people[0::2] == veterans[1:4]  # who gave most, in order, the viewer left out
    assert set(people[1::2]) <= set(newcomers)  # interleaved with the newest arrivals


def test_members_to_meet_rank_a_ring_of_endorse_backs_below_genuine_help():
    """Rule 8 in every score: raw counts would put the two who trade endorsements first."""
    from content.selectors import members_to_meet
    from members import services as member_services
    from members.models import Member
    from tests.factories import SkillFactory

    skill = SkillFactory(name="Facilitation")
    traders = [MemberFactory(skills=[skill]) for _ in range(2)]
    partners = [MemberFactory(skills=[skill]) for _ in range(3)]
    for trader in traders:  # three endorse-backs each: six gives a trader, a quarter each
        for partner in partners:
            member_services.endorse(endorser=trader, endorsee=partner, skill=skill)
            member_services.endorse(endorser=partner, endorsee=trader, skill=skill)
    helper = MemberFactory()
    _give_genuinely(helper, 2)
    Member.objects.update(date_joined=timezone.now() - timedelta(days=400))  # nobody is a newcomer
    traders[0].refresh_from_db()
    assert traders[0].gives_given > Member.objects.get(pk=helper.pk).gives_given  # raw, the trader leads

    people = members_to_meet(MemberFactory(), count=2)

    assert people[0] == helper
