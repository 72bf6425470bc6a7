"""Every kind of page fits a 360 px phone without sideways scrolling, for a visitor and for each
role that has pages of its own; the menu button opens the navigation, with and without JavaScript.
Runs on pytest-django's live server; pages that are not there (404) are skipped, not failed."""

import os
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from community.roles import Role
from content import services as content_services
from content.models import ArticleIndexPage, ArticlePage
from content.wagtail_groups import ensure_editor_permissions
from forums import services as forums
from tests.e2e.browsers import WAIT_MS
from tests.factories import PASSWORD, MemberFactory, make_group, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
LONG_WORD = "Supercalifragilisticexpialidocious-onboarding-retrospective-facilitation"
LONG_LINK = "https://example.org/a/very/long/address/that/does/not/break/on/its/own/" + "x" * 60
# Links from brand-new members are held for review: posts carry a long path instead.
LONG_PATH = "folder/" * 14 + "file-with-a-long-name.txt"
# Set SMALL_SCREENS_SHOTS=/some/dir to keep a picture of every page.
SHOTS = os.environ.get("SMALL_SCREENS_SHOTS", "")
FITS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def community(role_groups):
    """A small community with the things that overflow on a phone: long words, links, code, tables."""
    ensure_editor_permissions()  # the transactional flush took the page tree
    manager = MemberFactory(handle="mia", email="mia@example.org", display_name="Mia Lind", role=Role.MANAGER)
    ana = MemberFactory(
        handle="ana",
        email="ana@example.org",
        display_name="Ana Costa-Villanueva de la Fuente",
        profile={"headline": f"Community lead, {LONG_WORD}", "organisation": "Commons Lab", "location": "Lagos"},
    )
    ben = MemberFactory(handle="ben", email="ben@example.org", display_name="Ben Okoro")
    MemberFactory(handle="sol", email="sol@example.org", display_name="Sol Reyes", role=Role.SPONSOR)
    MemberFactory(handle="mo", email="mo@example.org", display_name="Mo Tanaka", role=Role.MODERATOR)
    group = make_group(manager=manager, members=[ana, ben], visibility="public", name=f"Facilitators {LONG_WORD[:60]}")
    body = f"How do you welcome {LONG_WORD}? See `{LONG_PATH}` and {LONG_PATH}\n\n```\n{'long_code_line = 1; ' * 12}\n```\n\n| a | b | c | d |\n|---|---|---|---|\n| {LONG_WORD} | 2 | 3 | 4 |"
    thread = make_thread(group=group, author=ana, title=f"Welcoming newcomers: {LONG_WORD}", body=body)
    answer = forums.reply(author=ben, thread=thread, body=f"A reply within a day, and a thank-you. {LONG_PATH}")
    article = ArticlePage(
        title=f"The first week decides {LONG_WORD}", summary="Why a reply within a day matters.",
        body=[("paragraph", f"<p>{LONG_WORD} {LONG_LINK}</p>")], owner=manager,
    )
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.authors.set([ana])
    article.save_revision(user=manager).publish(user=manager)
    digest = content_services.start_digest(manager=manager, title="What we learned about welcoming", posts=[answer])
    digest.save_revision(user=manager).publish(user=manager)
    article.refresh_from_db()
    digest.refresh_from_db()
    return {"group": group, "thread": thread, "article": article.url, "digest": digest.url}


