"""Helpers for the browser journeys: one member's browser window, signing in, waiting until a page
listens on its socket, and finding a toast. The journeys' fixtures are in conftest.py."""

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.factories import PASSWORD

WAIT_MS = 10_000  # every wait in the browser: generous for a loaded CI box, bounded all the same

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


def sign_in(page: Page, email: str, *, base_url: str = "") -> None:
    """Sign in through the login form. A `member_browser` page knows its server; any other page (on
    pytest-django's live server, say) is given its `base_url`."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # Attached, not visible: on a phone the Sign out button waits inside the closed menu.
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached(timeout=WAIT_MS)


def wait_until_listening(page: Page) -> None:
    """The page's socket is open: the server has put it in the member's group."""
    page.wait_for_function("() => window.__mutuaSocketOpen && window.__mutuaSocketOpen()", timeout=WAIT_MS)


def toast(page: Page, text: str):
    return page.locator("#toasts .toast").filter(has_text=text)
