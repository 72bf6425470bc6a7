"""Section listings (/articles/ and the others): newest first, a page of cards at a time, the same
queries on the first and the last page."""

import io
from datetime import timedelta

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from community.roles import Role
from content.models import ArticleIndexPage, ArticlePage
from content.selectors import SECTION_PAGE_SIZE
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ARTICLES = 2 * SECTION_PAGE_SIZE + 3  # three pages, the last one short


def image(title: str):
    picture = io.BytesIO()
    PILImage.new("RGB", (64, 32), "teal").save(picture, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(picture, name=f"{title}.png"))


@pytest.fixture
def articles():
    owner = MemberFactory(role=Role.MANAGER)
    index = ArticleIndexPage.objects.get()
    heroes = [image("dawn"), image("dusk")]
    start = timezone.now() - timedelta(days=ARTICLES)
    pages = []
    for n in range(ARTICLES):
        page = ArticlePage(
            title=f"Article {n:02}",
            summary="s",
            body=[("paragraph", "<p>x</p>")],
            owner=owner,
            first_published_at=start + timedelta(days=n),
            hero_image=heroes[n % 2] if n % 3 else None,  # some cards with an image, some without
        )
        index.add_child(instance=page)
        pages.append(page)
    return index, pages


def titles(response) -> list[str]:
    return [page.title for page in response.context["children"]]


def test_articles_are_listed_newest_first_a_page_at_a_time(client, articles):
    index, _ = articles
    client.force_login(MemberFactory())
    first, last = client.get(index.url), client.get(index.url, {"page": 3})
    assert titles(first) == [f"Article {n:02}" for n in range(ARTICLES - 1, ARTICLES - 1 - SECTION_PAGE_SIZE, -1)]
    assert titles(last) == ["Article 02", "Article 01", "Article 00"]
    assert first.context["page_obj"].paginator.count == ARTICLES
    assert "Page 3 of 3" in last.text
    assert client.get(index.url, {"page": 99}).context["page_obj"].number == 3  # past the end: the last page


def test_a_tag_narrows_the_list_and_its_count(client, articles):
    index, pages = articles
    for page in pages[:2]:
        page.tags.add("onboarding")
        page.save()
    client.force_login(MemberFactory())
    response = client.get(index.url, {"tag": "onboarding"})
    assert titles(response) == ["Article 01", "Article 00"]
    assert response.context["page_obj"].paginator.count == 2


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_first_and_the_last_page_cost_the_same_queries(client, articles, signed_in, django_assert_num_queries):
    index, _ = articles
    if signed_in:
        client.force_login(MemberFactory())
    for number in (1, 2, 3):
        client.get(index.url, {"page": number})  # renditions are made on the first view
    counts = []
    for number in (1, 3):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index.url, {"page": number}).status_code == 200
        counts.append(len(captured))
        # the count comes with the page's ids, not from a COUNT of its own
        assert not [query for query in captured if query["sql"].upper().startswith("SELECT COUNT(")]
    assert counts == ([14, 14] if signed_in else [10, 10])
    with django_assert_num_queries(counts[0]):
        client.get(index.url, {"page": 2})
