"""The editorial roles and scheduled publishing: members never reach the CMS, moderators draft,
managers publish, a scheduled page goes live (and is credited) at its time and is announced only
once approved."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from community.roles import Role
from content.models import ArticleIndexPage, ArticlePage
from tests.content.pages import credits_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_members_never_reach_the_cms_moderators_draft_managers_publish(client, manager):
    member, moderator = MemberFactory(), MemberFactory(role=Role.MODERATOR)
    client.force_login(member)
    response = client.get("/cms/")
    assert response.status_code in (302, 403) and "/accounts/login/" in response.get("Location", "/accounts/login/")
    index = ArticleIndexPage.objects.get()
    client.force_login(moderator)
    assert client.get("/cms/").status_code == 200
    assert index.permissions_for_user(moderator).can_add_subpage()
    assert not index.permissions_for_user(moderator).can_publish_subpage()
    assert index.permissions_for_user(manager).can_publish_subpage()


def test_scheduled_articles_go_live_with_publish_scheduled(manager):
    index = ArticleIndexPage.objects.get()
    writer = MemberFactory()
    page = ArticlePage(title="Next quarter's plan", body=[("paragraph", "<p>Soon.</p>")], owner=manager)
    index.add_child(instance=page)
    page.authors.set([writer])
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision(user=manager, approved_go_live_at=page.go_live_at).publish(user=manager)
    page.refresh_from_db()
    assert not page.live and credits_for(writer).count() == 0
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):  # an hour after go-live
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live and credits_for(writer).count() == 1 and page.discussion is not None


def test_coming_up_lists_only_pages_scheduled_through_publishing(client, manager):
    index = ArticleIndexPage.objects.get()
    soon = timezone.now() + timedelta(days=2)
    draft = ArticlePage(title="Layoffs plan, not for anyone yet", body=[("paragraph", "<p>x</p>")], live=False)
    draft.go_live_at = soon
    index.add_child(instance=draft)
    draft.save_revision(user=manager)  # a draft with a go-live date, never approved
    scheduled = ArticlePage(title="Placeholder title", body=[("paragraph", "<p>Soon.</p>")], live=False)
    index.add_child(instance=scheduled)
    scheduled.title, scheduled.go_live_at = "Our spring meet-up", soon
    scheduled.save_revision(user=manager).publish(user=manager)  # approved, waits for its time
    scheduled.refresh_from_db()
    assert not scheduled.live and scheduled.scheduled_revision is not None

    home = client.get("/").text

    assert "Coming up" in home and "Our spring meet-up" in home  # the approved revision's title
    assert "Layoffs plan" not in home and "Placeholder title" not in home
