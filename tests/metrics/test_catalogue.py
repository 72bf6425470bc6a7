"""Every metric against a small community built by hand, with the answers worked out by hand.

The community (today is 1 March 2026; the period is February, 28 days; the previous period is
4–31 January):

- members, verified: old (joined 15 Nov 2025, never active), ana (5 Jan), bob (20 Jan), cy (2 Feb),
  dee (5 Feb); eve, a moderator (3 Feb, staff); ulf never verified his address (4 Feb).
- gives: G1 ana→bob 25 Jan 09:00; G2 bob→ana 3 Feb 09:00 (returns G1, 9 days on), ana thanks bob
  for G2 at 15:00 (6 h); G3 bob→cy 5 Feb 12:00 (paid forward); G4 cy→dee 6 Feb 12:00 (paid forward,
  a chain of three: G1, G3, G4); G5 dee→cy 6 Feb 15:00 (returns G4 in 3 h; weighted down to 0.5);
  G6 eve→ana 7 Feb (staff).
- forums: Q1 ana asks 8 Feb 10:00, bob replies 14:00 (4 h), ana accepts it 9 Feb 10:00 (24 h);
  D1 dee opens a discussion 12 Feb, ana replies; Q3 dee asks 14 Feb 10:00, cy replies 11:00 (1 h);
  Q4 bob asks 14 Feb 12:00, ana replies 22:00 (10 h); Q2 cy asks 20 Feb 10:00 and nobody replies.
- visits: ana 6 Jan, dee 20 Feb.
"""

import math
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from community.roles import Role
from forums import services as forum_services
from forums.models import Post, Thread
from members import services
from members.models import Give, Member, Skill
from metrics import rollups, selectors
from metrics.models import Rollup, Visit
from metrics.selectors import Period, Rows
from tests.factories import MemberFactory, make_group

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))


def at(day: str, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"2026-{day}T{hour:02d}:00"))


def give(giver, receiver, when, *, weight=None) -> Give:
    skill = Skill.objects.create(name=f"Subject {Skill.objects.count()}", slug=f"subject-{Skill.objects.count()}")
    recorded = services.record_give(giver=giver, receiver=receiver, kind=Give.Kind.REPLY, subject=skill, at=when,
                                     message="Here is the guide I mentioned")
    if weight is not None:
        Give.objects.filter(pk=recorded.pk).update(weight=weight)
    return recorded


def post(thread_or_group, author, when, *, title="", kind="discussion"):
    """A thread (given a group) or a reply (given a thread), written through the services, then dated."""
    if title:
        thread = forum_services.start_thread(
            author=author, group=thread_or_group, title=title, body="A question body.", kind=kind
        )
        Thread.objects.filter(pk=thread.pk).update(created=when)
        Post.objects.filter(thread=thread).update(created=when)
        return thread
    reply = forum_services.reply(author=author, thread=thread_or_group, body="Here is what worked for us.")
    Post.objects.filter(pk=reply.pk).update(created=when)
    return reply


@pytest.fixture
def community():
    people = {}
    for handle, joined in [("old", "2025-11-15"), ("ana", "2026-01-05"), ("bob", "2026-01-20"),
                           ("cy", "2026-02-02"), ("dee", "2026-02-05")]:
        people[handle] = MemberFactory(handle=handle)
        joined_at = timezone.make_aware(datetime.fromisoformat(f"{joined}T10:00"))
        Member.objects.filter(pk=people[handle].pk).update(date_joined=joined_at)
    people["eve"] = MemberFactory(handle="eve", role=Role.MODERATOR)
    people["ulf"] = MemberFactory(handle="ulf", verified=False)
    Member.objects.filter(pk=people["eve"].pk).update(date_joined=at("02-03"))
    Member.objects.filter(pk=people["ulf"].pk).update(date_joined=at("02-04"))
    ana, bob, cy, dee, eve = (people[h] for h in ("ana", "bob", "cy", "dee", "eve"))

    give(ana, bob, at("01-25", 9))
    g2 = give(bob, ana, at("02-03", 9))
    services.thank(member=ana, give_id=g2.pk, message="That onboarding checklist saved my week")
    Give.objects.filter(pk=g2.pk).update(acknowledged_at=at("02-03", 15))
    Give.objects.filter(kind=Give.Kind.THANKS, giver=ana, receiver=bob).update(created=at("02-03", 15))
    give(bob, cy, at("02-05", 12))
    give(cy, dee, at("02-06", 12))
    give(dee, cy, at("02-06", 15), weight=0.5)
    give(eve, ana, at("02-07"))

    group = make_group(members=[ana, bob, cy, dee])
    q1 = post(group, ana, at("02-08"), title="How do you onboard?", kind="question")
    answer = post(q1, bob, at("02-08", 14))
    forum_services.accept_answer(member=ana, post=answer)
    Give.objects.filter(kind=Give.Kind.ACCEPTED_ANSWER).update(created=at("02-09"), weight=1.0)
    d1 = post(group, dee, at("02-12", 9), title="Our spring meetup")
    post(d1, ana, at("02-12"))
    q3 = post(group, dee, at("02-14"), title="Which survey tool?", kind="question")
    post(q3, cy, at("02-14", 11))
    q4 = post(group, bob, at("02-14", 12), title="Who runs the beta?", kind="question")
    post(q4, ana, at("02-14", 22))
    post(group, cy, at("02-20"), title="Any templates for digests?", kind="question")
    Visit.objects.create(member=ana, day=date(2026, 1, 6))
    Visit.objects.create(member=dee, day=date(2026, 2, 20))
    return people


