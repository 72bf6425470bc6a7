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
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from channels.layers import channel_layers
from django.conf import global_settings
from django.conf import settings as django_settings
from django.db import connection
from playwright.sync_api import Browser, BrowserContext, Page, expect

from members.models import Give, Notification
from tests.factories import PASSWORD, MemberFactory, SkillFactory
from tests.servers import (
    DAPHNE,
    database_url_for_subprocesses,
    delete_redis_keys,
    in_clean_thread,
    stop,
    wait_for_port,
    wait_for_sessions_to_end,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set RECIPROCITY_SCREENSHOT=/some/file.png to keep a picture of Pay it back at the formula prompt.
SCREENSHOT = os.environ.get("RECIPROCITY_SCREENSHOT", "")
WAIT_MS = 10_000  # every wait in the browser: generous for a loaded CI box, bounded all the same
REDIS_LAYER = "channels_redis.core.RedisChannelLayer"

# Runs in every page before its own scripts: remembers the sockets live.js opens, so the test can
# wait until a page is really listening (the consumer joins the member's group before it accepts).
TRACK_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  const sockets = [];
  window.__mutuaSocketOpen = () => sockets.some((socket) => socket.readyState === Native.OPEN);
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); sockets.push(this); }
  };
})();
"""

ENDORSED = "Ana Costa endorsed you for Facilitation"
FORMULA = "great post!"
THANKS = "Your endorsement helped me land the facilitation workshop"


# --- The Daphne process ---------------------------------------------------------------------------


def _read_back_what_the_server_committed(database_url: str) -> None:
    """On SQLite the server wrote to its file copy: bring that into the test database for the ORM."""
    if not database_url.startswith("sqlite:///"):
        return  # PostgreSQL: the server wrote to the test database itself
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


@contextmanager
def daphne(tmp_path: Path, *, database_url: str, prefix: str, redis_url: str) -> Iterator[str]:
    """Serve the project with Daphne on a free port; yields its base URL and always stops it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": prefix,  # its channel layer and cache keys are this test's alone
        "CACHE_PREFIX": prefix,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "INFO",  # Daphne's "Listening on" line tells us the port it chose
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the server runs as in production
    log = tmp_path / "daphne.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [DAPHNE, "-e", "tcp:port=0:interface=127.0.0.1", "community.asgi:application"],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{wait_for_port(process, log)}"
    finally:
        stop(process)
        wait_for_sessions_to_end(prefix)
        print(f"--- Daphne log ({log}) ---\n{log.read_text(errors='replace')[-20_000:]}")  # shown on failure


# --- Browsers -------------------------------------------------------------------------------------


@contextmanager
def member_browser(browser: Browser, base_url: str) -> Iterator[Page]:
    """A browser context of its own (its own cookies): one member's window."""
    context: BrowserContext = browser.new_context(base_url=base_url)
    try:
        context.set_default_timeout(WAIT_MS)
        context.add_init_script(TRACK_SOCKETS)
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=WAIT_MS)


def wait_until_listening(page: Page) -> None:
    """The page's socket is open: the server has put it in the member's group."""
    page.wait_for_function("() => window.__mutuaSocketOpen && window.__mutuaSocketOpen()", timeout=WAIT_MS)


def owed_badge(page: Page):
    return page.locator("[data-owed-count]")


def toast(page: Page, text: str):
    return page.locator("#toasts .toast").filter(has_text=text)


# --- The journey ----------------------------------------------------------------------------------


@pytest.fixture
def channel_prefix(request, settings):
    """A channel-layer and cache prefix for this test and its server. With Redis, this process
    publishes (the factories' events) under the same prefix, and every key is deleted after."""
    prefix = f"mutua-journey-{uuid.uuid4().hex}"
    redis_url = ""
    if os.environ.get("REDIS_URL"):
        redis_url = request.getfixturevalue("redis_url")  # fails clearly when Redis is set but down
        layers = {alias: {**config} for alias, config in django_settings.CHANNEL_LAYERS.items()}
        if layers["default"]["BACKEND"] == REDIS_LAYER:
            layers["default"]["CONFIG"] = {**layers["default"]["CONFIG"], "prefix": prefix}
            settings.CHANNEL_LAYERS = layers  # channels drops its cached layers on setting_changed
    yield prefix, redis_url
    channel_layers.backends = {}
    if redis_url:
        delete_redis_keys(redis_url, prefix)


@pytest.fixture
def server_password_hashing(settings):
    """The members sign in on the server, which knows only Django's own hashers (not the fast MD5
    of the tests): hash their passwords the way it checks them."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


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
        daphne(tmp_path, database_url=database_url, prefix=prefix, redis_url=redis_url) as server,
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
        expect(owed.locator(".owed__what")).to_have_text("Ana Costa endorsed you")
        box = ben_page.get_by_label("Your thank-you to Ana Costa")
        box.fill(FORMULA)
        with ben_page.expect_response(lambda response: response.request.method == "POST") as posted:
            ben_page.get_by_role("button", name="Thank Ana Costa").click()

        # Then the page asks for something specific, next to the box, and the give stays listed
        assert posted.value.status == 400
        form = owed.locator("form.owed__thank")
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
        box.fill(THANKS)
        ben_page.get_by_role("button", name="Thank Ana Costa").click()

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
        ana_page.get_by_role("link", name="Notifications", exact=True).click()
        expect(ana_page.get_by_role("heading", name="Notifications", level=1)).to_be_visible(timeout=WAIT_MS)
        notification = ana_page.locator(".notification").filter(has_text="Ben Okoro thanked you")
        expect(notification).to_have_count(1)
        expect(notification).to_contain_text(THANKS)
        expect(notification).to_have_class(re.compile(r"\bnotification--unread\b"))

        # And the ledger holds the thank-you, from Ben to Ana, answering her endorsement
        _read_back_what_the_server_committed(database_url)
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
