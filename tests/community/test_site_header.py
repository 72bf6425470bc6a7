"""What the site header offers each role: the main links, the account menu and the way in or out.
A link shown to a role that cannot open it is a dead end; one missing hides a page the role has."""

from html.parser import HTMLParser

import pytest

from community.roles import Role
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

MAIN = ["Articles", "Forums", "Members"]
SIGNED_IN = ["Pay it back", "Notifications"]
ACCOUNT = ["My profile", "Edit profile", "Settings", "My reciprocity", "Requests", "Quoting in digests",
           "Your data and account"]
MANAGING = ["Curation", "Content admin", "Skill review"]
EXPECTED = {
    None: [*MAIN, "Sign in", "Join"],
    Role.MEMBER: [*MAIN, *SIGNED_IN, *ACCOUNT, "Sign out"],
    Role.MODERATOR: [*MAIN, *SIGNED_IN, "Plans", "Moderation", *ACCOUNT, "Content admin (drafts)", "Sign out"],
    Role.SPONSOR: [*MAIN, *SIGNED_IN, "Reports", "Plans", *ACCOUNT, "Sign out"],
    Role.MANAGER: [*MAIN, *SIGNED_IN, "Reports", "Plans", "Moderation", *ACCOUNT, *MANAGING, "Sign out"],
    Role.ADMINISTRATOR: [*MAIN, *SIGNED_IN, "Reports", "Plans", "Moderation", *ACCOUNT, "Export the community",
                         *MANAGING, "Audit trail", "Sign out"],
}


class _HeaderLinks(HTMLParser):
    """The words of each link and button in the site header, in order, without the count badges (nor
    the home link and the search button, which everyone has)."""

    def __init__(self):
        super().__init__()
        self.in_header = self.in_count = False
        self.current: list[str] | None = None
        self.links: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "header" and "site-header" in (attrs.get("class") or ""):
            self.in_header = True
        elif self.in_header and tag in ("a", "button") and not {"brand", "header-search__button"} & classes:
            self.current = []
            if tag == "a":
                self.hrefs.append(attrs["href"])
        elif tag == "span" and "count" in (attrs.get("class") or "").split():
            self.in_count = True

    def handle_endtag(self, tag):
        if tag == "header":
            self.in_header = False
        elif tag == "span":
            self.in_count = False
        elif tag in ("a", "button") and self.current is not None:
            words = " ".join("".join(self.current).split())
            if words:
                self.links.append(words)
            self.current = None

    def handle_data(self, data):
        if self.current is not None and not self.in_count:
            self.current.append(data)


def header(client) -> _HeaderLinks:
    parser = _HeaderLinks()
    parser.feed(client.get("/forums/").content.decode())
    return parser


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda role: str(role or "visitor"))
def test_the_header_offers_each_role_its_own_pages_and_each_opens(client, role):
    if role is not None:
        client.force_login(MemberFactory(role=role))
    shown = header(client)
    assert shown.links == EXPECTED[role]
    for href in shown.hrefs:  # each opens for them (a sign-in page on the way would be a dead end)
        opened = client.get(href, follow=True)
        landed = opened.redirect_chain[-1][0] if opened.redirect_chain else href
        assert opened.status_code == 200 and (role is None or "/accounts/login/" not in landed), href
