"""Two members in two real browsers on one question, served by a real Daphne: an answer posted
through the reply form appears on the asker's open page without a reload, the asker accepts it, and
the answerer's open page hears of it live; the ledger then holds both gives.

Daphne (tests/servers.py), the browser windows and the sign-in (tests/e2e/browsers.py) are shared with
the other journeys, not copied.
"""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from members.models import Give
from tests.e2e.browsers import WAIT_MS, member_browser, sign_in, toast
from tests.factories import MemberFactory, make_group, make_thread
from tests.servers import (
    daphne_server,
    database_url_for_subprocesses,
    in_clean_thread,
    read_back_what_the_server_committed,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set FORUM_SCREENSHOT=/some/file.png to keep a picture of the asker's thread with its accepted answer.
SCREENSHOT = os.environ.get("FORUM_SCREENSHOT", "")

# Remembers which socket paths are open, so the test waits for the one it needs: a thread page holds
# two (the thread's and the member's notifications), and each consumer joins its group before it accepts.
TRACK_SOCKET_PATHS = """
(() => {
  const Native = window.WebSocket;
  const open = new Set();
  window.__mutuaListening = (path) => open.has(path);
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      const path = new URL(this.url).pathname;
      this.addEventListener("open", () => open.add(path));
      this.addEventListener("close", () => open.delete(path));
    }
  };
})();
"""

QUESTION = "How do you welcome newcomers to a peer group?"
ANSWER = "Pair each newcomer with a **buddy** for their first month."


def wait_until_listening(page: Page, path: str) -> None:
    page.wait_for_function("(path) => window.__mutuaListening && window.__mutuaListening(path)", arg=path)


def test_answer_appears_live_and_its_acceptance_reaches_the_answerer(
    browser, channel_prefix, server_password_hashing, tmp_path
):
    prefix, redis_url = channel_prefix

    # Given Ana's question in a private peer group that Ben belongs to
    def question():
        ana = MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
        ben = MemberFactory(handle="ben", email="ben@example.org", display_name="Ben Okoro")
        group = make_group(members=[ana, ben], visibility="private", kind="peer", name="Facilitators")
        thread = make_thread(group=group, author=ana, kind="question", title=QUESTION, body="What has worked?")
        return ana, ben, thread

    ana, ben, thread = in_clean_thread(question)
    thread_url = thread.get_absolute_url()
    database_url = database_url_for_subprocesses(tmp_path, application_name=prefix)

    with (
        daphne_server(tmp_path, database_url=database_url, prefix=prefix, redis_url=redis_url) as server,
        member_browser(browser, server) as ana_page,
        member_browser(browser, server) as ben_page,
    ):
        for page in (ana_page, ben_page):
            page.add_init_script(TRACK_SOCKET_PATHS)

        # Ana is signed in with her question open, listening for new posts
        sign_in(ana_page, "ana@example.org")
        ana_page.goto(thread_url)
        expect(ana_page.get_by_role("heading", name=QUESTION, level=1)).to_be_visible()
        expect(ana_page.locator("#posts > .post")).to_have_count(1)
        expect(ana_page.locator("body")).to_have_attribute("data-live", "on", timeout=WAIT_MS)
        ana_page.evaluate("() => { window.__sameDocument = true; }")  # gone if the page reloads

        # When Ben, signed in too, answers through the reply form
        sign_in(ben_page, "ben@example.org")
        ben_page.goto(thread_url)
        ben_page.get_by_label("Your reply").fill(ANSWER)
        ben_page.get_by_role("button", name="Post reply").click()
        expect(ben_page.locator("#post-2")).to_contain_text("Pair each newcomer with a buddy", timeout=WAIT_MS)

        # Then the answer appears on Ana's open page, without a reload, rendered and announced
        answer = ana_page.locator("#post-2")
        expect(answer).to_be_visible(timeout=WAIT_MS)
        expect(answer.locator(".post__body strong")).to_have_text("buddy")
        expect(answer).to_have_class(re.compile(r"\bpost--new\b"))
        expect(ana_page.locator("[data-live-status]")).to_have_text("New post by Ben Okoro.")
        assert ana_page.evaluate("() => window.__sameDocument") is True
        accept = answer.get_by_role("button", name="Accept this answer")
        expect(accept).to_be_visible()  # the inserted post shows the asker her control
        expect(answer.get_by_role("link", name="Edit")).to_be_hidden()  # and not Ben's

        # When Ana accepts it (a form post: her page reloads), with Ben's page open and listening
        wait_until_listening(ben_page, "/ws/notifications/")
        wait_until_listening(ben_page, f"/ws/threads/{thread.pk}/")
        with ana_page.expect_navigation():
            accept.click()

        # Then Ana sees it accepted
        expect(ana_page.get_by_text("You accepted Ben Okoro's answer. They will hear of it.")).to_be_visible()
        expect(ana_page.locator("#post-2 .badge--ok")).to_have_text("Accepted answer")
        expect(ana_page.locator(".thread-meta .tag--ok")).to_have_text("Answered question")
        assert ana_page.evaluate("() => window.__sameDocument") is None

        # And Ben's open page, not reloaded, gets a toast and shows the answer accepted
        expect(toast(ben_page, "Ana Costa accepted your answer")).to_be_visible(timeout=WAIT_MS)
        expect(ben_page.locator("#post-2 .badge--ok")).to_have_text("Accepted answer", timeout=WAIT_MS)
        expect(ben_page.locator(".thread-meta .tag--ok")).to_have_text("Answered question", timeout=WAIT_MS)
        if SCREENSHOT:
            ana_page.screenshot(path=SCREENSHOT, full_page=True)

        # And the ledger holds Ben's reply to Ana and Ana's acceptance of Ben's answer
        read_back_what_the_server_committed(database_url)
        reply = Give.objects.get(kind=Give.Kind.REPLY)
        assert (reply.giver_id, reply.receiver_id) == (ben.pk, ana.pk)
        accepted = Give.objects.get(kind=Give.Kind.ACCEPTED_ANSWER)
        assert (accepted.giver_id, accepted.receiver_id) == (ana.pk, ben.pk)
        assert accepted.subject_id == reply.subject_id  # the same post: Ben's answer
