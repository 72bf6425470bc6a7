"""Two members in two real browsers, on a real Daphne: an endorsement reaches the endorsee's open
page over its WebSocket, a formula thank-you is sent back for something specific, and the real
thank-you reaches the endorser's open page live.

pytest-django's live server speaks WSGI only, so this test starts Daphne (ASGI) in a subprocess on
the database the test committed to: the PostgreSQL test database itself, or, on SQLite, a file
copy of the in-memory test database that is copied back before the test reads the ledger. With
REDIS_URL set the server's channel layer and cache live on Redis under a prefix of this test's own.
"""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from members.models import Give, Notification
from tests.e2e.browsers import WAIT_MS, member_browser, sign_in, toast, wait_until_listening
from tests.factories import MemberFactory, SkillFactory
from tests.servers import (
    daphne_server,
    database_url_for_subprocesses,
    in_clean_thread,
    read_back_what_the_server_committed,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set RECIPROCITY_SCREENSHOT=/some/file.png to keep a picture of Pay it back at the formula prompt.
SCREENSHOT = os.environ.get("RECIPROCITY_SCREENSHOT", "")

ENDORSED = "Ana Costa endorsed you for Facilitation"
FORMULA = "great post!"
THANKS = "Your endorsement helped me land the facilitation workshop"


def owed_badge(page: Page):
    return page.locator("[data-owed-count]")


def test_endorsement_and_thank_you_travel_live_between_two_members(
    browser, channel_prefix, server_password_hashing, tmp_path
):
    prefix, redis_url = channel_prefix

    # Given Ben, who lists facilitation, and Ana, who has worked with him
    def members():
        facilitation, python = SkillFactory(name="Facilitation"), SkillFactory(name="Python")
        ben = MemberFactory(
            handle="ben", email="ben@example.org", display_name="Ben Okoro", skills=[facilitation, python]
        )
        ana = MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
        return ben, ana

    ben, ana = in_clean_thread(members)
    database_url = database_url_for_subprocesses(tmp_path, application_name=prefix)

    with (
        daphne_server(tmp_path, database_url=database_url, prefix=prefix, redis_url=redis_url) as server,
        member_browser(browser, server) as ben_page,
        member_browser(browser, server) as ana_page,
    ):
        # Ben is signed in and keeps the directory open; nothing waits for him on Pay it back
        sign_in(ben_page, "ben@example.org")
        ben_page.goto("/members/")
        expect(ben_page.get_by_role("heading", name="Members", level=1)).to_be_visible()
        expect(owed_badge(ben_page)).to_be_hidden()
        expect(owed_badge(ben_page)).to_have_text("0")
        wait_until_listening(ben_page)

        # When Ana, signed in too, endorses Ben for Facilitation on his profile
        sign_in(ana_page, "ana@example.org")
        ana_page.goto("/members/ben/")
        expect(ana_page.get_by_role("heading", level=1)).to_have_text("Ben Okoro")
        ana_page.get_by_role("button", name="Endorse Ben Okoro for Facilitation").click()
        expect(ana_page.get_by_text("You endorsed Ben Okoro for Facilitation.")).to_be_visible(timeout=WAIT_MS)
        facilitation_row = ana_page.locator(".skill-row").filter(has_text="Facilitation")
        expect(facilitation_row.get_by_text("You endorsed")).to_be_visible()
        expect(facilitation_row).to_contain_text("1 endorsement")

        # Then Ben's open page, not reloaded, shows one waiting and a toast, over the socket
        expect(owed_badge(ben_page)).to_be_visible(timeout=WAIT_MS)
        expect(owed_badge(ben_page)).to_have_text("1")
        expect(owed_badge(ben_page)).to_have_attribute("aria-label", "1 waiting")
        expect(toast(ben_page, ENDORSED)).to_be_visible(timeout=WAIT_MS)
        expect(ben_page).to_have_url(f"{server}/members/")

        # When Ben opens Pay it back and answers with a formula
        ben_page.get_by_role("link", name=re.compile(r"^Pay it back")).click()
        expect(ben_page.get_by_role("heading", name="Pay it back", level=1)).to_be_visible(timeout=WAIT_MS)
        owed = ben_page.locator(".owed")
        expect(owed).to_have_count(1)
        expect(owed.locator(".owed__what")).to_have_text(ENDORSED)  # what for, linked to it
        box = ben_page.get_by_label("What did it help you with? Ana Costa reads this.")
        expect(box).to_be_hidden()  # the thank-you box opens on demand
        owed.locator("summary", has_text="Thank Ana Costa").click()
        box.fill(FORMULA)
        with ben_page.expect_response(lambda response: response.request.method == "POST") as posted:
            ben_page.get_by_role("button", name="Send thank-you").click()

        # Then the page asks for something specific, next to the box, and the give stays listed
        assert posted.value.status == 400
        form = owed.locator(".owed__thank form")
        expect(form.locator(".errorlist")).to_contain_text(
            "could be sent to anyone. Say something specific", timeout=WAIT_MS
        )
        expect(form.locator(".errorlist")).to_contain_text("what did Ana Costa's endorsement help you with?")
        expect(owed).to_have_count(1)
        expect(box).to_have_value(FORMULA)
        expect(box).to_have_attribute("aria-invalid", "true")
        expect(form.get_by_label("Send it as it is")).not_to_be_checked()
        expect(owed_badge(ben_page)).to_have_text("1")
        if SCREENSHOT:
            ben_page.screenshot(path=SCREENSHOT, full_page=True)

        # When he writes a real thank-you, with Ana's page (her profile of Ben) still open
        wait_until_listening(ana_page)
        box.fill(THANKS)  # the refused box stays open with his words
        ben_page.get_by_role("button", name="Send thank-you").click()

        # Then it is sent, and Ben is all square
        expect(ben_page.get_by_text("Ana Costa will see your thank-you.")).to_be_visible(timeout=WAIT_MS)
        expect(ben_page.get_by_role("heading", name="You are all square")).to_be_visible()
        expect(ben_page.locator(".owed")).to_have_count(0)
        expect(owed_badge(ben_page)).to_be_hidden()

        # And Ana's open page, not reloaded, shows the thank-you as it arrives
        expect(toast(ana_page, f"Ben Okoro thanked you: “{THANKS}”")).to_be_visible(timeout=WAIT_MS)
        expect(ana_page).to_have_url(f"{server}/members/ben/")
        expect(owed_badge(ana_page)).to_be_hidden()  # a thank-you is never owed back

        # And her notifications list it
        ana_page.get_by_role("link", name=re.compile(r"^Notifications")).click()
        expect(ana_page.get_by_role("heading", name="Notifications", level=1)).to_be_visible(timeout=WAIT_MS)
        notification = ana_page.locator(".notification").filter(has_text="Ben Okoro thanked you")
        expect(notification).to_have_count(1)
        expect(notification).to_contain_text(THANKS)
        expect(notification).to_have_class(re.compile(r"\bnotification--unread\b"))

        # And the ledger holds the thank-you, from Ben to Ana, answering her endorsement
        read_back_what_the_server_committed(database_url)
        thanks = Give.objects.get(kind=Give.Kind.THANKS)
        assert (thanks.giver_id, thanks.receiver_id) == (ben.pk, ana.pk)
        endorsement = Give.objects.get(kind=Give.Kind.ENDORSEMENT)
        assert (endorsement.giver_id, endorsement.receiver_id) == (ana.pk, ben.pk)
        assert thanks.subject == endorsement
        assert (endorsement.acknowledgement, endorsement.thank_message) == (Give.Acknowledgement.THANKED, THANKS)
        assert "formula" not in thanks.flags
        assert Notification.objects.get(give=thanks).recipient_id == ana.pk
        ben.refresh_from_db()
        ana.refresh_from_db()
        assert (ben.owed_count, ben.gives_given, ben.gives_received) == (0, 1, 1)
        assert (ana.owed_count, ana.gives_given, ana.gives_received) == (0, 1, 1)
