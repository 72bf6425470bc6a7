"""Shares: once per member, a give to each author, through the page and the API (which lists credits too)."""

import pytest
from django.core.management import call_command

from content import services
from content.errors import ContentError
from content.models import ArticleIndexPage, ArticlePage, DigestPage, GuestPostPage, Share
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


def test_synchronize_content_rebuilds_what_share_keeps(manager):
    # Given pages of every kind shared through the service
    writer = MemberFactory()
    article = ArticlePage(title="Thank genuinely", body=[("paragraph", "<p>Say what it meant.</p>")], owner=manager)
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.authors.set([writer])
    publish(article, manager)
    unshared = ArticlePage(title="Nobody shared me", body=[("paragraph", "<p>Yet.</p>")], owner=manager)
    ArticleIndexPage.objects.get().add_child(instance=unshared)
    publish(unshared, manager)
    guest = services.submit_guest_post(
        member=writer, title="Onboarding that people finish", summary="", body="word " * 60, bio="A designer."
    )
    guest.current_workflow_state.current_task_state.approve(user=manager)
    for reader in (MemberFactory(), MemberFactory()):
        services.share(member=reader, page=article)
        services.share(member=reader, page=GuestPostPage.objects.get(pk=guest.pk))
    services.share(member=MemberFactory(), page=article)
    kept = shares_snapshot()

    # When every count is wrong and the command rebuilds them
    for page_type in (ArticlePage, GuestPostPage):
        page_type.objects.update(share_count=99)
    call_command("synchronize_content")

    # Then they are what the service kept
    assert shares_snapshot() == kept
    assert kept[ArticlePage] == [(article.pk, 3), (unshared.pk, 0)] and kept[GuestPostPage] == [(guest.pk, 2)]


def shares_snapshot():
    return {model: list(model.objects.order_by("pk").values_list("pk", "share_count")) for model in SHARED}


SHARED = (ArticlePage, DigestPage, GuestPostPage)


def test_publishing_an_older_draft_keeps_the_shares_and_the_discussion(manager):
    # Given a live article with its discussion, and a draft an editor saved before anyone shared it
    article = ArticlePage(title="Thank genuinely", body=[("paragraph", "<p>Say what it meant.</p>")], owner=manager)
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.authors.set([MemberFactory()])
    publish(article, manager)
    discussion = article.discussion_id
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()  # as /cms/ opens it
    services.share(member=MemberFactory(), page=article)

    # When the editor publishes the draft
    draft.title = "Thank genuinely, and say why"
    draft.save_revision(user=manager).publish(user=manager)

    # Then the share and the discussion stay: no second thread is opened
    article.refresh_from_db()
    assert (article.title, article.share_count, article.discussion_id) == ("Thank genuinely, and say why", 1, discussion)
