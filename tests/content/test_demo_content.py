"""The demo site shows the product at its best: pieces of a few hundred words that never repeat
themselves, readable addresses, readers' shares; and seeding stays idempotent."""

import re

import pytest
from django.core.management import call_command

from community.roles import Role
from content import demo_texts
from content.demo import seed_content
from content.models import ArticlePage, CommunityPage, GuestPostPage
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def words(text: str) -> int:
    return len(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", text)))


def article_text(article: dict) -> str:
    return " ".join(value if isinstance(value, str) else " ".join(value) for _, value in article["body"])


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", re.sub(r"<[^>]+>", "", text)) if len(s.strip()) > 20]


def test_every_demo_piece_is_a_few_hundred_words_and_never_repeats_a_sentence():
    pieces = [article_text(article) for article in demo_texts.ARTICLES]
    pieces += [demo_texts.GUEST_POST["body"], demo_texts.WAITING_GUEST_POST["body"]]
    for text in pieces:
        assert words(text) >= 200
        assert len(sentences(text)) == len(set(sentences(text)))
    for digest in demo_texts.DIGESTS:
        assert words(" ".join(digest["intro"])) >= 60 and digest["commentary"]


def test_the_demo_site_has_clean_addresses_and_shares_and_seeds_once():
    for handle in ("manager", "member"):
        MemberFactory(handle=handle, role=Role.MANAGER if handle == "manager" else Role.MEMBER)
    for _ in range(12):
        MemberFactory()
    assert seed_content() > 0
    pages = [page.specific for page in ArticlePage.objects.all()] + list(GuestPostPage.objects.all())
    for page in pages:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", page.slug) and not re.search(r"\d{8,}", page.slug)
    live = [page for page in pages if page.live and isinstance(page, CommunityPage)]
    assert sum(page.share_count for page in live) >= 20 and all(page.share_count for page in live)
    assert call_command("seed_content") is None and seed_content() == 0
