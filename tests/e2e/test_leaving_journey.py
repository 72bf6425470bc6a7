"""Leaving in a real browser: a member downloads their data, then deletes the account; their reply
still reads in the thread, as "Former member". Runs on pytest-django's (WSGI) live server.

Set LEAVING_SCREENSHOTS=/some/dir to keep pictures of the account page and the thread after."""

import os
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from forums import services as forum_services
from members.models import Member
from tests.e2e.browsers import sign_in
from tests.factories import PASSWORD, MemberFactory, make_group, make_thread

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("LEAVING_SCREENSHOTS", "")


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_a_member_downloads_their_data_and_deletes_the_account(live_server, page: Page, tmp_path):
    page.set_default_timeout(15_000)
    # Given Ana, who replied in Ben's thread
    ana = MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
    ben = MemberFactory(handle="ben", email="ben@example.org", display_name="Ben Okoro")
    group = make_group(members=[ana, ben])
    thread = make_thread(group=group, author=ben, title="Writing tips", body="Short sentences win.")
    forum_services.reply(author=ana, thread=thread, body="Read it aloud before you post it.")
    sign_in(page, "ana@example.org", base_url=live_server.url)

    # When she asks for her data on her account page
    page.locator("summary.account-chip").click()
    page.get_by_role("link", name="Your data and account").click()
    page.get_by_role("button", name="Prepare my archive").click()
    expect(page.get_by_text("We are preparing your archive")).to_be_visible()

    # Then the archive is ready (built in the background, here inline) and downloads
    page.reload()
    shot(page, "account")
    if SCREENSHOTS:  # and on a phone
        page.set_viewport_size({"width": 360, "height": 800})
        shot(page, "account-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.set_viewport_size({"width": 1280, "height": 720})
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your archive").click()
    archive = tmp_path / "archive.zip"
    download_info.value.save_as(archive)
    with zipfile.ZipFile(archive) as opened:
        assert "posts.json" in opened.namelist()
        assert "Read it aloud before you post it." in opened.read("posts.json").decode()

    # When she deletes her account, with her password and handle
    page.get_by_label("Your password").last.fill(PASSWORD)
    page.get_by_label("Your handle, to confirm").fill("ana")
    page.get_by_role("button", name="Delete my account for good").click()

    # Then she is signed out and told so
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    assert Member.objects.get(pk=ana.pk).is_former

    # And Ben still reads her reply in his thread, from a former member
    sign_in(page, "ben@example.org", base_url=live_server.url)
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    reply = page.locator("#post-2")
    expect(reply).to_contain_text("Read it aloud before you post it.")
    expect(reply).to_contain_text("Former member")
    expect(reply).not_to_contain_text("Ana Costa")
    shot(page, "thread-after")
