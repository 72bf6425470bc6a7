"""A manager reads a member's recommendation counts on the profile; a plain member does not see them."""

import pytest
from playwright.sync_api import Page, expect

from community.roles import Role
from members import services
from tests.e2e.browsers import sign_in
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser


def test_recommendation_counts_show_to_a_manager_only(live_server, page: Page):
    page.set_default_timeout(10_000)
    # Given Ana received a recommendation, a manager and a plain member
    ana = MemberFactory(handle="ana", display_name="Ana Costa")
    text = "Ana ran our first peer group and turned a shy room into a real conversation"
    services.recommend(author=MemberFactory(), recipient=ana, text=text)
    MemberFactory(email="maya@example.org", role=Role.MANAGER)
    MemberFactory(email="pat@example.org")

    # When the manager opens Ana's profile, then the counts are in their own panel
    sign_in(page, "maya@example.org", base_url=live_server.url)
    page.goto(f"{live_server.url}/members/ana/")
    panel = page.get_by_role("region", name="For managers")
    expect(panel.locator("div", has_text="Recommendations given").locator("dd")).to_have_text("0")
    expect(panel.locator("div", has_text="Recommendations received").locator("dd")).to_have_text("1")

    # When a plain member opens it, there is no such panel
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "pat@example.org", base_url=live_server.url)
    page.goto(f"{live_server.url}/members/ana/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Costa")
    expect(page.get_by_role("region", name="For managers")).to_have_count(0)
