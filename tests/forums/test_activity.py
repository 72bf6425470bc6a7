"""My reciprocity counts what the member asks of the forums and how much they promote themselves (rule 5)."""

import pytest

from forums import services
from forums.models import Thread
from members import services as member_services
from members.my_reciprocity import reciprocity_summary
from tests.factories import PASSWORD, MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db


def test_give_ask_ratio_and_promotion_share(client):
    member, other = MemberFactory(), MemberFactory()
    group = make_group(members=[member, other])
    make_thread(group=group, author=member, kind=Thread.Kind.QUESTION, title="How do you run AMAs?")
    discussion = make_thread(group=group, author=other, title="Favourite welcome rituals")
    for text in ("A welcome call.", "A buddy for two weeks.", "A thread for introductions."):
        services.reply(author=member, thread=discussion, body=f"{text} It worked for us at the studio.")
    make_thread(group=group, author=member, kind=Thread.Kind.PROMOTION, title="Our onboarding course")
    member_services.request_connection(
        requester=member, addressee=other, note="We both run onboarding programmes; I'd love to compare notes."
    )

    summary = reciprocity_summary(member)

    assert (summary.activity.asks, summary.activity.posts, summary.activity.promotions) == (2, 5, 1)
    assert summary.gives_made == 3 and summary.give_ask_ratio == 1.5
    assert summary.activity.promotion_share == 20 and not summary.activity.promotes_too_much
    client.login(username=member.email, password=PASSWORD)
    page = client.get("/members/me/reciprocity/").text
    assert '<span class="stat__value">1.5</span>' in page and "gave 3 times and asked 2 times" in page
    assert "20 %" in page
