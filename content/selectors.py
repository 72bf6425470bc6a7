"""Reads for the curated site: the home page's sections, section listings, the resource library,
the curation queue and the one site search."""

from datetime import timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from forums import selectors as forum_selectors
from forums.models import GroupMembership, Post, Thread
from members import selectors as member_selectors
from members.models import Member

from .models import ArticleIndexPage, ArticlePage, DigestPage, GuestPostPage, Resource

SECTION_PAGE_SIZE = 12
MOST_GIVING_SECONDS = 300
FEATURED = 4


def _cards(model) -> QuerySet:
    pages = model.objects.live().public().order_by("-first_published_at", "-pk")
    if model is ArticlePage:
        pages = pages.select_related("hero_image").prefetch_related("hero_image__renditions")
    return pages


def _most_giving(count: int) -> list[int]:
    """Ids of the members who have given most. Ranking everyone is a full scan, and an index on the
    running total would slow every give (the member row could no longer be updated in place), so the
    ranking is cached for a few minutes: it moves slowly."""
    return cache.get_or_set(
        f"content:most-giving:{count}",
        lambda: list(
            Member.objects.filter(is_active=True).order_by("-gives_given", "pk").values_list("pk", flat=True)[:count]
        ),
        MOST_GIVING_SECONDS,
    )


