"""Shares: once per member, a give to each author, through the page and the API (which lists credits too)."""

import pytest

from content import services
from content.errors import ContentError
from content.models import ArticleIndexPage, ArticlePage, Share
from members.models import Give
from tests.content.pages import publish
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def test_sharing_gives_to_the_authors_once(client, manager):
    writer = MemberFactory()
    page = ArticlePage(title="Thank genuinely", body=[("paragraph", "<p>Say what it meant.</p>")], owner=manager)
    ArticleIndexPage.objects.get().add_child(instance=page)
    page.authors.set([writer])
    publish(page, manager)
    reader = MemberFactory()
    services.share(member=reader, page=page)
    with pytest.raises(ContentError) as again:
        services.share(member=reader, page=page)
    assert again.value.status == 409
    page.refresh_from_db()
    assert page.share_count == 1 and Share.objects.count() == 1
    assert Give.objects.filter(kind=Give.Kind.SHARE, giver=reader, receiver=writer).count() == 1
    client.login(username=reader.email, password=PASSWORD)
    assert "Shared 1 time" in client.get(page.url).text


def test_the_api_shares_and_lists_credits(client, manager, answers):
    digest = services.start_digest(manager=manager, title="What we learned this month", posts=answers)
    publish(digest, manager)
    client.force_login(answers[0].author)
    credits = client.get("/api/v1/content/credits/").json()
    assert [credit["page_id"] for credit in credits["results"]] == [digest.pk]
    reader = MemberFactory()
    client.force_login(reader)
    first = client.post(f"/api/v1/content/share/{digest.pk}/")
    second = client.post(f"/api/v1/content/share/{digest.pk}/")
    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json()["share_count"] == 1 and second.json()["url"].endswith(digest.url)
    client.logout()
    pages = client.get("/api/v2/pages/", {"type": "content.DigestPage"}).json()
    assert [item["id"] for item in pages["items"]] == [digest.pk]
    assert client.get("/api/v2/documents/").status_code == 403  # the library's files are for members

