"""A thread in a real browser, as issue 12 found it wanting: reactions and votes happen in place (the
page does not reload or jump), the reply box suggests the people an @mention reaches, and a visitor
who wants to reply signs in, joins and lands in the reply box. Runs on pytest-django's live server."""

import re

import pytest
from playwright.sync_api import Page, expect

from forums import services
from members.models import Give
from tests.e2e.browsers import WAIT_MS, sign_in
from tests.factories import PASSWORD, MemberFactory, make_group, make_thread

pytestmark = pytest.mark.browser

SAME_DOCUMENT = "() => { window.__sameDocument = true; }"  # gone if the page reloads


def still_the_same_page(page: Page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


@pytest.fixture
def thread_with_a_poll(live_server):
    ana = MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
    ben = MemberFactory(handle="ben", email="ben@example.org", display_name="Ben Okoro")
    MemberFactory(handle="kira-adeyemi-56", email="kira@example.org", display_name="Kira Adeyemi")
    group = make_group(name="Facilitators", members=[ana, ben], visibility="public")
    thread = make_thread(
        group=group,
        author=ben,
        title="When shall we meet?",
        body="Pick a day, and tell me what works for a first call.",
        poll=services.PollSpec(question="Which day?", options=["Tuesday", "Thursday"]),
    )
    services.reply(author=ana, thread=thread, body="Tuesdays work for me.")
    return thread, ana, ben


def test_reactions_and_votes_happen_in_place(live_server, page: Page, thread_with_a_poll):
    page.set_default_timeout(WAIT_MS)
    thread, ana, ben = thread_with_a_poll
    # Given Ana on Ben's thread, scrolled down to his post
    sign_in(page, "ana@example.org", base_url=live_server.url)
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    page.evaluate(SAME_DOCUMENT)
    opening = page.locator("#post-1")
    # Her own post offers no reaction buttons, only the counts
    expect(page.locator("#post-2").get_by_role("button", name=re.compile("Helpful"))).to_have_count(0)
    expect(page.locator("#post-2 [data-counts-of]")).to_contain_text("Helpful 0")

    # When she marks Ben's post helpful
    helpful = opening.get_by_role("button", name=re.compile(r"^Helpful"))
    expect(helpful).to_have_attribute("aria-pressed", "false")
    helpful.click()

    # Then the count changes and the button is pressed, on the same page, not reloaded
    expect(helpful).to_have_attribute("aria-pressed", "true")
    expect(helpful.locator("[data-count]")).to_have_text("1")
    assert still_the_same_page(page)
    assert Give.objects.filter(kind=Give.Kind.REACTION, giver=ana, receiver=ben).count() == 1

    # When she votes
    poll = page.locator("#poll")
    poll.get_by_label("Tuesday").check()
    poll.get_by_role("button", name="Vote").click()

    # Then the results replace the ballot in place, with her vote marked
    expect(page.locator("#poll")).to_contain_text("Your vote is counted.")
    expect(page.locator("#poll .poll-results__mine")).to_contain_text("Tuesday")
    expect(page.locator("#poll")).to_contain_text("1 vote")
    assert still_the_same_page(page)
    assert thread.poll.votes.filter(member=ana).count() == 1


def test_the_reply_box_suggests_members_to_mention(live_server, page: Page, thread_with_a_poll):
    page.set_default_timeout(WAIT_MS)
    thread, ana, ben = thread_with_a_poll
    sign_in(page, "ana@example.org", base_url=live_server.url)
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    box = page.get_by_role("combobox", name="Your reply")

    # When Ana types @ and the start of a name
    box.click()
    box.press_sequentially("Thanks, @kir")

    # Then a list of members opens, the first one highlighted, and the box says so to assistive tech
    options = page.get_by_role("listbox", name="Members to mention").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Kira Adeyemi")
    expect(options.first).to_contain_text("@kira-adeyemi-56")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options.first).to_have_attribute("aria-selected", "true")

    # When she picks it with Enter, the handle is written out in full (no new line is added)
    box.press("Enter")
    expect(box).to_have_value("Thanks, @kira-adeyemi-56 ")
    expect(box).to_have_attribute("aria-expanded", "false")

    # Escape closes a list without choosing; a name that matches nobody is said before posting
    box.press_sequentially("and @be")
    expect(options).to_have_count(1)
    box.press("Escape")
    expect(page.get_by_role("listbox", name="Members to mention")).to_be_hidden()
    expect(box).to_have_value("Thanks, @kira-adeyemi-56 and @be")
    box.press_sequentially("n and @nobody")
    expect(page.locator(".mention-note")).to_have_text("No member matches @nobody: a mention of it would reach nobody.")

    # And posting tells her which mention reached nobody
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("No member has the handle @nobody, so nobody was told.")).to_be_visible()
    expect(page.locator("#post-3 a.mention")).to_have_count(2)  # Kira and Ben


def test_a_visitor_signs_in_joins_and_lands_in_the_reply_box(live_server, page: Page, thread_with_a_poll):
    page.set_default_timeout(WAIT_MS)
    thread, ana, ben = thread_with_a_poll
    MemberFactory(handle="dan", email="dan@example.org", display_name="Dan Mwangi")

    # Given a visitor on the thread: Reply on Ana's post leads to a way in, not nowhere
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    page.locator("#post-2").get_by_role("link", name="Reply", exact=True).click()
    offer = page.locator("#reply")
    expect(offer).to_contain_text("Reply to Ana Costa’s post #2")

    # When he signs in from there
    offer.get_by_role("link", name="Sign in to reply").click()
    page.get_by_label("Email").fill("dan@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # Then he is back on the thread, at the offer to join and reply to Ana
    expect(page).to_have_url(re.compile(rf"{re.escape(thread.get_absolute_url())}\?reply_to=2#reply$"))
    expect(page.locator("#reply")).to_contain_text("Reply to Ana Costa’s post #2")

    # When he joins from there
    page.get_by_role("button", name="Join and reply").click()

    # Then the reply box is open on Ana's post, focused, and his reply is posted
    expect(page.get_by_text("Welcome to Facilitators. Your reply box is open below.")).to_be_visible()
    box = page.get_by_label("Reply to Ana Costa’s post #2")
    expect(box).to_be_focused()
    box.fill("Tuesdays suit me too.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#post-3")).to_contain_text("Tuesdays suit me too.")
    expect(page.locator("#post-3")).to_contain_text("In reply to Ana Costa #2")
