"""A manager runs a 90-day plan in a real browser: creates it, adds an objective, sends outreach from
a list (a standard text refused first), closes it and starts the next; a sponsor reads it."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from community.roles import Role
from forums.models import Post, Thread
from members.models import Give, Member
from members.services import record_give
from metrics import rollups
from plans.models import Plan
from tests.e2e.browsers import WAIT_MS, sign_in
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def community(server_password_hashing):
    call_command("build_chart_bundle")
    manager = MemberFactory(handle="manager", role=Role.MANAGER, display_name="Maya Manager")
    MemberFactory(handle="sponsor", role=Role.SPONSOR)
    group = make_group(manager=manager, name="Onboarding")
    make_thread(group=group, title="How do you welcome newcomers?")
    quiet = MemberFactory(handle="quinn", display_name="Quinn Quiet")
    helper = MemberFactory(handle="hana")
    moment = timezone.now() - timedelta(days=60)
    Member.objects.update(date_joined=moment - timedelta(days=100))
    Thread.objects.update(created=moment - timedelta(days=5))
    Post.objects.update(created=moment - timedelta(days=5))
    record_give(giver=quiet, receiver=helper, kind=Give.Kind.SHARE, subject=helper, at=moment)
    rollups.rollup_metrics(since=timezone.localdate() - timedelta(days=100))
    return quiet


def test_a_manager_runs_a_plan_and_a_sponsor_reads_it(live_server, page: Page, community, browser):
    page.set_default_timeout(WAIT_MS)
    sign_in(page, "manager@example.org", base_url=live_server.url)
    page.get_by_role("link", name="Plans").click()
    page.get_by_role("link", name="Start a plan").click()
    expect(page.get_by_role("heading", name="Suggested acquisition targets")).to_be_visible()
    page.locator("#id_title").fill("Autumn: answers within a day")
    page.locator("#id_start").fill((timezone.localdate() - timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", name="Autumn: answers within a day")).to_be_visible()
    expect(page.get_by_text("Day 21 / 90")).to_be_visible()

    page.get_by_role("link", name="Change the plan").click()
    page.get_by_label("Programme").first.select_option(label="Content and conversation programme")
    page.get_by_label("Metric").select_option("threads")
    page.locator("#id_target").fill("12")
    page.get_by_role("button", name="Add the objective").click()
    objective = page.locator("article.objective", has_text="Threads started")
    expect(objective).to_be_visible()
    expect(objective.locator(".status")).to_have_text(re.compile("on track|at risk|behind|no figures yet"))
    expect(page.locator("[data-chart-spec^='burn-up-'] svg").first).to_be_visible()

    page.get_by_role("link", name="Outreach lists").click()
    page.get_by_role("link", name="Members who went quiet").click()
    expect(page.get_by_text("with nothing at all in the last 30 days")).to_be_visible()
    page.get_by_label("Write to Quinn Quiet").check()
    page.get_by_label("Your personal message").fill("Thanks!")
    page.get_by_role("button", name=re.compile("^Send")).click()
    expect(page.get_by_role("alert")).to_contain_text("could be sent to anyone")
    page.get_by_label("Write to Quinn Quiet").check()
    page.get_by_label("Your personal message").fill("Your shares on the onboarding threads were missed: join the AMA?")
    page.get_by_role("button", name=re.compile("^Send")).click()
    expect(page.get_by_text("Sent to 1 member")).to_be_visible()
    plan = Plan.objects.get(title="Autumn: answers within a day")
    assert plan.contacts.get().member == community

    page.get_by_role("link", name="Autumn: answers within a day").click()
    page.get_by_label("Lessons of these 90 days").fill("Personal notes bring people back.")
    page.get_by_role("button", name="Close the plan").click()
    expect(page.get_by_role("heading", name="Review")).to_be_visible()
    page.get_by_role("button", name="Start the next 90 days").click()
    expect(page.get_by_role("heading", name=re.compile("next 90 days"))).to_be_visible()
    expect(page.locator("article.objective", has_text="Threads started")).to_be_visible()  # carried over

    sponsor = browser.new_page()
    sponsor.set_default_timeout(WAIT_MS)
    sign_in(sponsor, "sponsor@example.org", base_url=live_server.url)
    sponsor.goto(f"{live_server.url}/plans/")
    sponsor.get_by_role("link", name="Autumn: answers within a day", exact=True).click()
    expect(sponsor.get_by_role("heading", name="Review")).to_be_visible()
    expect(sponsor.get_by_text("Personal notes bring people back.")).to_be_visible()
    expect(sponsor.get_by_role("link", name="Change the plan")).to_have_count(0)
    expect(sponsor.get_by_role("button", name="Start the next 90 days")).to_have_count(0)
    sponsor.close()
