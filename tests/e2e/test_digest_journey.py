"""A community manager turns two helpful threads into an insight digest, in a real browser on a real
Daphne: ticked in the curation queue, started as a draft, published through Wagtail's own editor. A
quoted member, with a page open in another browser, hears of the credit live; the ledger then holds
one credit from the manager to each quoted member, and the published digest names and links them.

Daphne (tests/servers.py), the browser windows and the sign-in (tests/e2e/browsers.py) are shared with
the other journeys, not copied.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from community.roles import Role
from content.models import DigestPage
from content.wagtail_groups import ensure_editor_permissions
from forums import services as forums
from members.models import Give, Notification
from tests.e2e.browsers import WAIT_MS, member_browser, sign_in, toast, wait_until_listening
from tests.factories import MemberFactory, make_group, make_thread
from tests.servers import (
    daphne_server,
    database_url_for_subprocesses,
    in_clean_thread,
    read_back_what_the_server_committed,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set DIGEST_SCREENSHOT=/some/file.png to keep a picture of the published digest.
SCREENSHOT = os.environ.get("DIGEST_SCREENSHOT", "")

WELCOME = "How do you welcome newcomers to a peer group?"
ROTATE = "Who should chair our monthly peer sessions?"
DIGEST = "What our peer groups learned this month"


@pytest.fixture
def site_tree(role_groups):
    """A transactional test's flush takes Wagtail's page tree, the site and the editors' page
    permissions with it: put them back as the post-migrate step made them."""
    ensure_editor_permissions()


def test_a_published_digest_credits_its_quoted_members_live(
    browser, site_tree, channel_prefix, server_password_hashing, tmp_path
):
    prefix, redis_url = channel_prefix

    # Given two threads in a public group whose replies, by Ben and by Cleo, Ana marked helpful
    def threads():
        mia = MemberFactory(handle="mia", email="mia@example.org", display_name="Mia Lind", role=Role.MANAGER)
        ana = MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
        ben = MemberFactory(handle="ben", email="ben@example.org", display_name="Ben Okoro")
        cleo = MemberFactory(handle="cleo", email="cleo@example.org", display_name="Cleo Marsh")
        group = make_group(manager=mia, members=[ana, ben, cleo], visibility="public", name="Facilitators")
        welcome = make_thread(group=group, author=ana, kind="question", title=WELCOME, body="What has worked?")
        rotate = make_thread(group=group, author=ana, title=ROTATE, body="One chair, or a rota?")
        answers = [
            forums.reply(author=ben, thread=welcome, body="Pair each newcomer with a **buddy** for a month."),
            forums.reply(author=cleo, thread=rotate, body="A rota: each session is chaired by someone new."),
        ]
        for answer in answers:
            forums.react(member=ana, post=answer, kind="helpful")
        return mia, ben, cleo, welcome, rotate

    mia, ben, cleo, welcome, rotate = in_clean_thread(threads)
    database_url = database_url_for_subprocesses(tmp_path, application_name=prefix)

    with (
        daphne_server(tmp_path, database_url=database_url, prefix=prefix, redis_url=redis_url) as server,
        member_browser(browser, server) as mia_page,
        member_browser(browser, server) as ben_page,
    ):
        # Ben is signed in with his notifications open, listening
        sign_in(ben_page, "ben@example.org")
        ben_page.goto("/notifications/")
        expect(ben_page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
        wait_until_listening(ben_page)
        ben_page.evaluate("() => { window.__sameDocument = true; }")  # gone if the page reloads

        # When Mia, a community manager, ticks both threads in the curation queue and starts a digest
        sign_in(mia_page, "mia@example.org")
        mia_page.goto("/content/curation/")
        expect(mia_page.get_by_role("heading", name="Curation", level=1)).to_be_visible()
        most_helpful = mia_page.get_by_role("region", name="Most helpful")
        for title in (WELCOME, ROTATE):
            most_helpful.locator("label").filter(has_text=title).get_by_role("checkbox").check()
        mia_page.get_by_label("Digest title").fill(DIGEST)
        mia_page.get_by_role("button", name="Start a draft digest").click()

        # Then she lands in Wagtail's editor on the draft
        expect(mia_page).to_have_url(re.compile(r"/cms/pages/\d+/edit/$"), timeout=WAIT_MS)
        expect(mia_page.get_by_text("Your draft digest is ready")).to_be_visible()
        editor_url = mia_page.url

        # When she publishes it from the editor's footer action menu
        mia_page.get_by_role("button", name="More actions").click()
        mia_page.get_by_role("button", name="Publish", exact=True).click()

        # Then Wagtail confirms it, back on the digests listing
        expect(mia_page.get_by_text(f"Page '{DIGEST}' has been published.")).to_be_visible(timeout=WAIT_MS)
        assert mia_page.url != editor_url

        # And Ben's open page, not reloaded, shows the credit as it arrives
        expect(toast(ben_page, "Mia Lind credited you")).to_be_visible(timeout=WAIT_MS)
        assert ben_page.evaluate("() => window.__sameDocument") is True

        # And the ledger holds one credit from Mia to each quoted member; the digest is live
        read_back_what_the_server_committed(database_url)
        digest = DigestPage.objects.get(title=DIGEST)
        assert digest.live
        credits = Give.objects.filter(kind=Give.Kind.CREDIT, subject_id=digest.pk)
        assert sorted(credits.values_list("giver_id", "receiver_id")) == sorted([(mia.pk, ben.pk), (mia.pk, cleo.pk)])
        for member in (ben, cleo):
            credit = credits.get(receiver=member)
            notification = Notification.objects.get(give=credit)
            assert (notification.recipient_id, notification.text) == (member.pk, "Mia Lind credited you")

        # And Ben, opening the published digest, finds both members quoted, credited and linked back
        ben_page.goto(digest.url)
        expect(ben_page.get_by_role("heading", name=DIGEST, level=1)).to_be_visible()
        quotes = ben_page.locator(".digest-quote")
        expect(quotes).to_have_count(2)
        for name, title, thread in (("Ben Okoro", WELCOME, welcome), ("Cleo Marsh", ROTATE, rotate)):
            credit = quotes.locator(".digest-quote__credit").filter(has_text=name)
            expect(credit.get_by_role("link", name=name)).to_be_visible()
            expect(credit.get_by_role("link", name=title)).to_have_attribute(
                "href", re.compile(rf"^{re.escape(thread.get_absolute_url())}")
            )
        expect(quotes.filter(has_text="Ben Okoro").locator("blockquote strong")).to_have_text("buddy")
        if SCREENSHOT:
            ben_page.screenshot(path=SCREENSHOT, full_page=True)
