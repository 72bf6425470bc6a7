"""90-day plans: actuals from the metrics, projection and status, suggested targets, outreach lists
and messages, rollover, permissions for every role, and the pages' queries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.roles import Role
from forums import services as forum_services
from members.models import AuditEntry, Give, MailFrequency, Member, Notification
from members.services import record_give
from metrics import rollups
from metrics import selectors as metric_selectors
from metrics.selectors import Period
from plans import outreach, selectors, services
from plans.errors import FormulaOutreach, PlanError
from plans.models import Plan, Programme
from tests.factories import MemberFactory, SkillFactory, make_group, make_member_of, make_thread

pytestmark = pytest.mark.django_db


def days_ago(n: int):
    return timezone.now() - timedelta(days=n)


def roll(days: int = 100) -> None:
    """Roll the metrics up from `days` ago: the first member joined by then, the rollups start there."""
    first = Member.objects.order_by("date_joined").first()
    if first.date_joined > days_ago(days):
        Member.objects.filter(pk=first.pk).update(date_joined=days_ago(days))
    rollups.rollup_metrics(since=timezone.localdate() - timedelta(days=days))


def joined(member, n_days: float):
    Member.objects.filter(pk=member.pk).update(date_joined=timezone.now() - timedelta(days=n_days))
    member.refresh_from_db()
    return member


@pytest.fixture
def manager():
    return MemberFactory(role=Role.MANAGER)


@pytest.fixture
def plan(manager):
    return services.create_plan(actor=manager, title="Spring", start=timezone.localdate() - timedelta(days=9))


def programme(plan, kind=Programme.Kind.ACQUISITION):
    return plan.programmes.get(kind=kind)


# --- Projection and status, worked by hand ----------------------------------------------------------

def test_a_count_is_projected_at_its_pace():
    # 30 after 30 days → 90 by day 90: on track for 90, at risk for 100 (90 % of the way), behind for 120 (75 %).
    assert selectors.progress(actual=30, target=90, baseline=None, mode="pace", days=30).projected == 90
    assert selectors.progress(actual=30, target=90, baseline=None, mode="pace", days=30).status == "on-track"
    assert selectors.progress(actual=30, target=100, baseline=None, mode="pace", days=30).status == "at-risk"
    assert selectors.progress(actual=30, target=120, baseline=None, mode="pace", days=30).status == "behind"
    assert selectors.progress(actual=30, target=120, baseline=None, mode="pace", days=30).share == 0.25


def test_a_level_continues_its_trend_from_the_baseline():
    # 1,000 members at the start, 1,100 after 45 days → 1,200 on day 90; the target 1,410 is 20 % of the way... behind.
    result = selectors.progress(actual=1100, target=1410, baseline=1000, mode="trend", days=45)
    assert result.projected == 1200
    assert result.status == "behind"
    assert selectors.progress(actual=1100, target=1220, baseline=1000, mode="trend", days=45).status == "at-risk"
    assert selectors.progress(actual=1100, target=1200, baseline=1000, mode="trend", days=45).status == "on-track"


def test_a_share_is_its_figure_so_far_and_lower_can_be_better():
    assert selectors.progress(actual=0.68, target=0.7, baseline=0.6, mode="level", days=10).status == "at-risk"
    # Time to first reply: 10 h before, 6 h wanted, 7 h so far: 75 % of the way down → behind.
    result = selectors.progress(actual=7, target=6, baseline=10, mode="level", days=10, higher=False)
    assert result.share == 0.75 and result.status == "behind"
    assert selectors.progress(actual=None, target=6, baseline=10, mode="level", days=0).status == "not-started"


def test_suggested_targets_follow_the_doubling_curve(manager):
    assert round(selectors.GROWTH_FACTOR, 2) == 1.41
    start = timezone.localdate() - timedelta(days=1)
    # 10 members 100 days ago, 10 more since: 20 when the plan starts, 10 of them in the last 90 days.
    for n in range(10):
        joined(MemberFactory(), 150)
    for n in range(10):
        joined(MemberFactory(), 30)
    roll(95)
    suggestions = {s.key: s for s in selectors.suggested_targets(start)}
    total = suggestions["members_total"]
    assert total.baseline == 20  # staff (the manager) left out
    assert total.curve == round(20 * selectors.GROWTH_FACTOR) == 28
    assert total.last_pace == 40  # doubled in the last 90 days: ×2 again
    assert suggestions["new_members"].curve == 8 and suggestions["new_members"].last_pace == 20
    assert suggestions["new_members"].baseline == 10


def test_actuals_are_the_metrics_figures_for_the_plan_period(manager, plan):
    group = make_group(manager=manager)
    for n in range(3):
        make_thread(group=group, title=f"Thread {n}")
    from forums.models import Post, Thread

    Thread.objects.update(created=days_ago(3))
    Post.objects.update(created=days_ago(3))
    roll(12)
    services.add_objective(actor=manager, plan=plan, programme=programme(plan, Programme.Kind.CONTENT),
                           metric="threads", target=30, owner=manager)
    services.add_objective(actor=manager, plan=plan, programme=programme(plan), metric="members_total", target=30,
                           owner=manager)
    page = selectors.plan_page(plan)
    rows = {row.objective.metric: row for _p, rows, _i in page.programmes for row in rows}
    period = Period(plan.start, timezone.localdate() - timedelta(days=1))
    dashboard = metric_selectors.dashboard(period, include_staff=False)
    assert rows["threads"].progress.actual == dashboard.figures["threads"].value == 3
    assert rows["members_total"].progress.actual == dashboard.figures["members_total"].value
    assert page.day == 10 and page.days_with_figures == 9
    # 3 threads in 9 days → 30 by day 90: on track for 30.
    assert rows["threads"].progress.projected == 30 and rows["threads"].progress.status == "on-track"
    assert rows["threads"].chart["data"]["values"]


def test_an_objective_baseline_is_the_previous_90_days_and_editable(manager, plan):
    group = make_group(manager=manager)
    make_thread(group=group)
    from forums.models import Post, Thread

    Thread.objects.update(created=days_ago(40))
    Post.objects.update(created=days_ago(40))
    roll(100)
    objective = services.add_objective(actor=manager, plan=plan, programme=programme(plan), metric="threads",
                                       target=5, owner=manager)
    assert objective.baseline == 1
    services.update_objective(actor=manager, objective=objective, baseline=2)
    objective.refresh_from_db()
    assert objective.baseline == 2
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PLAN_CHANGED).count() == 2


def test_objective_rules(manager, plan):
    member = MemberFactory()
    with pytest.raises(PlanError, match="owner"):
        services.add_objective(actor=manager, plan=plan, programme=programme(plan), metric="threads", target=5,
                               owner=member)
    with pytest.raises(PlanError, match="catalogue"):
        services.add_objective(actor=manager, plan=plan, programme=programme(plan), metric="nope", target=5,
                               owner=manager)
    with pytest.raises(PlanError, match="manual count"):
        services.add_objective(actor=manager, plan=plan, programme=programme(plan), target=5, owner=manager)
    with pytest.raises(PlanError, match="beta group"):
        services.add_objective(actor=manager, plan=plan, programme=programme(plan), metric="beta:posts", target=5,
                               owner=manager)
    moderator = MemberFactory(role=Role.MODERATOR)
    manual = services.add_objective(actor=manager, plan=plan, programme=programme(plan), manual_name="Calls",
                                    manual_definition="Newcomers called", target=10, owner=moderator)
    assert manual.owner == moderator


def test_a_plan_is_audited_and_lasts_ninety_days(manager, plan):
    assert plan.end - plan.start == timedelta(days=89)
    assert [p.kind for p in plan.programmes.all()] == ["acquisition", "beta", "content", "outreach"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PLAN_CREATED)
    assert entry.actor == manager and entry.details["plan"] == plan.pk
    with pytest.raises(PlanError, match="Another running plan"):
        services.create_plan(actor=manager, title="Overlap", start=plan.start + timedelta(days=30))


# --- Outreach lists on a hand-built community ---------------------------------------------------------

@pytest.fixture
def community(manager):
    group = make_group(manager=manager, name="Welcome")
    people = {}
    people["silent_newcomer"] = joined(MemberFactory(), 3)
    people["old_silent"] = joined(MemberFactory(), 40)
    people["staff_newcomer"] = joined(MemberFactory(role=Role.MODERATOR), 2)
    # A newcomer whose first post waited; one who got a reply within the hour.
    waited = joined(MemberFactory(), 5)
    answered = joined(MemberFactory(), 5)
    helper = joined(MemberFactory(), 300)
    thread_waited = make_thread(group=group, author=waited, title="Anyone using the API?")
    thread_answered = make_thread(group=group, author=answered, title="Hello from Lyon")
    make_member_of(group, helper)
    reply = forum_services.reply(author=helper, thread=thread_answered, body="Welcome! Lyon has a meetup.")
    from forums.models import Post, Thread

    Post.objects.filter(thread=thread_waited).update(created=days_ago(3))
    Thread.objects.filter(pk=thread_waited.pk).update(created=days_ago(3), kind="question")
    Post.objects.filter(thread=thread_answered, number=1).update(created=days_ago(3))
    Post.objects.filter(pk=reply.pk).update(created=days_ago(3) + timedelta(hours=1))
    people.update(waited=waited, answered=answered, helper=helper)
    # Quiet: a give 60 days ago and nothing since; busy: the same and a post last week.
    quiet, busy = joined(MemberFactory(), 200), joined(MemberFactory(), 200)
    for giver in (quiet, busy):
        record_give(giver=giver, receiver=helper, kind=Give.Kind.SHARE, subject=giver, at=days_ago(60))
    make_thread(group=group, author=busy, title="Back again")
    Post.objects.filter(author=busy).update(created=days_ago(7))
    people.update(quiet=quiet, busy=busy)
    # Generous: six gives nobody acknowledged; thanked: six gives, five thanked.
    generous, thanked = joined(MemberFactory(), 200), joined(MemberFactory(), 200)
    receivers = [joined(MemberFactory(), 200) for _ in range(6)]
    for giver in (generous, thanked):
        for receiver in receivers:
            record_give(giver=giver, receiver=receiver, kind=Give.Kind.SHARE, subject=receiver, at=days_ago(10))
    Give.objects.filter(giver=thanked).exclude(receiver=receivers[0]).update(
        acknowledgement=Give.Acknowledgement.THANKED, acknowledged_at=days_ago(9))
    people.update(generous=generous, thanked=thanked, receivers=receivers)
    # Skills: two members with the beta topic's skill, one already in the beta group.
    skill = SkillFactory(name="Product research")
    beta = make_group(manager=manager, name="Beta")
    with_skill = joined(MemberFactory(skills=[skill]), 200)
    in_beta = joined(MemberFactory(skills=[skill]), 200)
    make_member_of(beta, in_beta)
    people.update(with_skill=with_skill, in_beta=in_beta, skill=skill, beta=beta, thread_waited=thread_waited)
    # Givers and receivers have posted or given recently: keep them off the "quiet" list's way.
    return people


def listed(plan, key):
    return [row.member.pk for row in outreach.LISTS[key].rows(plan, now=timezone.now(), limit=100)]


def test_newcomers_who_have_not_contributed(plan, community):
    assert listed(plan, "newcomers") == [community["silent_newcomer"].pk]


def test_newcomers_whose_first_post_got_no_reply(plan, community):
    assert listed(plan, "first_post") == [community["waited"].pk]


def test_members_who_went_quiet(plan, community):
    assert listed(plan, "quiet") == [community["quiet"].pk]


def test_generous_members_nobody_thanked(plan, community):
    assert listed(plan, "generous") == [community["generous"].pk]
    row = outreach.LISTS["generous"].rows(plan, now=timezone.now())[0]
    assert row.detail.startswith("6 gives") and "0 acknowledged" in row.detail


def test_members_with_the_beta_groups_skills_not_in_it(manager, plan, community):
    assert listed(plan, "beta_skills") == []  # no beta group yet
    services.set_beta_group(actor=manager, plan=plan, group=community["beta"], skills=[community["skill"]])
    plan.refresh_from_db()
    assert listed(plan, "beta_skills") == [community["with_skill"].pk]


def test_open_questions_after_48_hours(plan, community):
    rows = outreach.LISTS["open_questions"].rows(plan, now=timezone.now())
    assert [row.member.pk for row in rows] == [community["waited"].pk]
    assert rows[0].url.endswith(f"/{community['thread_waited'].pk}/")


# --- Sending outreach ------------------------------------------------------------------------------------

def test_a_formula_message_is_refused_unless_the_manager_insists(manager, plan, community):
    member = community["quiet"]
    with pytest.raises(FormulaOutreach, match="could be sent to anyone"):
        services.send_outreach(actor=manager, plan=plan, list_key="quiet", members=[member], message="Thanks!")
    contacts = services.send_outreach(actor=manager, plan=plan, list_key="quiet", members=[member],
                                      message="Thanks!", allow_formula=True)
    assert contacts[0].formula is True


def test_outreach_is_a_notification_and_a_mail_and_is_logged(manager, plan, community, django_capture_on_commit_callbacks):
    members = [community["quiet"], community["generous"]]
    for member in members:  # mailed as each member's "plan outreach" preference says: here, at once
        member.mail_outreach = MailFrequency.IMMEDIATELY
        member.save(update_fields=["mail_outreach"])
    message = "Your shares on the API threads helped three newcomers — would you host the next AMA?"
    with django_capture_on_commit_callbacks(execute=True):
        services.send_outreach(actor=manager, plan=plan, list_key="generous", members=members, message=message)
    assert sorted(plan.contacts.values_list("member_id", flat=True)) == sorted(m.pk for m in members)
    assert set(plan.contacts.values_list("list_key", "sender_id")) == {("generous", manager.pk)}
    assert Notification.objects.filter(recipient__in=members, text__contains="host the next AMA").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    assert message in mail.outbox[0].body
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PLAN_OUTREACH)
    assert entry.details["list"] == "generous" and len(entry.details["members"]) == 2


def test_outreach_follows_the_members_mail_preference(manager, plan, community, django_capture_on_commit_callbacks):
    member = community["quiet"]
    member.mail_outreach = MailFrequency.NEVER
    member.save(update_fields=["mail_outreach"])
    message = "Your notes on the pricing thread were the clearest we had; would you review the beta's page?"
    with django_capture_on_commit_callbacks(execute=True):
        services.send_outreach(actor=manager, plan=plan, list_key="quiet", members=[member], message=message)
    assert Notification.objects.filter(recipient=member, text__contains="review the beta").exists()
    assert mail.outbox == []


def test_an_outreach_note_that_would_not_read_whole_is_refused(manager, plan, community):
    with pytest.raises(PlanError, match="Keep it under 260 characters"):
        services.send_outreach(actor=manager, plan=plan, list_key="quiet", members=[community["quiet"]],
                               message="Your notes helped. " * 20)


def test_came_back_within_14_days_is_measured(manager, plan, community):
    back, away, recent = community["quiet"], community["old_silent"], community["silent_newcomer"]
    message = "I loved your post on pricing pages; the new beta thread needs exactly that view."
    services.send_outreach(actor=manager, plan=plan, list_key="quiet", members=[back, away], message=message,
                           now=days_ago(20))
    services.send_outreach(actor=manager, plan=plan, list_key="newcomers", members=[recent], message=message,
                           now=days_ago(2))
    thread = make_thread(group=community["beta"], author=back, title="Pricing pages")
    from forums.models import Post

    Post.objects.filter(thread=thread).update(created=days_ago(15))  # 5 days after the message
    record_give(giver=away, receiver=back, kind=Give.Kind.SHARE, subject=back, at=days_ago(1))  # too late
    conversions = {c.key: c for c in selectors.conversions(plan)}
    assert (conversions["quiet"].contacts, conversions["quiet"].came_back, conversions["quiet"].rate) == (2, 1, 0.5)
    assert (conversions["newcomers"].contacts, conversions["newcomers"].waiting) == (1, 1)
    assert conversions["newcomers"].rate is None


# --- Rollover ------------------------------------------------------------------------------------------

def test_day_80_reminds_the_owner_and_day_90_closes_into_a_frozen_review(manager):
    start = timezone.localdate() - timedelta(days=95)
    plan = services.create_plan(actor=manager, title="Winter", start=start)
    group = make_group(manager=manager)
    make_thread(group=group)
    from forums.models import Post, Thread

    Thread.objects.update(created=timezone.now() - timedelta(days=50))
    Post.objects.update(created=timezone.now() - timedelta(days=50))
    roll(100)
    met = services.add_objective(actor=manager, plan=plan, programme=programme(plan, Programme.Kind.CONTENT),
                                 metric="threads", target=1, owner=manager)
    missed = services.add_objective(actor=manager, plan=plan, programme=programme(plan), metric="new_members",
                                    target=50, owner=manager)
    services.add_initiative(actor=manager, programme=programme(plan, Programme.Kind.CONTENT), title="Weekly AMA",
                            owner=manager, day=start + timedelta(days=3), repeats=True)
    services.add_initiative(actor=manager, programme=programme(plan, Programme.Kind.CONTENT), title="Launch post",
                            owner=manager, day=start + timedelta(days=1))

    assert services.run_rollover(today=start + timedelta(days=78)) == {"reminded": 0, "closed": 0}
    assert services.run_rollover(today=start + timedelta(days=79)) == {"reminded": 1, "closed": 0}  # day 80
    assert services.run_rollover(today=start + timedelta(days=80)) == {"reminded": 0, "closed": 0}
    assert Notification.objects.filter(recipient=manager, text__contains="prepare the next plan").count() == 1

    assert services.run_rollover(today=plan.end + timedelta(days=1)) == {"reminded": 0, "closed": 1}
    plan.refresh_from_db()
    met.refresh_from_db()
    missed.refresh_from_db()
    assert plan.is_closed and (met.final_actual, met.met) == (1, True) and missed.met is False
    assert Notification.objects.filter(recipient=manager, text__contains="closed after 90 days").exists()
    assert AuditEntry.objects.get(action=AuditEntry.Action.PLAN_CLOSED).actor is None  # the scheduler
    # Frozen: more threads later change nothing in the review.
    make_thread(group=group, title="Later")
    Thread.objects.filter(title="Later").update(created=days_ago(40))
    Post.objects.filter(thread__title="Later").update(created=days_ago(40))
    roll(100)
    rows = [row for _p, rows, _i in selectors.plan_page(plan).programmes for row in rows]
    assert {row.objective.metric: row.progress.actual for row in rows}["threads"] == 1
    assert services.run_rollover(today=plan.end + timedelta(days=2)) == {"reminded": 0, "closed": 0}

    following = services.start_next_plan(actor=manager, plan=plan)
    assert following.previous == plan and following.start == plan.end + timedelta(days=1)
    carried = list(following.objectives.all())
    assert [o.metric for o in carried] == ["new_members"]  # the met one is not carried
    assert carried[0].carried_from == missed and carried[0].target == round(50 * selectors.GROWTH_FACTOR, 2)
    assert carried[0].baseline == missed.final_actual
    copied = [(i.title, i.date) for p in following.programmes.all() for i in p.initiatives.all()]
    assert copied == [("Weekly AMA", start + timedelta(days=93))]
    with pytest.raises(PlanError):
        services.start_next_plan(actor=manager, plan=plan)


def test_the_rollover_command_runs_with_a_given_day(manager):
    from django.core.management import call_command

    plan = services.create_plan(actor=manager, title="Summer", start=timezone.localdate() - timedelta(days=100))
    call_command("plan_rollover", "--today", (plan.end + timedelta(days=1)).isoformat())
    plan.refresh_from_db()
    assert plan.is_closed


# --- Permissions, pages and queries --------------------------------------------------------------------

READERS = [Role.SPONSOR, Role.MODERATOR]
EDITORS = [Role.MANAGER, Role.ADMINISTRATOR]


def urls(plan):
    return [f"/plans/", f"/plans/{plan.pk}/", f"/plans/{plan.pk}/outreach/", f"/plans/{plan.pk}/outreach/quiet.csv",
            "/api/v1/plans/", f"/api/v1/plans/{plan.pk}/", f"/api/v1/plans/{plan.pk}/outreach/quiet/"]


@pytest.mark.parametrize("role", READERS + EDITORS)
def test_staff_read_every_plan_page(client, plan, role):
    client.force_login(MemberFactory(role=role))
    for url in urls(plan):
        assert client.get(url).status_code == 200, url
    assert client.get("/plans/new/").status_code == (200 if role in EDITORS else 403)
    assert b'href="/plans/"' in client.get("/forums/").content


def test_members_are_refused_and_visitors_sent_to_sign_in(client, plan):
    client.force_login(MemberFactory())
    for url in urls(plan) + ["/plans/new/"]:
        assert client.get(url).status_code == 403, url
    assert b'href="/plans/"' not in client.get("/forums/").content
    client.logout()
    for url in urls(plan):
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403)
        else:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", READERS + [Role.MEMBER])
def test_only_managers_and_administrators_change_plans(client, plan, role, manager):
    client.force_login(MemberFactory(role=role))
    posts = {
        f"/plans/{plan.pk}/objectives/": {"programme": programme(plan).pk, "metric": "threads", "target": 3,
                                           "owner": manager.pk},
        f"/plans/{plan.pk}/close/": {"lessons": ""},
        f"/plans/{plan.pk}/check-ins/": {"text": "Week 2"},
        f"/plans/{plan.pk}/outreach/?list=quiet": {"members": [manager.pk], "message": "A personal note for you."},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert client.post(f"/api/v1/plans/{plan.pk}/check-ins/", {"text": "x"}).status_code == 403
    assert not plan.objectives.exists() and not plan.check_ins.exists() and not plan.contacts.exists()
    plan.refresh_from_db()
    assert not plan.is_closed


def test_a_moderator_who_owns_an_objective_writes_check_ins(client, manager, plan):
    moderator = MemberFactory(role=Role.MODERATOR)
    services.add_objective(actor=manager, plan=plan, programme=programme(plan), manual_name="Calls",
                           manual_definition="Newcomers called", target=10, owner=moderator)
    client.force_login(moderator)
    client.post(f"/plans/{plan.pk}/check-ins/", {"text": "Called five newcomers this week."})
    assert plan.check_ins.get().author == moderator


def post_doors(plan, manager) -> list[str]:
    """Every address that changes a plan, page or API."""
    objective = services.add_objective(actor=manager, plan=plan, programme=programme(plan), metric="threads",
                                       target=3, owner=manager)
    initiative = services.add_initiative(actor=manager, programme=programme(plan), title="Welcome calls",
                                         owner=manager, day=plan.start)
    pages = ["new/"] + [f"{plan.pk}/{door}" for door in (
        "objectives/", f"objectives/{objective.pk}/", "programmes/", "initiatives/",
        f"initiatives/{initiative.pk}/done/", "check-ins/", "beta-group/", "close/", "lessons/", "next/",
        "outreach/?list=quiet",
    )]
    api = [f"{plan.pk}/check-ins/", f"{plan.pk}/outreach/quiet/"]
    return [f"/plans/{door}" for door in pages] + [f"/api/v1/plans/{door}" for door in api]


@pytest.mark.parametrize("role", [None, Role.MEMBER, *READERS, *EDITORS])
def test_every_post_door_refuses_a_reader_before_it_reads_the_form(client, plan, manager, role):
    # Given every door that changes a plan, and a post with nothing in it (a form that would not validate)
    doors = post_doors(plan, manager)
    if role is not None:
        client.force_login(MemberFactory(role=role))
    for door in doors:
        response = client.post(door, {})
        if role is None:  # a visitor is sent to sign in (the API: refused)
            if door.startswith("/api/"):
                assert response.status_code in (401, 403), door
            else:
                assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), door
        elif role in EDITORS:  # the form's own answer, whatever it is, but not a refusal
            assert response.status_code in (200, 302, 400, 409), (door, response.status_code)
        else:  # members and readers: refused, not told what the form lacks
            assert response.status_code == 403, (door, response.status_code)
    plan.refresh_from_db()
    assert not plan.check_ins.exists() and not plan.contacts.exists()


def test_a_manager_runs_a_plan_through_the_pages(client, manager):
    client.force_login(manager)
    response = client.get("/plans/new/")
    assert b"1.41" in response.content
    start = timezone.localdate() - timedelta(days=5)
    response = client.post("/plans/new/", {"title": "Autumn", "start": start.isoformat(), "members_total_target": 10,
                                           "new_members_target": 4, "owner": manager.pk})
    plan = Plan.objects.get(title="Autumn")
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert sorted(plan.objectives.values_list("metric", "target")) == [("members_total", 10), ("new_members", 4)]
    client.post(f"/plans/{plan.pk}/objectives/", {"programme": programme(plan, "content").pk, "metric": "",
                                                   "manual_name": "AMAs held", "manual_definition": "Live AMAs",
                                                   "target": 6, "owner": manager.pk})
    client.post(f"/plans/{plan.pk}/initiatives/", {"programme": programme(plan, "content").pk,
                                                    "title": "Weekly AMA", "owner": manager.pk,
                                                    "date": start.isoformat(), "repeats": "on"})
    client.post(f"/plans/{plan.pk}/check-ins/", {"text": "First week: two AMAs booked."})
    page = client.get(f"/plans/{plan.pk}/")
    content = page.content.decode()
    assert "Day 6 / 90" in content and "AMAs held" in content and "Weekly AMA" in content
    assert "First week: two AMAs booked." in content and "How the status is projected" in content
    assert 'style="' not in content
    response = client.post(f"/plans/{plan.pk}/close/", {"lessons": "Book AMAs earlier."})
    plan.refresh_from_db()
    assert plan.is_closed and plan.lessons == "Book AMAs earlier."
    response = client.post(f"/plans/{plan.pk}/next/")
    following = Plan.objects.get(previous=plan)
    assert response["Location"] == f"/plans/{following.pk}/"
    assert "next 90 days" in following.title
    assert "Autumn" in client.get("/plans/").content.decode()


def test_outreach_page_sends_and_refuses_a_formula(client, manager, plan, community):
    client.force_login(manager)
    url = f"/plans/{plan.pk}/outreach/?list=quiet"
    page = client.get(url)
    assert outreach.LISTS["quiet"].sentence.encode() in page.content
    refused = client.post(url, {"members": [community["quiet"].pk], "message": "thanks"})
    assert refused.status_code == 400 and "could be sent to anyone" in refused.content.decode()
    assert not plan.contacts.exists()
    sent = client.post(url, {"members": [community["quiet"].pk], "message": "Your API answers were missed this month."})
    assert sent.status_code == 302 and plan.contacts.count() == 1
    csv_text = client.get(f"/plans/{plan.pk}/outreach/quiet.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("handle,name") and community["quiet"].username in csv_text


def test_the_api_sends_outreach_and_answers_a_formula_with_400(client, manager, plan, community):
    client.force_login(manager)
    url = f"/api/v1/plans/{plan.pk}/outreach/quiet/"
    assert client.get(url).json()["results"][0]["member"] == community["quiet"].username
    refused = client.post(url, {"members": [community["quiet"].username], "message": "great post"},
                          content_type="application/json")
    assert refused.status_code == 400 and "anyone" in str(refused.json())
    sent = client.post(url, {"members": [community["quiet"].username], "message": "Your API answers were missed."},
                       content_type="application/json")
    assert sent.status_code == 201 and sent.json() == {"sent": 1}
    detail = client.get(f"/api/v1/plans/{plan.pk}/").json()
    assert detail["day"] == 10 and {c["list"]: c["contacts"] for c in detail["conversions"]}["quiet"] == 1


def _fill(manager, plan, n: int):
    for k in range(n):
        services.add_objective(actor=manager, plan=plan, programme=programme(plan), metric="threads", target=5 + k,
                               owner=manager)
        services.add_initiative(actor=manager, programme=programme(plan), title=f"Initiative {k}", owner=manager,
                                day=plan.start)
        services.record_check_in(actor=manager, plan=plan, text=f"Week {k}")


def test_the_plan_page_reads_a_constant_number_of_queries(client, manager, plan, django_assert_num_queries):
    beta = make_group(manager=manager, name="Beta")
    services.set_beta_group(actor=manager, plan=plan, group=beta)
    _fill(manager, plan, 1)
    client.force_login(MemberFactory(role=Role.SPONSOR))
    client.get(f"/plans/{plan.pk}/")  # counts the beta group's posts, kept for the day
    with django_assert_num_queries(17) as first:
        client.get(f"/plans/{plan.pk}/")
    _fill(manager, plan, 4)
    services.send_outreach(actor=manager, plan=plan, list_key="quiet", members=[MemberFactory()],
                           message="A personal note about your API posts.")
    with django_assert_num_queries(len(first.captured_queries) + 2):  # posts and gives after the outreach
        client.get(f"/plans/{plan.pk}/")


@pytest.mark.parametrize("key", list(outreach.LISTS))
def test_each_outreach_list_reads_a_constant_number_of_queries(client, manager, plan, community, key,
                                                               django_assert_num_queries):
    services.set_beta_group(actor=manager, plan=plan, group=community["beta"], skills=[community["skill"]])
    client.force_login(manager)
    url = f"/plans/{plan.pk}/outreach/?list={key}"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(3):  # more people on every list
        joined(MemberFactory(skills=[community["skill"]]), 2)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


def test_the_beta_groups_participation_runs_to_yesterday_and_counts_invitations_at_once(manager, plan):
    from forums.models import Post, Thread

    beta = make_group(manager=manager, name="Beta")
    services.set_beta_group(actor=manager, plan=plan, group=beta)
    asker, helper, invitee = MemberFactory(), MemberFactory(), MemberFactory()
    answered = make_thread(group=beta, author=asker, title="Does the export keep tags?")
    make_member_of(beta, helper)
    forum_services.reply(author=helper, thread=answered, body="It does since last week.")
    unanswered = make_thread(group=beta, author=helper, title="Dark mode feedback")
    before_plan = make_thread(group=beta, author=asker, title="Older feedback")
    Thread.objects.filter(pk=before_plan.pk).update(created=days_ago(20))
    Post.objects.filter(thread=before_plan).update(created=days_ago(20))
    Thread.objects.filter(pk__in=[answered.pk, unanswered.pk]).update(created=days_ago(3))
    Post.objects.filter(thread__in=[answered, unanswered]).update(created=days_ago(3))
    forum_services.reply(author=asker, thread=unanswered, body="Written today: tomorrow's figures.")

    page = selectors.plan_page(plan)
    # Three posts in the plan up to yesterday (today's reply waits, as the rollups do), by two members.
    assert (page.beta.posts, page.beta.active_members) == (3, 2)
    assert (page.beta.feedback_threads, page.beta.feedback_answered) == (2, 1)
    assert (page.beta.members_contributed, page.beta.members) == (2, 3)  # the manager who created it is a member
    forum_services.invite_member(actor=manager, group=beta, member=invitee)
    assert selectors.plan_page(plan).beta.members == 4  # invited now, counted now
