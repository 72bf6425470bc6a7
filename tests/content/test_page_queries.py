"""The content pages cost a fixed number of queries, whatever their content, authors and tags."""

import pytest

from content import services
from content.models import ArticleIndexPage, ArticlePage
from tests.content.pages import publish
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("articles", [1, 8])
def test_home_page_queries_do_not_grow_with_content(client, manager, articles, django_assert_num_queries):
    index = ArticleIndexPage.objects.get()
    for n in range(articles):
        page = ArticlePage(title=f"Article {n}", summary="s", body=[("paragraph", "<p>x</p>")], owner=manager)
        index.add_child(instance=page)
        publish(page, manager)
    client.force_login(MemberFactory())
    client.get("/")
    # after the first view the lists every viewer sees (featured, digests, guest posts, coming up,
    # the member count) come from the cache under the newest page-log entry (one query; they were 7
    # queries, 20 before the view restrictions were read once), and so does the ranking of who has
    # given most; the viewer's own lists (discussions, members to meet) are read each time
    with django_assert_num_queries(11):
        assert client.get("/").status_code == 200


def test_article_and_digest_pages_render_with_a_fixed_number_of_queries(
    client, manager, answers, django_assert_num_queries
):
    digest = services.start_digest(manager=manager, title="What we learned this month", posts=answers)
    publish(digest, manager)
    client.force_login(MemberFactory())
    client.get(digest.url)
    with django_assert_num_queries(15):
        page = client.get(digest.url)
    assert answers[0].author.name in page.text and answers[1].author.name in page.text


def test_article_pages_cost_the_same_whatever_their_authors_and_tags(client, manager, django_assert_num_queries):
    index = ArticleIndexPage.objects.get()
    pages = []
    for authors, tags in ((1, ["one"]), (4, ["one", "two", "three", "four"])):
        page = ArticlePage(title=f"An article by {authors}", body=[("paragraph", "<p>Text.</p>")], owner=manager)
        index.add_child(instance=page)
        page.authors.set([MemberFactory() for _ in range(authors)])
        page.tags.add(*tags)
        publish(page, manager)
        pages.append(page)
    client.force_login(MemberFactory())
    for page in pages:
        client.get(page.url)
        with django_assert_num_queries(15):
            response = client.get(page.url)
        assert response.status_code == 200 and page.title in response.text
