"""Digests: each quoted member credited once, opt-out and a private group's consent respected,
hidden posts left out, curation for managers only."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from community.roles import Role
from content import services
from content.errors import ContentError
from content.models import DigestPage, DigestQuote, DigestSelection
from forums import services as forums
from forums.models import Post
from members.models import Notification
from tests.content.pages import credits_for, publish
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db


def test_a_published_digest_credits_each_quoted_member_once(manager, answers):
    digest = services.start_digest(manager=manager, title="What we learned this month", posts=answers)
    assert not digest.live and credits_for(answers[0].author).count() == 0
    publish(digest, manager)
    publish(digest, manager)  # republishing credits nobody twice
    for post in answers:
        assert credits_for(post.author).count() == 1
        assert Notification.objects.filter(recipient=post.author, text__contains="credited").exists()
    assert digest.discussion is not None  # content leads to conversation


def test_a_member_who_opted_out_is_not_quoted(manager, answers):
    services.set_quoting(member=answers[0].author, allow=False)
    with pytest.raises(ContentError, match="asked not to be quoted"):
        services.add_to_digest(manager=manager, post=answers[0])
    digest = services.start_digest(manager=manager, title="What we learned this month", posts=answers)
    assert [quote.author for quote in digest.quotes.all()] == [answers[1].author]


def test_a_hidden_post_leaves_the_digest_on_next_publish(manager, answers):
    digest = services.start_digest(manager=manager, title="What we learned this month", posts=answers)
    publish(digest, manager)
    forums.hide_post(moderator=MemberFactory(role=Role.MODERATOR), post=answers[0], reason="Spam")
    publish(digest, manager)
    assert [quote.post for quote in digest.quotes.all()] == [answers[1]]


def test_a_private_groups_post_is_quoted_only_with_consent(manager):
    author = MemberFactory()
    group = make_group(visibility="private", policy="invite", members=[author, manager])
    thread = make_thread(group=group, author=MemberFactory(), title="Board decisions")
    group.memberships.update_or_create(member=thread.author, defaults={"status": "active"})
    post = forums.reply(author=author, thread=thread, body="Our board reads the digest first.")
    digest = services.start_digest(manager=manager, title="Insights from the circle", posts=[post])
    quote = digest.quotes.get()
    assert quote.needs_consent and Notification.objects.filter(recipient=author, text__contains="May they?").exists()
    with pytest.raises(PermissionDenied):
        services.consent_to_quote(member=manager, quote_id=quote.pk, consent=True)
    services.consent_to_quote(member=author, quote_id=quote.pk, consent=True)
    publish(digest, manager)
    assert digest.quotes.count() == 1 and credits_for(author).count() == 1


def test_a_digest_that_fails_half_way_leaves_no_draft_and_keeps_the_selection(manager):
    # Given a manager's selection with a private group's post, whose author is asked for consent
    author = MemberFactory()
    group = make_group(visibility="private", policy="invite", members=[author, manager])
    thread = make_thread(group=group, author=manager, title="Board decisions")
    post = forums.reply(author=author, thread=thread, body="Our board reads the digest first.")
    services.add_to_digest(manager=manager, post=post)
    # When asking for consent fails after the draft page was made
    with mock.patch.object(services, "notify", side_effect=RuntimeError("notifications down")):
        with pytest.raises(RuntimeError):
            services.start_digest(manager=manager, title="Insights from the circle")
    # Then nothing of it stays: no draft digest, no orphan quote, and the selection to try again with
    assert not DigestPage.objects.exists() and not DigestQuote.objects.exists()
    assert DigestSelection.objects.filter(manager=manager, post=post).exists()


def test_without_consent_the_private_quote_is_dropped_at_publish(manager):
    author = MemberFactory()
    group = make_group(visibility="private", policy="invite", members=[author, manager])
    thread = make_thread(group=group, author=manager, title="Board decisions")
    post = forums.reply(author=author, thread=thread, body="Our board reads the digest first.")
    digest = services.start_digest(manager=manager, title="Insights from the circle", posts=[post])
    publish(digest, manager)
    assert digest.quotes.count() == 0 and credits_for(author).count() == 0


def test_only_managers_curate(answers):
    with pytest.raises(PermissionDenied):
        services.add_to_digest(manager=MemberFactory(), post=answers[0])
    with pytest.raises(PermissionDenied):
        services.start_digest(manager=MemberFactory(role=Role.MODERATOR), title="A digest title", posts=answers)


def test_hidden_posts_do_not_show_in_a_live_digest(client, manager, answers):
    digest = services.start_digest(manager=manager, title="What we learned this month", posts=answers)
    publish(digest, manager)
    Post.objects.filter(pk=answers[0].pk).update(status=Post.Status.HIDDEN)
    client.force_login(MemberFactory())
    assert answers[0].author.name not in client.get(digest.url).text
    assert DigestPage.objects.get(pk=digest.pk).quotes.count() == 2  # pruned for good on the next publish


def test_the_consent_page_is_the_authors_alone(client, manager):
    author = MemberFactory()
    group = make_group(visibility="private", policy="invite", members=[author, manager])
    thread = make_thread(group=group, author=manager, title="Board decisions")
    post = forums.reply(author=author, thread=thread, body="Our board reads the digest first.")
    quote = services.start_digest(manager=manager, title="Insights from the circle", posts=[post]).quotes.get()
    client.force_login(MemberFactory())
    assert client.get(f"/content/quotes/{quote.pk}/consent/").status_code == 403
    client.force_login(author)
    assert "May we quote you?" in client.get(f"/content/quotes/{quote.pk}/consent/").text
    client.post(f"/content/quotes/{quote.pk}/consent/", {"answer": "yes"})
    quote.refresh_from_db()
    assert quote.consent_at is not None