def figures(*, include_staff=False, period=FEBRUARY):
    value_model = selectors.value_assumptions()
    rows = Rows(first=period.previous.start - timedelta(days=91), last=period.end, include_staff=include_staff,
                groups=True)
    return (selectors.figures_for(rows, period.start, period.end, value_model),
            selectors.figures_for(rows, period.previous.start, period.previous.end, value_model))


def test_every_metric_has_its_golden_value(community):
    rollups.rollup_metrics(rebuild=True, today=TODAY)
    now, before = figures()
    curve = 3 * 2 ** (28 / 182.625)
    expected = {
        # acquisition: cy and dee (eve is staff, ulf unverified); ana and bob in January
        "new_members": (2, 2),
        "members_total": (5, 3),
        "growth_vs_doubling": (5 / curve, 3 / 2 ** (28 / 182.625)),  # ahead of the curve both times
        "doubling_time": (90 * math.log(2) / math.log(5 / 1), None),  # 38.8 days (1 member on 30 Nov)
        # activation: cy and dee both contributed within 14 days; in January bob did, ana did not
        "activation_14d": (1.0, 0.5),
        # first contributions in February: bob 13.96 days, cy 4.08, dee 1.21 → median cy's
        "days_to_first_contribution": (4 + 2 / 24, 20 - 1 / 24),
        # engagement: ana, bob, cy, dee; 16 member-days of activity over 28 days
        "active_members": (4, 1),
        "daily_active": (16 / 28, 2 / 28),
        "weekly_active": ((4 + 4 + 2 + 0) / 4, (1 + 0 + 0 + 1) / 4),  # weeks from 1, 8, 15, 22 Feb
        "contributors": (4, 1),
        "stickiness": (16 / 28 / 4, 2 / 28),
        "threads": (5, 0),
        "replies": (4, 0),
        "posts": (9, 0),
        "replies_per_thread": (0.8, None),
        "reactions": (0, 0),
        # responsiveness: Q1, Q3, Q4 answered within 7 days, Q2 not
        "questions": (4, 0),
        "questions_answered": (0.75, None),
        "time_to_first_reply": (4.0, None),  # median of 4 h (8 Feb), 1 h and 10 h (14 Feb): not 4.75
        "time_to_accepted_answer": (24.0, None),
        "unanswered_48h": (1, 0),
        # reciprocity: G2 1 + thanks 1 + G3 1 + G4 1 + G5 0.5 + accepted answer 1
        "gives": (5.5, 1),
        "gives_per_active_member": (5.5 / 4, 1.0),
        "acknowledged_12h": (2 / 4.5, 0.0),  # G2 (thanked in 6 h) and G4 (returned in 3 h) of 4.5
        "acknowledged_7d": (2 / 4.5, 0.0),  # G1 was returned after 9 days
        "time_to_thank": (6.0, None),
        "two_way_pairs": (0.75, 0.0),  # 3 Feb ana–bob, 6 Feb cy–dee, 9 Feb ana–bob; not 5 Feb bob–cy
        "pay_forward": (2, 0),  # G3 and G4
        "longest_chain": (3, 0),  # G1 → G3 → G4
        "give_ask_ratio": (5.5 / 4, None),
        "own_promotion_share": (0.0, None),
        "weighted_down_share": (1 / 6, 0.0),
        # content
        "articles_published": (0, 0),
        "digests_published": (0, 0),
        "guest_posts_published": (0, 0),
        "members_credited": (0, 0),
        "shares": (0, 0),
        # retention: cy and dee were active in their second week; ana and bob were not
        "retained_1w": (1.0, 0.0),
        "retained_4w": (None, 0.5),  # February's joiners' fifth week ends after today; ana was back
        "retained_12w": (None, None),
        "went_quiet": (0, 0),
        # value: one accepted answer at the default 25 €
        "accepted_answers": (1, 0),
        "accepted_introductions": (0, 0),
        "approved_recommendations": (0, 0),
        "beta_contributions": (0, 0),
        "value_total": (25.0, 0.0),
    }
    assert set(expected) == {metric.key for metric in selectors.METRICS}
    for key, (value, previous) in expected.items():
        assert now[key] == pytest.approx(value), key
        assert before[key] == pytest.approx(previous), f"{key} (previous period)"


