"""The home page's shared lists come from the cache, and a change to the pages shows at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.roles import Role
from content.models import ArticleIndexPage, ArticlePage
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return MemberFactory(role=Role.MANAGER)


def article(manager, title, **fields):
    page = ArticlePage(title=title, summary="s", body=[("paragraph", "<p>x</p>")], owner=manager, **fields)
    ArticleIndexPage.objects.get().add_child(instance=page)
    return page


def publish(page, manager, **kwargs):
    page.save_revision(user=manager, **kwargs).publish(user=manager)
    page.refresh_from_db()


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.text


def featured(client) -> str:
    """The Featured row only (a published page's discussion thread shows its title elsewhere)."""
    text = home(client)
    if 'id="featured-heading"' not in text:
        return ""
    return text.split('id="featured-heading"', 1)[1].split("</section>", 1)[0]


def test_a_second_viewer_reads_the_shared_lists_from_the_cache(client, manager):
    publish(article(manager, "Welcome newcomers well", featured=True), manager)
    client.force_login(MemberFactory())
    assert "Welcome newcomers well" in home(client)
    client.logout()
    with CaptureQueriesContext(connection) as captured:
        assert "Welcome newcomers well" in home(client)
    assert not [query for query in captured if "content_articlepage" in query["sql"]]


def test_publishing_and_unpublishing_show_on_the_next_view(client, manager):
    client.force_login(MemberFactory())
    assert "Welcome newcomers well" not in featured(client)
    page = article(manager, "Welcome newcomers well", featured=True)
    publish(page, manager)
    assert "Welcome newcomers well" in featured(client)
    page.unpublish(user=manager)
    assert "Welcome newcomers well" not in featured(client)


def test_a_page_scheduled_shows_in_coming_up_at_once(client, manager):
    client.force_login(MemberFactory())
    page = article(manager, "Our spring meetup", live=False)
    assert "Our spring meetup" not in home(client)
    page.go_live_at = timezone.now() + timedelta(days=2)
    page.save_revision(user=manager).publish(user=manager)  # approved to go live in two days
    assert "Our spring meetup" in home(client)
