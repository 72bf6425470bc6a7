"""A page heading with actions beside it (plans, forums, a group, the reports): on a wide screen the
actions sit on the heading's row, on its right; on a phone they wrap under the heading, within the
screen. Runs on pytest-django's live server."""

import pytest
from playwright.sync_api import Browser, Page

from community.roles import Role
from tests.e2e.browsers import WAIT_MS
from tests.factories import PASSWORD, MemberFactory, make_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The heading's text, and the actions beside it (the row's last child).
BOXES = """() => {
  const row = document.querySelector('.page-heading--row');
  const box = (element) => { const r = element.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return {title: box(row.firstElementChild), actions: box(row.lastElementChild), page: document.documentElement.scrollWidth};
}"""


@pytest.fixture
def pages():
    manager = MemberFactory(email="mia@example.org", role=Role.MANAGER)
    group = make_group(manager=manager, members=[manager], visibility="public", name="Facilitators")
    return ["/plans/", "/forums/", f"/forums/{group.slug}/", "/metrics/"]


def signed_in(browser: Browser, base_url: str, viewport: dict) -> Page:
    context = browser.new_context(base_url=base_url, viewport=viewport)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("mia@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_heading_actions_sit_beside_the_heading_on_a_wide_screen(live_server, browser, pages):
    page = signed_in(browser, live_server.url, WIDE)
    for path in pages:
        assert page.goto(path).status == 200, path
        boxes = page.evaluate(BOXES)
        title, actions = boxes["title"], boxes["actions"]
        assert actions["left"] >= title["right"] and actions["top"] < title["bottom"], (path, boxes)
    page.context.close()


def test_heading_actions_wrap_under_the_heading_on_a_phone(live_server, browser, pages):
    page = signed_in(browser, live_server.url, PHONE)
    for path in pages:
        assert page.goto(path).status == 200, path
        boxes = page.evaluate(BOXES)
        title, actions = boxes["title"], boxes["actions"]
        assert actions["top"] >= title["bottom"] and actions["right"] <= PHONE["width"], (path, boxes)
        assert boxes["page"] <= PHONE["width"], (path, boxes)
    page.context.close()
