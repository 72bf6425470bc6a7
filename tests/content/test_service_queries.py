"""The content services cost a fixed number of queries: a share, and what publishing does
(page_went_live) on a first publish and on a republish."""

import pytest
from django.db import connection

from content import services
from content.models import ArticleIndexPage, ArticlePage
from tests.content.pages import publish
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
# record_give: two statements on PostgreSQL, four on SQLite (one give in each of these)
SHARE = 8 if POSTGRES else 10
FIRST_PUBLISH, REPUBLISH = (40, 7) if POSTGRES else (42, 7)


@pytest.fixture
def article(manager):
    page = ArticlePage(title="Thank genuinely", body=[("paragraph", "<p>Say what it meant.</p>")], owner=manager)
    ArticleIndexPage.objects.get().add_child(instance=page)
    page.authors.set([MemberFactory()])
    return page


def test_a_share_costs_a_fixed_number_of_queries(manager, article, django_assert_num_queries):
    publish(article, manager)
    services.share(member=MemberFactory(), page=article)
    reader = MemberFactory()
    with django_assert_num_queries(SHARE):
        services.share(member=reader, page=article)


def test_publishing_costs_a_fixed_number_of_queries_first_and_again(manager, article, django_assert_num_queries):
    revision = article.save_revision(user=manager)
    ArticlePage.objects.filter(pk=article.pk).update(live=True)  # live, as Wagtail leaves it before signalling
    article.refresh_from_db()
    # The first time: the author credited, the discussion group made and joined, its thread started.
    with django_assert_num_queries(FIRST_PUBLISH):
        services.page_went_live(sender=ArticlePage, instance=article, revision=revision)
    article.refresh_from_db()
    assert article.discussion is not None
    # Again: nobody credited twice, no second discussion.
    with django_assert_num_queries(REPUBLISH):
        services.page_went_live(sender=ArticlePage, instance=article, revision=revision)