def phone(browser: Browser, base_url: str, *, email: str | None = None, javascript: bool = True) -> Page:
    context = browser.new_context(base_url=base_url, viewport=PHONE, java_script_enabled=javascript)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    if email:
        page.goto("/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def overflowing(page: Page, paths: list[str], who: str = "visitor") -> tuple[list[str], list[str]]:
    """The paths whose page is wider than the screen, and those that are not there."""
    too_wide, missing = [], []
    for path in paths:
        response = page.goto(path)
        if response.status == 404:
            missing.append(path)
            continue
        assert response.status < 500, path
        scroll_width, inner_width = page.evaluate(FITS)
        if SHOTS:
            name = re.sub(r"[^a-z0-9]+", "-", f"{who} {path}".lower()).strip("-")
            page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
        if scroll_width > inner_width:
            too_wide.append(f"{path}: {scroll_width} px in {inner_width}")
    return too_wide, missing


def test_every_page_type_fits_360_px_for_a_visitor_and_each_role(live_server, browser, community):
    thread = community["thread"]
    shared = [
        "/", "/forums/", f"/forums/{community['group'].slug}/", thread.get_absolute_url(), "/members/",
        "/members/ana/", "/articles/", community["article"], "/digests/", community["digest"], "/resources/",
        "/search/?q=welcome", "/plans/",
    ]
    by_role = {
        None: [*shared, "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/confirm-email/"],
        "ana@example.org": [
            *shared, "/pay-it-back/", "/members/me/reciprocity/", "/notifications/", "/requests/", "/members/me/edit/",
            "/accounts/email/", "/accounts/password/change/", "/accounts/logout/", "/content/quoting/",
            "/content/guest-posts/new/", "/no-such-page/",
        ],
        "sol@example.org": ["/metrics/", "/metrics/new_members/"],
        "mo@example.org": ["/forums/moderation/", thread.get_absolute_url()],
        "mia@example.org": ["/content/curation/", "/members/skills/review/", "/members/ana/reciprocity/"],
    }
    too_wide, missing = [], []
    for email, paths in by_role.items():
        page = phone(browser, live_server.url, email=email)
        wide, absent = overflowing(page, paths, (email or "visitor").split("@")[0])
        too_wide += [f"{email or 'visitor'} {line}" for line in wide]
        missing += absent
        page.context.close()
    assert too_wide == [], "\n".join(too_wide)
    assert set(missing) <= {"/plans/", "/no-such-page/"}  # the plans page comes with its own branch


def test_the_menu_button_opens_the_navigation_on_a_phone(live_server, browser, community):
    page = phone(browser, live_server.url, email="mo@example.org")
    page.goto("/forums/")
    toggle = page.locator(".site-menu__toggle")
    moderation = page.get_by_role("link", name="Moderation")
    # Closed on a phone: the navigation is behind the button, which says so.
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(moderation).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Notifications")).to_be_visible()
    expect(moderation).to_be_visible()
    assert page.evaluate(FITS)[0] <= PHONE["width"]
    page.keyboard.press("Escape")  # closes, and the focus is back on the button
    expect(moderation).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")  # the keyboard opens it too
    expect(moderation).to_be_visible()
    moderation.click()
    expect(page).to_have_url(f"{live_server.url}/forums/moderation/")
    page.context.close()


def test_the_menu_works_without_javascript(live_server, browser, community):
    page = phone(browser, live_server.url, javascript=False)
    page.goto("/")
    forums_link = page.get_by_role("link", name="Forums", exact=True)
    expect(forums_link).to_be_hidden()
    page.locator(".site-menu__toggle").click()
    expect(forums_link).to_be_visible()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    page.context.close()


def test_on_a_wide_screen_the_navigation_is_always_shown(live_server, browser, community):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/")
    expect(page.locator(".site-menu__toggle")).to_be_hidden()
    expect(page.get_by_role("link", name="Forums", exact=True)).to_be_visible()
    context.close()


def test_the_directory_filters_fold_away_on_a_phone(live_server, browser, community):
    page = phone(browser, live_server.url, email="ana@example.org")
    page.goto("/members/?skill=&location=Lagos")
    expect(page.get_by_label("Search", exact=True)).to_be_visible()
    expect(page.get_by_label("Organisation")).to_be_hidden()
    # The first result starts on the first screen.
    assert page.locator(".member-card").first.bounding_box()["y"] < PHONE["height"] * 0.75
    more = page.locator(".filters__more > summary")
    expect(more).to_contain_text("1 on")  # the location filter is on
    more.click()
    expect(page.get_by_label("Organisation")).to_be_visible()
    expect(page.get_by_label("Location")).to_have_value("Lagos")
    page.context.close()
