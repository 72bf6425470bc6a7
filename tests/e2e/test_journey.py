"""A newcomer's first visit in a real browser: sign up, verify the e-mail, fill the profile, find
people in the directory. Runs on pytest-django's (WSGI) live server; no WebSocket is needed here."""

import os
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from members.models import Member
from tests.factories import PASSWORD, MemberFactory, SkillFactory

pytestmark = pytest.mark.browser

WEBSITE = re.compile(r"^Website:?$")  # not LinkedIn, GitHub or Mastodon, which are URLs as well
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")
# Set JOURNEY_SCREENSHOT=/some/file.png to keep a picture of the filled profile page.
SCREENSHOT = os.environ.get("JOURNEY_SCREENSHOT", "")


@pytest.fixture
def browser_page(page: Page) -> Page:
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def avatar_png(tmp_path):
    path = tmp_path / "avatar.png"
    image = Image.new("RGB", (96, 64), (32, 120, 96))
    for x in range(30, 66):
        for y in range(12, 52):
            image.putpixel((x, y), (240, 200, 80))
    image.save(path, format="PNG")
    return path


def test_newcomer_signs_up_fills_profile_and_finds_people(live_server, browser_page, mailoutbox, avatar_png):
    page = browser_page
    # Given the taxonomy and a member who already facilitates
    for name in ("Facilitation", "Python", "Mentoring"):
        SkillFactory(name=name)
    grace = MemberFactory(
        handle="gracefacilitates",
        display_name="Grace Okafor",
        profile={"headline": "Runs community retrospectives", "organisation": "Commons Lab", "location": "Lagos"},
        skills=[SkillFactory(name="Facilitation")],
    )

    # When a visitor signs up
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Handle").fill("AdaQ")  # capitals are lower-cased, not refused
    page.get_by_label("Password", exact=True).fill("a-long-journey-passphrase")
    page.get_by_label("Password again").fill("a-long-journey-passphrase")
    page.get_by_role("button", name="Sign up").click()

    # Then they are asked to verify their e-mail, and the mail with the link went out
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ada@example.org"]
    link = CONFIRM_LINK.search(mail.body)
    assert link, mail.body
    assert link.group(0).startswith(live_server.url)

    # When they open the link and confirm
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Confirm your email address")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()

    # Then they are signed in, on their profile form (a new member is invited to fill it)
    expect(page).to_have_url(f"{live_server.url}/members/me/edit/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    ada = Member.objects.get(email="ada@example.org")
    assert ada.emailaddress_set.get().verified
    assert ada.groups.get().name == "member"

    # When they fill in the profile and upload an avatar
    page.get_by_label("Display name").fill("Ada Quillfeather")
    page.get_by_label("Headline").fill("Teaches Python to first-time organisers")
    page.get_by_label("Organisation").fill("Riverside Co-op")
    page.get_by_label("Location").fill("Bristol")
    page.get_by_label("Bio").fill("I run beginner Python evenings.\nAsk me about mentoring.")
    page.get_by_label("Python").check()
    page.get_by_label("Mentoring").check()
    page.get_by_label("Interests").fill("open source, community gardens")
    page.get_by_label(WEBSITE).fill("https://ada.example.org/")
    page.get_by_label("Avatar").set_input_files(avatar_png)
    page.get_by_role("button", name="Save profile").click()

    # Then their profile shows what they entered
    expect(page).to_have_url(f"{live_server.url}/members/adaq/")
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Quillfeather")
    expect(page.get_by_text("Teaches Python to first-time organisers")).to_be_visible()
    expect(page.locator(".profile__meta")).to_contain_text("Riverside Co-op")
    expect(page.locator(".profile__meta")).to_contain_text("Bristol")
    expect(page.locator(".prose")).to_contain_text("I run beginner Python evenings.")
    skills = page.get_by_role("region", name="Skills")
    expect(skills.get_by_role("link")).to_have_text(["Mentoring", "Python"])
    interests = page.get_by_role("region", name="Interests")
    expect(interests.get_by_role("listitem")).to_have_text(["community gardens", "open source"])
    expect(page.get_by_role("link", name="Website")).to_have_attribute("href", "https://ada.example.org/")
    avatar = page.locator(".profile__header img.avatar")
    expect(avatar).to_have_attribute("src", re.compile(r"^/media/avatars/[0-9a-f]{32}\.webp$"))
    assert avatar.evaluate("img => img.complete && img.naturalWidth > 0"), "the avatar does not load"
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=True)
    ada.refresh_from_db()
    assert (ada.display_name, ada.organisation, ada.website) == (
        "Ada Quillfeather",
        "Riverside Co-op",
        "https://ada.example.org/",
    )

    # When they search the directory for their own name, they find themself
    page.get_by_role("link", name="Members", exact=True).click()
    expect(page.get_by_role("heading", name="Members", level=1)).to_be_visible()
    page.locator("#id_q").fill("Quillfeather")
    page.get_by_role("main").get_by_role("button", name="Search", exact=True).click()
    results = page.locator(".member-card")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text("Ada Quillfeather")

    # When they filter by a skill another member has, they find that member and open the profile
    page.locator("#id_q").fill("")
    page.get_by_label("Skill", exact=True).select_option(label="Facilitation")
    page.get_by_role("main").get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]skill=facilitation(&|$)"))
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Runs community retrospectives")
    results.get_by_role("link", name="Grace Okafor").click()
    expect(page).to_have_url(f"{live_server.url}{grace.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Grace Okafor")
    expect(page.get_by_role("region", name="Skills")).to_contain_text("Facilitation")


def test_invalid_website_is_refused_next_to_the_field_and_nothing_is_saved(live_server, browser_page):
    page = browser_page
    # Given a verified member, signed in through the login form
    member = MemberFactory(
        handle="linus",
        email="linus@example.org",
        display_name="Linus Field",
        profile={"website": "https://linus.example/"},
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("linus@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # When they change their name but give a website that is not a URL
    page.goto(f"{live_server.url}/members/me/edit/")
    page.get_by_label("Display name").fill("Someone Else")
    page.get_by_label(WEBSITE).fill("not a web address")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Save profile").click()

    # Then the page says so, next to the Website field, and keeps what they typed
    assert posted.value.status == 400
    expect(page).to_have_url(f"{live_server.url}/members/me/edit/")
    expect(page.get_by_role("alert").filter(has_text="nothing was saved")).to_be_visible()
    website = page.get_by_label(WEBSITE)
    expect(website).to_have_value("not a web address")
    expect(website).to_have_attribute("aria-invalid", "true")
    website_field = page.locator(".field").filter(has=page.locator("#id_website"))
    expect(website_field).to_contain_text("Enter a valid URL.")
    expect(page.locator(".field").filter(has=page.locator("#id_display_name"))).not_to_contain_text("Enter a valid")

    # And nothing was saved
    member.refresh_from_db()
    assert (member.display_name, member.website) == ("Linus Field", "https://linus.example/")
    page.goto(f"{live_server.url}{member.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Linus Field")