def test_staff_are_left_out_unless_included(community):
    rollups.rollup_metrics(rebuild=True, today=TODAY)
    now, _ = figures(include_staff=True)
    assert now["new_members"] == 3  # eve joined on 3 February
    assert now["gives"] == 6.5  # and gave ana a reply on 7 February
    assert now["active_members"] == 5
    assert now["acknowledged_12h"] == pytest.approx(2 / 5.5)


def test_the_value_model_prices_outcomes(community):
    from metrics.models import ValueModel

    model = ValueModel.load()
    model.accepted_answer = 40
    model.beta_groups.set([Thread.objects.first().group])
    model.save()
    rollups.rollup_metrics(rebuild=True, today=TODAY)
    now, _ = figures()
    assert now["beta_contributions"] == 9
    assert now["value_total"] == 40 + 9 * 15


def test_doubling_time_from_the_last_90_days(community):
    """5 members on 28 February against 1 on 30 November: 5× in 90 days, doubling every 38.8 days."""
    rollups.rollup_metrics(rebuild=True, today=TODAY)
    now, _ = figures()
    assert now["doubling_time"] == pytest.approx(38.76, abs=0.01)


def _rows():
    return sorted(
        (r.metric, r.day, r.group_id, r.staff_included, r.value, r.numerator, r.denominator, r.samples)
        for r in Rollup.objects.all()
    )


def test_a_rebuild_writes_the_rows_incremental_runs_wrote(community):
    rollups.rollup_metrics(since=date(2025, 11, 15), today=date(2026, 2, 10))
    for day in range(11, 29):
        rollups.rollup_metrics(today=date(2026, 2, day))
    rollups.rollup_metrics(today=TODAY)
    incremental = _rows()
    rollups.rollup_metrics(rebuild=True, today=TODAY)
    assert _rows() == incremental
    assert len(incremental) > 7000  # 107 days, two scopes, every metric


def test_figures_from_rollups_equal_the_live_computation(community):
    rollups.rollup_metrics(rebuild=True, today=TODAY)
    stored, _ = figures()
    live_rows = Rows.__new__(Rows)
    live_rows.by_metric = {}
    for row in rollups.compute(date(2025, 11, 15), TODAY, include_staff=False, today=TODAY):
        live_rows.by_metric.setdefault((row.metric, row.group_id), {})[row.day] = row
    live = selectors.figures_for(live_rows, FEBRUARY.start, FEBRUARY.end, selectors.value_assumptions())
    assert live == stored


def test_a_member_who_goes_quiet_is_counted_on_the_sixtieth_silent_day(community):
    rollups.rollup_metrics(rebuild=True, today=date(2026, 4, 30))
    rows = {r.day: r.value for r in Rollup.objects.filter(metric="went_quiet", staff_included=False) if r.value}
    # ana and bob were last active on 14 February, cy and dee on 20 February
    assert rows == {date(2026, 4, 15): 2.0, date(2026, 4, 21): 2.0}


def test_the_cohort_table_by_join_week(community):
    rollups.rollup_metrics(rebuild=True, today=TODAY)
    january = Period(date(2026, 1, 4), date(2026, 1, 31))
    table = [(row["start"], row["joined"], row["retained_1w"], row["retained_4w"], row["retained_12w"])
             for row in selectors.cohorts(january, include_staff=False)]
    assert table == [
        (date(2026, 1, 4), 1, 0.0, 1.0, None),  # ana: back in her fifth week (3 February), not her second
        (date(2026, 1, 11), 0, None, None, None),
        (date(2026, 1, 18), 1, 0.0, 0.0, None),  # bob: not back in either
        (date(2026, 1, 25), 0, None, None, None),
    ]
    february = [(row["joined"], row["retained_1w"], row["retained_4w"]) for row in selectors.cohorts(
        FEBRUARY, include_staff=False)]
    assert february[0] == (2, 1.0, None)  # cy and dee; their fifth week is not over on 1 March
