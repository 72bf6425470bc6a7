"""The demo community of `make run`, crawled through every internal link as a visitor and as each
demo role: no page a link leads to may answer a server error."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from members.models import Member

VIEWERS = [None, "member", "moderator", "sponsor", "manager", "administrator"]
# Enough to reach every kind of page from the home page, bounded so the crawl stays quick.
MAX_PAGES_PER_VIEWER = 250
# Not pages: files, the admin consoles (Django's and Wagtail's own apps), and the way out.
SKIPPED_PREFIXES = ("/static/", "/media/", "/documents/", "/admin/", "/cms/", "/accounts/logout/", "/api/docs/")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def internal_links(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    links = []
    for href in parser.links:
        href, _ = urldefrag(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/"):
            continue  # another site, mailto:, a fragment, or a relative path we do not write
        links.append(href)
    return links


def page_kind(path: str) -> str:
    """Pages of one kind (every member's profile, every thread) share a shape: crawl a few of each."""
    segments = [segment for segment in urlsplit(path).path.split("/") if segment]
    shape = [segment if not any(ch.isdigit() for ch in segment) else "<n>" for segment in segments[:2]]
    return "/".join(shape) + ("?" if urlsplit(path).query else "")


def crawl(client: Client, start: str = "/") -> tuple[int, list[str]]:
    seen, failures = {start}, []
    queue = deque([start])
    per_kind: dict[str, int] = {}
    visited = 0
    while queue and visited < MAX_PAGES_PER_VIEWER:
        path = queue.popleft()
        response = client.get(path)
        visited += 1
        if response.status_code >= 500:
            failures.append(f"{path} answered {response.status_code}")
            continue
        if response.status_code in (301, 302):
            target = response.headers["Location"]
            if target.startswith("/") and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        for link in internal_links(response.content.decode()):
            if link in seen or link.startswith(SKIPPED_PREFIXES):
                continue
            kind = page_kind(link)
            if per_kind.get(kind, 0) >= 6:
                continue
            per_kind[kind] = per_kind.get(kind, 0) + 1
            seen.add(link)
            queue.append(link)
    return visited, failures


@pytest.fixture
def demo_community(db):
    call_command("seed_demo", members=80, stdout=open("/dev/null", "w"))
    call_command("seed_forums", stdout=open("/dev/null", "w"))
    call_command("seed_content", stdout=open("/dev/null", "w"))


def test_no_link_of_the_demo_site_answers_a_server_error(demo_community):
    # Given the demo community, when a visitor and each demo role follow every kind of internal link
    failures, visits = [], {}
    for handle in VIEWERS:
        client = Client(raise_request_exception=False)
        if handle:
            client.force_login(Member.objects.get(username=handle))
        visits[handle or "visitor"], found = crawl(client)
        failures += [f"as {handle or 'a visitor'}: {failure}" for failure in found]
    # Then every page answered, and the crawl really went round the site
    assert not failures, "\n".join(failures)
    assert all(count >= 40 for count in visits.values()), visits