def members_to_meet(viewer, *, count: int = 6) -> list[Member]:
    """Rule 12: half experienced members (who have given most), half newcomers (joined in the
    last 30 days), interleaved; never the viewer."""
    members = Member.objects.filter(is_active=True)
    if viewer.is_authenticated:
        members = members.exclude(pk=viewer.pk)
    half = count // 2
    newcomers = list(
        members.filter(date_joined__gte=timezone.now() - timedelta(days=30)).order_by("-date_joined")[:half]
    )
    skip = {member.pk for member in newcomers} | {viewer.pk}
    ranked = [pk for pk in _most_giving(count + half + 1) if pk not in skip][: count - len(newcomers)]
    found = members.in_bulk(ranked)
    experienced = [found[pk] for pk in ranked if pk in found]
    mixed = [m for pair in zip(experienced, newcomers) for m in pair]
    longer = experienced if len(experienced) > len(newcomers) else newcomers
    return mixed + longer[len(mixed) // 2 :]


def home_sections(viewer) -> dict:
    """What the home page shows, in a fixed number of queries."""
    # Featured first, then the newest: two short index scans rather than sorting every article.
    featured = list(_cards(ArticlePage).filter(featured=True)[:FEATURED])
    if len(featured) < FEATURED:
        featured += list(_cards(ArticlePage).filter(featured=False)[: FEATURED - len(featured)])
    return {
        "featured": featured,
        "digests": list(_cards(DigestPage)[:3]),
        "guest_posts": list(_cards(GuestPostPage).select_related("author")[:3]),
        "discussions": list(
            Thread.objects.filter(group__in=forum_selectors.visible_groups(viewer))
            .select_related("group", "last_poster")
            .order_by("-last_activity_at")[:5]
        ),
        "members_to_meet": members_to_meet(viewer),
        "upcoming": list(Page.objects.filter(live=False, go_live_at__gt=timezone.now()).order_by("go_live_at")[:5]),
        "member_count": Member.objects.filter(is_active=True).count(),
    }


def section_children(section: Page, request) -> dict:
    tag = request.GET.get("tag", "").strip()
    if isinstance(section, ArticleIndexPage):  # the big section: its cards' images in two queries
        pages = _cards(ArticlePage).child_of(section)
        if tag:
            pages = pages.filter(tags__name=tag)
    else:
        pages = Page.objects.child_of(section).live().public().specific().order_by("-first_published_at", "-pk")
    page = Paginator(pages, SECTION_PAGE_SIZE).get_page(request.GET.get("page"))
    return {"children": page.object_list, "page_obj": page, "tag": tag}


def visible_resources(viewer) -> QuerySet[Resource]:
    """Public resources for everyone, members' for members, a group's for its members."""
    resources = Resource.objects.select_related("document", "group")
    if not viewer.is_authenticated:
        return resources.filter(audience=Resource.Audience.PUBLIC)
    if forum_selectors.is_moderator(viewer):
        return resources
    groups = GroupMembership.objects.filter(member=viewer, status=GroupMembership.Status.ACTIVE).values("group")
    return resources.filter(~Q(audience=Resource.Audience.GROUP) | Q(group__in=groups))


def resource_library(request) -> dict:
    resources = visible_resources(request.user)
    categories = sorted(set(resources.values_list("category", flat=True)))
    category = request.GET.get("category", "")
    query = request.GET.get("q", "").strip()[:200]
    if category:
        resources = resources.filter(category=category)
    if query:
        resources = resources.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return {"resources": list(resources[:200]), "categories": categories, "category": category, "query": query}


def curation_candidates(*, days: int = 30, limit: int = 20) -> dict:
    """Threads worth curating over the last `days`: most helpful, most reacted, and answered questions."""
    since = timezone.now() - timedelta(days=days)
    threads = Thread.objects.filter(last_activity_at__gte=since).select_related(
        "group", "author", "accepted_answer__author"
    )
    helpful = threads.annotate(score=Count("posts", filter=Q(posts__helpful_count__gt=0))).filter(score__gt=0)
    reacted = threads.annotate(score=Count("posts__reactions", filter=Q(posts__reactions__created__gte=since))).filter(
        score__gt=0
    )
    return {
        "most_helpful": list(helpful.order_by("-score", "-last_activity_at")[:limit]),
        "most_reacted": list(reacted.order_by("-score", "-last_activity_at")[:limit]),
        "answered": list(threads.filter(accepted_answer__isnull=False).order_by("-last_activity_at")[:limit]),
        "days": days,
    }


def best_posts(thread: Thread, *, count: int = 3) -> list[Post]:
    """The accepted answer and the most helpful replies of a thread, for a digest started from it."""
    posts = thread.posts.filter(status=Post.Status.VISIBLE, number__gt=1).select_related("author", "thread__group")
    ranked = sorted(posts, key=lambda p: (p.pk != thread.accepted_answer_id, -p.helpful_count, -p.like_count, p.number))
    return ranked[:count]


def site_search(viewer, query: str) -> dict:
    """One search across pages (Wagtail search: PostgreSQL full text in production), threads and posts
    (forums search, visibility respected) and members (the directory)."""
    query = query.strip()[:200]
    if not query:
        return {"query": "", "pages": [], "posts": [], "members": []}
    found = [page.pk for page in Page.objects.live().type(ArticlePage, DigestPage, GuestPostPage).search(query)[:10]]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=found).specific()}  # a query per page type
    posts = list(forum_selectors.search(viewer, query)[:10])
    people = []
    if viewer.is_authenticated:
        people = list(member_selectors.directory(member_selectors.DirectoryFilters(query=query, sort="relevance"))[:8])
    pages = [specific[pk] for pk in found if pk in specific]
    return {"query": query, "pages": pages, "posts": posts, "members": people}


# Per-day material for the metrics app (which never reads these tables itself).


def published_between(start, end) -> list[tuple[str, object]]:
    """(kind, first published at) of live articles, digests and guest posts first published in
    [start, end); kind is "article", "digest" or "guest_post"."""
    rows = []
    for kind, model in (("article", ArticlePage), ("digest", DigestPage), ("guest_post", GuestPostPage)):
        published = model.objects.live().filter(first_published_at__gte=start, first_published_at__lt=end)
        rows += [(kind, at) for at in published.values_list("first_published_at", flat=True)]
    return rows


def shares_between(start, end, *, exclude: set[int] = frozenset()) -> list[tuple[int, object]]:
    """(member id, shared at) of shares of pages in [start, end)."""
    from .models import Share

    rows = Share.objects.filter(created__gte=start, created__lt=end).values_list("member_id", "created")
    return [row for row in rows if row[0] not in exclude]
