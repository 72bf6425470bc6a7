"""Following in a real browser: the button on a profile, the counts, the notification, unfollowing.
Runs on pytest-django's (WSGI) live server."""

import pytest
from playwright.sync_api import Page, expect

from members.models import Follow
from tests.e2e.browsers import sign_in
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser


def test_a_member_follows_and_unfollows_from_a_profile(live_server, page: Page):
    page.set_default_timeout(10_000)
    # Given two members, Ana signed in on Ben's profile
    MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
    MemberFactory(handle="ben", email="ben@example.org", display_name="Ben Okoro")
    sign_in(page, "ana@example.org", base_url=live_server.url)
    page.goto(f"{live_server.url}/members/ben/")
    counts = page.locator("[data-follows]")
    expect(counts).to_contain_text("0 followers")

    # When she follows him
    page.get_by_role("button", name="Follow Ben Okoro").click()

    # Then the page says so, counts her, and offers to unfollow
    expect(page.get_by_text("You follow Ben Okoro. They owe you nothing for it.")).to_be_visible()
    expect(counts).to_contain_text("1 follower")
    expect(page.get_by_role("button", name="Unfollow Ben Okoro")).to_be_visible()

    # And Ben, signed in, is told and sees that she follows him
    ben_page = page.context.browser.new_page()
    try:
        sign_in(ben_page, "ben@example.org", base_url=live_server.url)
        ben_page.goto(f"{live_server.url}/notifications/")
        expect(ben_page.get_by_text("Ana Costa followed you")).to_be_visible()
        ben_page.goto(f"{live_server.url}/members/ana/")
        expect(ben_page.locator("[data-follows]")).to_contain_text("Follows you")
    finally:
        ben_page.close()

    # When she unfollows
    page.get_by_role("button", name="Unfollow Ben Okoro").click()

    # Then the count drops and nothing else is said
    expect(page.get_by_text("You no longer follow Ben Okoro. Nobody is told.")).to_be_visible()
    expect(counts).to_contain_text("0 followers")
    expect(page.get_by_role("button", name="Follow Ben Okoro")).to_be_visible()
    assert Follow.objects.get().ended_at is not None
