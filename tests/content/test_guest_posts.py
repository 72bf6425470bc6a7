"""Guest posts: into the editorial workflow with their text sanitised, refused with a message when
short, through the API with clear errors, published with their author's biography and links."""

from html.parser import HTMLParser

import pytest

from content import services
from content.errors import ContentError
from content.models import GuestPostPage
from tests.content.pages import credits_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_guest_post_enters_the_workflow_and_its_author_is_credited_on_publish(manager):
    author = MemberFactory(handle="guest")
    page = services.submit_guest_post(
        member=author,
        title="Onboarding that people finish",
        summary="What we learned",
        body="We watched fifty people sign up. <script>alert(1)</script> " + "word " * 60,
        bio="Designer at a studio.",
        website="https://example.org/me",
    )
    assert not page.live and page.current_workflow_state.status == "in_progress"
    page.current_workflow_state.current_task_state.approve(user=manager)
    page.refresh_from_db()
    assert page.live and credits_for(author).count() == 1

    audit = TagAudit(page.body_html)
    assert "script" not in audit.tags


class TagAudit(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def test_a_short_guest_post_is_refused_with_a_message():
    with pytest.raises(ContentError, match="at least 50 words"):
        services.submit_guest_post(member=MemberFactory(), title="Too short", summary="", body="Hi", bio="Me")
    assert not GuestPostPage.objects.exists()


def test_the_api_takes_guest_posts_with_clear_errors(client):
    client.force_login(MemberFactory())
    bad = client.post(
        "/api/v1/content/guest-posts/", {"title": "Hi", "body": "short", "bio": "me"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "title" in bad.json()
    good = client.post(
        "/api/v1/content/guest-posts/",
        {"title": "Onboarding that works", "body": "word " * 60, "bio": "A designer"},
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["status"]
    assert GuestPostPage.objects.get().live is False


def test_a_published_guest_post_shows_its_authors_biography_and_links(client, manager):
    author = MemberFactory(handle="guest", display_name="Gina Guest")
    page = services.submit_guest_post(
        member=author,
        title="Onboarding that people finish",
        summary="What we learned",
        body="word " * 60,
        bio="Designer at Brightline Studio, twelve years of onboarding research.",
        website="https://example.org/gina",
        linkedin="https://www.linkedin.com/in/gina",
    )
    page.current_workflow_state.current_task_state.approve(user=manager)
    page.refresh_from_db()
    text = client.get(page.url).text
    assert "Gina Guest" in text and "twelve years of onboarding research" in text  # rule 11
    assert 'href="https://example.org/gina"' in text and 'href="https://www.linkedin.com/in/gina"' in text
