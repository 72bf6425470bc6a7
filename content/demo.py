"""The demo site: five articles (one featured, one more scheduled), two insight digests crediting
the members they quote, a published guest post and one waiting for review, a resource library, and
the shares readers made. Published through Wagtail revisions, so credits and discussion threads
happen exactly as when a manager publishes. The words are in content.demo_texts."""

import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection

from forums.models import Thread
from members.models import Member

from . import demo_texts, selectors, services
from .models import ArticleIndexPage, ArticlePage, DigestPage, Resource

SHARES_PER_PAGE = [9, 6, 5, 4, 3, 7, 4, 5]  # how many readers shared each published page, in order


def seed_content() -> int:
    """Create the demo content once; returns how many pages were added."""
    if ArticlePage.objects.exists():
        return 0
    with transaction.atomic():
        return _seed()


def _publish(page, user):
    page.save_revision(user=user).publish(user=user)


def _body(blocks, writer) -> list:
    """Headings and paragraphs run together into rich-text blocks; quotes and the writer's card apart."""
    body, text = [], ""
    for kind, value in blocks:
        if kind in ("h", "p"):
            text += f"<h3>{value}</h3>" if kind == "h" else f"<p>{value}</p>"
            continue
        if text:
            body.append(("paragraph", text))
            text = ""
        if kind == "quote":
            body.append(("quote", {"quote": value[0], "attribution": value[1]}))
        elif kind == "member":
            body.append(("member", {"handle": writer.username, "note": value}))
    if text:
        body.append(("paragraph", text))
    return body


def _seed() -> int:
    manager = Member.objects.get(username="manager")
    member = Member.objects.get(username="member")
    index = ArticleIndexPage.objects.get()
    writers = list(
        Member.objects.filter(is_active=True)
        .exclude(username__in=["manager", "member", "moderator", "sponsor", "administrator"])
        .order_by(F("ledger_totals__gives_given").desc(nulls_last=True), "pk")[: len(demo_texts.ARTICLES)]
    )
    published = []
    for n, text in enumerate(demo_texts.ARTICLES):
        page = ArticlePage(
            title=text["title"], summary=text["summary"], body=_body(text["body"], writers[n]),
            featured=text["featured"], owner=manager,
        )  # fmt: skip
        index.add_child(instance=page)
        page.authors.set([writers[n], manager])
        page.tags.add(*text["tags"])
        _publish(page, manager)
        published.append(page)
    upcoming = ArticlePage(
        title=demo_texts.UPCOMING["title"], summary=demo_texts.UPCOMING["summary"],
        body=_body(demo_texts.UPCOMING["body"], manager), owner=manager,
    )  # fmt: skip
    index.add_child(instance=upcoming)
    upcoming.go_live_at = timezone.now() + timedelta(days=5)
    upcoming.save_revision(user=manager, approved_go_live_at=upcoming.go_live_at).publish(user=manager)

    published += [digest for text in demo_texts.DIGESTS if (digest := _digest(text, manager))]

    guest = services.submit_guest_post(
        member=member, title=demo_texts.GUEST_POST["title"], summary=demo_texts.GUEST_POST["summary"],
        body=demo_texts.GUEST_POST["body"], website=demo_texts.GUEST_POST["website"],
        bio=member.bio or "Product designer at Brightline Studio, working on onboarding that people finish.",
    )  # fmt: skip
    guest.current_workflow_state.current_task_state.approve(user=manager)  # the review, as in /cms/
    guest.refresh_from_db()
    published.append(guest)
    services.submit_guest_post(
        member=writers[0], title=demo_texts.WAITING_GUEST_POST["title"],
        summary=demo_texts.WAITING_GUEST_POST["summary"], body=demo_texts.WAITING_GUEST_POST["body"],
        bio=writers[0].bio or "Runs the product beta group.",
    )  # fmt: skip
    _shares(published)
    _resources(manager)
    return len(published) + 2  # the scheduled article and the guest post waiting for review


def _digest(text: dict, manager: Member) -> DigestPage | None:
    threads = [Thread.objects.filter(title=title).order_by("pk").first() for title in text["threads"]]
    posts = [post for thread in threads if thread for post in selectors.best_posts(thread, count=2)]
    if not posts:
        return None
    draft = services.start_digest(manager=manager, title=text["title"], posts=posts)
    digest = DigestPage.objects.get(pk=draft.pk)
    digest.summary = text["summary"]
    digest.intro = "".join(f"<p>{paragraph}</p>" for paragraph in text["intro"])
    quotes = list(digest.quotes.all())
    for quote, commentary in zip(quotes, text["commentary"]):
        quote.commentary = commentary
    digest.quotes = quotes
    _publish(digest, manager)
    return digest


def _shares(pages) -> None:
    readers = list(Member.objects.filter(is_active=True).exclude(username="administrator").order_by("pk"))
    rng = random.Random("shares")
    for page, count in zip(pages, SHARES_PER_PAGE):
        page = type(page).objects.get(pk=page.pk)  # as published (the revision's copy went live, not this one)
        authors = {author.pk for author in page.credited_members()}
        for reader in rng.sample(readers, count):
            if reader.pk not in authors:
                services.share(member=reader, page=page)


def _resources(manager) -> None:
    collection = Collection.get_first_root_node()
    guide = Document(title="Welcome thread template", collection=collection, uploaded_by_user=manager)
    guide.file.save("welcome-thread-template.txt", ContentFile(demo_texts.WELCOME_TEMPLATE.encode()))
    guide.save()
    links = {
        "Community metrics glossary": "https://example.org/glossary",
        "90-day plan worksheet": "https://example.org/plan",
        "AMA run sheet": "https://example.org/ama",
        "Thank-you note prompts": "https://example.org/thank-you",
    }
    for title, category, audience, description in demo_texts.RESOURCES:
        Resource.objects.create(
            title=title, category=category, audience=audience, description=description, collection=collection,
            document=guide if title == guide.title else None, url=links.get(title, ""),
        )  # fmt: skip
