"""The demo site: articles (one featured, one scheduled), a digest crediting demo members, a guest
post, one more waiting for review, and a small resource library. Published through Wagtail
revisions, so credits and discussion threads happen exactly as when a manager publishes."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection

from forums.models import Thread
from members.models import Member

from . import selectors, services
from .models import ArticleIndexPage, ArticlePage, Resource

ARTICLES = [
    ("The first week decides everything", "Why newcomers who get a reply within a day stay, and how to make sure they do.",
     ["What we measured across twelve communities: a newcomer whose first post is answered within 24 hours is "
      "three times as likely to post again.", "The fix is not a bot. It is a rota of members who remember being new."],
     ["onboarding", "retention"], True),
    ("Three numbers for your executive sponsor", "Support deflection, time to first answer, and returning members.",
     ["Executives want a story they can repeat. Pick three numbers and a member behind each.",
      "Our sponsor now opens the monthly report first thing."], ["metrics"], False),
    ("Thank genuinely: what a good thank-you says", "A formula thanks nobody. Say what the help made possible.",
     ["“Great post!” could be sent to anyone. “Your checklist saved my launch” could only be sent to one person."],
     ["reciprocity"], False),
    ("Running an AMA people actually attend", "Collect questions a week ahead, start with the best three.",
     ["Smaller rooms, cameras on, one guest. Then turn the best answers into a digest."], ["events"], False),
]  # fmt: skip


def seed_content() -> int:
    """Create the demo content once; returns how many pages were added."""
    if ArticlePage.objects.exists():
        return 0
    with transaction.atomic():
        return _seed()


def _publish(page, user):
    page.save_revision(user=user).publish(user=user)


def _seed() -> int:
    manager = Member.objects.get(username="manager")
    member = Member.objects.get(username="member")
    index = ArticleIndexPage.objects.get()
    writers = list(
        Member.objects.filter(is_active=True).exclude(username__in=["manager", "member"]).order_by("-gives_given")[:4]
    )
    added = 0
    for n, (title, summary, paragraphs, tags, featured) in enumerate(ARTICLES):
        body = [("paragraph", f"<p>{text}</p>") for text in paragraphs]
        body.append(("member", {"handle": writers[n].username, "note": "Ask them how they did it."}))
        page = ArticlePage(title=title, summary=summary, body=body, featured=featured, owner=manager)
        index.add_child(instance=page)
        page.authors.set([manager, writers[n]])
        page.tags.add(*tags)
        _publish(page, manager)
        added += 1
    upcoming = ArticlePage(
        title="Your next 90-day plan, step by step", summary="Acquisition, beta groups, content programmes and outreach.",
        body=[("paragraph", "<p>Coming soon.</p>")], owner=manager,
    )  # fmt: skip
    index.add_child(instance=upcoming)
    upcoming.go_live_at = timezone.now() + timedelta(days=5)
    upcoming.save_revision(user=manager, approved_go_live_at=upcoming.go_live_at).publish(user=manager)
    added += 1

    threads = list(Thread.objects.filter(kind=Thread.Kind.QUESTION, group__visibility="public").order_by("pk")[:1])
    threads += list(Thread.objects.filter(group__visibility="members").order_by("pk")[:1])
    posts = [post for thread in threads for post in selectors.best_posts(thread, count=2)]
    if posts:
        digest = services.start_digest(
            manager=manager, title="What the community learned about welcoming newcomers", posts=posts
        )
        digest.summary = "Four insights from this month's discussions, in the members' own words."
        _publish(digest, manager)
        added += 1

    guest = services.submit_guest_post(
        member=member,
        title="Onboarding that people finish",
        summary="What a product designer learned by watching fifty people sign up.",
        body=("We watched fifty people sign up for our community and took notes on every hesitation. " * 4)
        + "\n\n**The lesson:** ask for one thing at a time, and answer the first post within a day.",
        bio=member.bio or "Product designer at Brightline Studio.",
        website="https://example.org/sam",
    )
    guest.current_workflow_state.current_task_state.approve(user=manager)  # the review, as in /cms/
    added += 1
    services.submit_guest_post(
        member=writers[0],
        title="What our beta group taught us",
        summary="Honest feedback needs a small room.",
        body="Our beta group has twenty members and a rule: every bug report gets a reply within a day. " * 5,
        bio=writers[0].bio or "Community lead.",
    )
    _resources(manager)
    return added


def _resources(manager) -> None:
    collection = Collection.get_first_root_node()
    guide = Document(title="Welcome thread template", collection=collection, uploaded_by_user=manager)
    guide.file.save("welcome-thread-template.txt", ContentFile(b"Welcome, {name}! Tell us three things...\n"))
    guide.save()
    rows = [
        ("Welcome thread template", "Onboarding", Resource.Audience.PUBLIC, guide, ""),
        ("Community metrics glossary", "Metrics", Resource.Audience.MEMBERS, None, "https://example.org/glossary"),
        ("90-day plan worksheet", "Planning", Resource.Audience.MEMBERS, None, "https://example.org/plan"),
        ("AMA run sheet", "Events", Resource.Audience.PUBLIC, None, "https://example.org/ama"),
    ]
    for title, category, audience, document, url in rows:
        Resource.objects.create(
            title=title, category=category, audience=audience, document=document, url=url, collection=collection,
            description=f"{category} resource shared by the community team.",
        )  # fmt: skip
