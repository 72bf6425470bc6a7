"""A sponsor reads the reports in a real browser: the dashboard's chart draws, the period changes, a
metric's page draws its chart, the CSV and the PDF download; a member is refused."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from community.roles import Role
from forums.models import Post, Thread
from members.models import Member
from metrics import rollups, services
from tests.e2e.browsers import WAIT_MS, sign_in
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reports(server_password_hashing):
    call_command("build_chart_bundle")
    group = make_group(name="Onboarding")
    for title in ("How do you welcome newcomers?", "What do you measure first?"):
        make_thread(group=group, title=title)
    moment = timezone.now() - timedelta(days=3)
    Member.objects.update(date_joined=moment - timedelta(days=2))
    Thread.objects.update(created=moment)
    Post.objects.update(created=moment)
    services.ensure_default_needs()
    services.ensure_value_model()
    rollups.rollup_metrics(rebuild=True)
    MemberFactory(handle="sponsor", role=Role.SPONSOR)
    MemberFactory(handle="ana")


def test_a_sponsor_reads_the_reports_and_a_member_is_refused(live_server, page: Page, reports):
    page.set_default_timeout(WAIT_MS)
    sign_in(page, "sponsor@example.org", base_url=live_server.url)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Is the community worth it?")).to_be_visible()
    expect(page.locator("[data-chart-spec='growth-spec'] svg")).to_be_visible()
    page.get_by_label("Period", exact=True).select_option("last90")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/metrics/\?period=last90"))
    expect(page.get_by_text("compared with")).to_contain_text("(90 days)")
    page.get_by_role("link", name="Threads started").first.click()
    expect(page.get_by_role("heading", name="Threads started")).to_be_visible()
    expect(page.locator("[data-chart-spec='chart-spec'] svg")).to_be_visible()
    expect(page.locator("#series-table tbody tr")).to_have_count(90)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "start,end,threads,previous_threads" and len(lines) == 91
    assert sum(float(line.split(",")[2]) for line in lines[1:]) == 2
    page.get_by_role("link", name="Community value").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="PDF report").click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "ana@example.org", base_url=live_server.url)
    expect(page.get_by_role("link", name="Reports")).to_have_count(0)
    response = page.goto(f"{live_server.url}/metrics/")
    assert response.status == 403
