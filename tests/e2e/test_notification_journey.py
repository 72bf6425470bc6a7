"""Notifications in a real browser: the header counts what is unread and what waits, each
notification leads to its object, and Pay it back's thank-you box opens on demand, by keyboard too.
Runs on pytest-django's (WSGI) live server, at a desktop and a phone width."""

import pytest
from playwright.sync_api import Page, expect

from members import services
from tests.e2e.browsers import sign_in
from tests.factories import MemberFactory, SkillFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 360])
def test_a_notification_leads_to_its_object_and_the_header_counts_it(live_server, page: Page, width):
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": width, "height": 900})
    # Given Ana endorsed Ben for a skill and asked to connect
    skill = SkillFactory(name="Facilitation")
    ana = MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
    ben = MemberFactory(handle="ben", email="ben@example.org", display_name="Ben Okoro", skills=[skill])
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    services.request_connection(requester=ana, addressee=ben, note="We both run onboarding; let us compare notes.")

    # When Ben signs in
    sign_in(page, "ben@example.org", base_url=live_server.url)
    page.goto(f"{live_server.url}/members/")

    # Then the header counts two unread notifications and one request waiting
    expect(page.locator("[data-unread-count]").first).to_have_text("2")
    expect(page.locator("[data-requests-count]").first).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    # And each notification says what it is about, marked new, and leads to its object
    page.goto(f"{live_server.url}/notifications/")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    expect(page.locator(".new-marker")).to_have_count(2)
    page.get_by_role("link", name="Ana Costa endorsed you for Facilitation").click()
    expect(page).to_have_url(f"{live_server.url}/members/ben/#skills-heading")
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("link", name="Ana Costa asked to connect").click()
    expect(page.locator(".request").first).to_contain_text("We both run onboarding")
    assert "/requests/#connection-" in page.url

    # When he marks them read, the badge goes and nothing is marked new
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".new-marker")).to_have_count(0)
    expect(page.locator("[data-unread-count]").first).to_be_hidden()


def test_the_thank_you_box_opens_on_demand_by_keyboard(live_server, page: Page):
    page.set_default_timeout(10_000)
    skill = SkillFactory(name="Facilitation")
    ana = MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
    ben = MemberFactory(handle="ben", email="ben@example.org", display_name="Ben Okoro", skills=[skill])
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    sign_in(page, "ben@example.org", base_url=live_server.url)
    page.goto(f"{live_server.url}/pay-it-back/")
    box = page.get_by_label("What did it help you with? Ana Costa reads this.")
    expect(box).to_be_hidden()
    page.locator("summary", has_text="Thank Ana Costa").focus()
    page.keyboard.press("Enter")
    expect(box).to_be_visible()
    box.fill("Your endorsement got me the facilitation workshop, thank you.")
    page.get_by_role("button", name="Send thank-you").click()
    expect(page.get_by_text("Ana Costa will see your thank-you.")).to_be_visible()
