"""Reads for the curated site: the home page's sections, section listings, the resource library,
the curation queue and the one site search."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.permissions import policy_registry

from community import text_search
from community.pagination import IdsFirstPaginator
from forums import selectors as forum_selectors
from forums.models import GroupMembership, Post, Thread
from members import selectors as member_selectors
from members.models import Member

from .models import ArticlePage, ArticleTag, DigestPage, GuestPostPage, Resource

SECTION_PAGE_SIZE = 12
MOST_GIVING_SECONDS = 300
HOME_SHARED_SECONDS = 60
FEATURED = 4


def _cards(model, private: Q | None = None) -> QuerySet:
    """Live, public pages of `model`, newest first; `private` is the sections under view
    restrictions when the caller has read them already (one query, however many lists)."""
    pages = model.objects.live()
    pages = pages.public() if private is None else pages.exclude(private)
    pages = pages.order_by("-first_published_at", "-pk")
    if model is ArticlePage:
        pages = pages.select_related("hero_image").prefetch_related("hero_image__renditions")
    return pages


def _most_giving(count: int) -> list[int]:
    """Ids of the members whose gives weigh most (forced favours weighted down, rule 8). Ranking
    everyone sums the ledger, and a running total of weights would cost every give (and every ring
    that re-weights earlier gives), so the ranking is cached for a few minutes: it moves slowly."""
    return cache.get_or_set(
        f"content:most-giving:{count}", lambda: member_selectors.most_giving(count), MOST_GIVING_SECONDS
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


def coming_up(*, count: int = 5, private: Q | None = None) -> list[Page]:
    """Pages a publisher has approved to go live later (Wagtail's scheduled revision), soonest
    first, with the approved revision's title and time; a draft's own go-live date counts for
    nothing until someone with the right to publish schedules it."""
    scheduled = Revision.page_revisions.filter(
        object_id=Cast(OuterRef("pk"), CharField()), approved_go_live_at__gt=timezone.now()
    ).order_by("-created_at")
    pages = Page.objects.filter(live=False)
    return list(
        (pages.public() if private is None else pages.exclude(private))
        .annotate(
            scheduled_at=Subquery(scheduled.values("approved_go_live_at")[:1]),
            scheduled_title=Subquery(scheduled.values("object_str")[:1]),
        )
        .filter(scheduled_at__isnull=False)
        .order_by("scheduled_at", "pk")[:count]
    )


def _shared_home_sections() -> dict:
    """The home page's lists that are the same for every viewer (public pages, the member count)."""
    private = Page.objects.private_q()  # the view restrictions, read once for every list below
    # Featured first, then the newest: two short index scans rather than sorting every article.
    featured = list(_cards(ArticlePage, private).filter(featured=True)[:FEATURED])
    if len(featured) < FEATURED:
        featured += list(_cards(ArticlePage, private).filter(featured=False)[: FEATURED - len(featured)])
    return {
        "featured": featured,
        "digests": list(_cards(DigestPage, private)[:3]),
        "guest_posts": list(_cards(GuestPostPage, private).select_related("author")[:3]),
        "upcoming": coming_up(private=private),
        "member_count": Member.objects.filter(is_active=True).count(),
    }


def _cached_shared_home_sections() -> dict:
    """`_shared_home_sections`, kept in the cache under the newest entry of Wagtail's page log:
    publishing, unpublishing, scheduling, moving or deleting a page and changing a view
    restriction each write one, so the next view reads the lists again. Kept HOME_SHARED_SECONDS
    at most (the member count, a change no log entry records), and never past the time the next
    scheduled page goes live (it leaves "Coming up" then)."""
    version = PageLogEntry.objects.aggregate(newest=Max("pk"))["newest"] or 0
    key = f"content:home-sections:{version}"
    sections = cache.get(key)
    if sections is None:
        sections = _shared_home_sections()
        seconds = HOME_SHARED_SECONDS
        if sections["upcoming"]:
            until = (sections["upcoming"][0].scheduled_at - timezone.now()).total_seconds()
            seconds = max(1, min(seconds, int(until)))
        cache.set(key, sections, seconds)
    return sections


def home_sections(viewer) -> dict:
    """What the home page shows, in a fixed number of queries: the viewer's own lists (discussions
    they may read, members to meet but themselves) and the shared ones, cached."""
    return {
        **_cached_shared_home_sections(),
        "discussions": list(
            forum_selectors.visible_threads(viewer)
            .select_related("group", "last_poster")
            .order_by("-last_activity_at")[:5]
        ),
        "members_to_meet": members_to_meet(viewer),
    }


def _section_page_model(section: Page) -> type[Page] | None:
    """The one kind of page a section lists (its only allowed subpage type)."""
    models = section.specific_class.allowed_subpage_models()
    return models[0] if len(models) == 1 else None


def _section_cards(model: type[Page], ids: list[int]) -> QuerySet:
    """The cards of these pages, images with them (as `_cards`); the ids are live and public."""
    pages = model.objects.filter(pk__in=ids)
    if model is ArticlePage:
        pages = pages.select_related("hero_image").prefetch_related("hero_image__renditions")
    return pages


def section_children(section: Page, request) -> dict:
    """A section's live, public pages, newest first, a page of cards at a time. The page's ids and
    the count are read in one narrow query over the page tree (no join to the pages' own tables, no
    whole rows sorted before OFFSET), then the cards of those ids: the same queries on every page."""
    tag = request.GET.get("tag", "").strip()
    model = _section_page_model(section)
    pages = Page.objects.child_of(section).live().public().order_by("-first_published_at", "-pk")
    if model is None:  # not a one-kind section: whatever lives under it, as its own kind
        paginator = IdsFirstPaginator(
            pages, SECTION_PAGE_SIZE, load=lambda ids: Page.objects.filter(pk__in=ids).specific()
        )
    else:
        pages = pages.exact_type(model)
        if tag and model is ArticlePage:
            pages = pages.filter(pk__in=ArticleTag.objects.filter(tag__name=tag).values("content_object_id"))
        paginator = IdsFirstPaginator(pages, SECTION_PAGE_SIZE, load=lambda ids: _section_cards(model, ids))
    page = paginator.get_page(request.GET.get("page"))
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


def _document_permissions():
    return policy_registry.get_by_type(get_document_model())


def edits_documents(viewer) -> bool:
    """Editors in /cms/ (moderators, managers) open any file their collection permissions cover."""
    return viewer.is_authenticated and _document_permissions().user_has_any_permission(viewer, ["change", "choose"])


def downloadable_documents(viewer) -> QuerySet:
    """The documents `viewer` may open, by the rule of `check_download_permission`."""
    documents = get_document_model().objects.all()
    if edits_documents(viewer):
        return _document_permissions().instances_user_has_any_permission_for(viewer, ["change", "choose"])
    owned = Exists(Resource.objects.filter(document=OuterRef("pk")))
    unowned_allowed = Q() if viewer.is_authenticated else Q(pk__in=_documents_on_public_pages())
    return documents.filter(Q(pk__in=visible_resources(viewer).values("document")) | (~owned & unowned_allowed))


def check_download_permission(viewer, document) -> None:
    """A document is served only to those who may see what it belongs to. A file in the library
    follows its resources (public, members, or one group: a group's file is not found for anyone
    else); a file no resource owns is for members, unless a live public page links to it. Editors
    in /cms/ open every file their collections allow. Wagtail's collection privacy applies too."""
    if edits_documents(viewer) and _document_permissions().user_has_any_permission_for_instance(
        viewer, ["change", "choose"], document
    ):
        return
    resources = Resource.objects.filter(document=document)
    if resources.exists():
        if visible_resources(viewer).filter(document=document).exists():
            return
        if not viewer.is_authenticated and resources.exclude(audience=Resource.Audience.GROUP).exists():
            raise PermissionDenied("Sign in to open this file: it is for members.")
        raise Http404("No such document.")
    if viewer.is_authenticated or document.pk in _documents_on_public_pages(document.pk):
        return
    raise PermissionDenied("Sign in to open this file: it is for members.")


def _documents_on_public_pages(document_id: int | None = None) -> list[int]:
    """Ids of documents a live, public page links to (Wagtail's reference index)."""
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(get_document_model()),
    )
    if document_id is not None:
        references = references.filter(to_object_id=str(document_id))
    links = {(int(page), int(doc)) for page, doc in references.values_list("object_id", "to_object_id")}
    public = set(Page.objects.live().public().filter(pk__in={page for page, _ in links}).values_list("pk", flat=True))
    return sorted({doc for page, doc in links if page in public})


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


CURATION_COLUMNS = 3


def curation_candidates(*, days: int = 30, limit: int = 10) -> dict:
    """Threads worth curating over the last `days`, in three columns, each thread in the first
    column it qualifies for: questions with an accepted answer (the surest insights), then threads
    whose replies people marked helpful, then the most reacted-to. Each carries the figures the page
    labels: replies, helpful replies, reactions in the period."""
    since = timezone.now() - timedelta(days=days)
    # Not a thread held for review: a digest is published to everyone.
    shown = forum_selectors.shown_threads_q(AnonymousUser())
    threads = (
        Thread.objects.filter(shown, last_activity_at__gte=since)
        .select_related("group", "author", "accepted_answer__author")
        .annotate(
            helpful_posts=Count("posts", filter=Q(posts__helpful_count__gt=0, posts__number__gt=1), distinct=True),
            reactions=Count("posts__reactions", filter=Q(posts__reactions__created__gte=since), distinct=True),
        )
    )
    answered = list(threads.filter(accepted_answer__isnull=False).order_by("-helpful_posts", "-last_activity_at")[:limit])
    taken = {thread.pk for thread in answered}
    helpful = list(
        threads.filter(helpful_posts__gt=0).exclude(pk__in=taken).order_by("-helpful_posts", "-last_activity_at")[:limit]
    )
    taken |= {thread.pk for thread in helpful}
    reacted = list(
        threads.filter(reactions__gt=0).exclude(pk__in=taken).order_by("-reactions", "-last_activity_at")[:limit]
    )
    return {"answered": answered, "most_helpful": helpful, "most_reacted": reacted, "days": days}


QUOTE_MIN_CHARS = 40  # shorter than this is a reaction ("great post!"), not an insight


def is_question(post: Post) -> bool:
    """A post that asks rather than tells: it ends on a question mark, or most of its sentences do."""
    from community.text_search import plain_text

    text = plain_text(post.html)
    sentences = [part for part in re.split(r"(?<=[.!?])\s+", text) if part]
    asking = sum(sentence.endswith("?") for sentence in sentences)
    return text.endswith("?") or asking * 2 > len(sentences)


def quote_worth(post: Post) -> float:
    """How good a quote the post makes: helpful marks count most, then insightful, then likes, and
    length up to a few short paragraphs (a long helpful post says more than a quip)."""
    length = min(len(post.body), 600) / 200
    return 3 * post.helpful_count + 2 * post.insightful_count + post.like_count + length


def best_posts(thread: Thread, *, count: int = 3) -> list[Post]:
    """What a digest started from this thread quotes: the accepted answer first, then the replies
    that tell something (not questions, not one-liners, not the asker's own follow-ups), best first."""
    posts = thread.posts.filter(status=Post.Status.VISIBLE, number__gt=1).select_related("author", "thread__group")
    accepted = [post for post in posts if post.pk == thread.accepted_answer_id]
    others = [
        post
        for post in posts
        if post.pk != thread.accepted_answer_id
        and post.author_id != thread.author_id
        and len(post.body) >= QUOTE_MIN_CHARS
        and not is_question(post)
    ]
    others.sort(key=lambda post: (-quote_worth(post), post.number))
    return (accepted + others)[:count]


SEARCH_PAGES = 10
SEARCH_THREADS = 10
SEARCH_POSTS_READ = 60  # matching posts read to find SEARCH_THREADS distinct threads
SEARCH_PEOPLE = 8


@dataclass
class ThreadHit:
    """A thread in the search results, once however many of its posts match."""

    post: Post  # the newest matching post, whose snippet is shown
    snippet: str
    matches: int = 1

    @property
    def thread(self) -> Thread:
        return self.post.thread


def site_search(viewer, query: str) -> dict:
    """One search across pages (Wagtail search, stemmed on both databases), threads (forums search,
    visibility respected, each thread once) and members (the directory), each with a snippet."""
    query = query.strip()[:200]
    words = text_search.words(query)
    if not words:
        return {"query": query, "pages": [], "threads": [], "members": []}
    stems = text_search.stems(query)
    # Public pages only, as every list of pages: a section behind a view restriction is not announced.
    pages = Page.objects.live().public().type(ArticlePage, DigestPage, GuestPostPage)
    found = [page.pk for page in pages.search(" ".join(words))[:SEARCH_PAGES]]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=found).specific()}  # a query per page type
    page_hits = [
        (specific[pk], text_search.snippet(specific[pk].search_text(), stems)) for pk in found if pk in specific
    ]
    threads: dict[int, ThreadHit] = {}
    for post in forum_selectors.search(viewer, query)[:SEARCH_POSTS_READ]:
        if post.thread_id in threads:
            threads[post.thread_id].matches += 1
        elif len(threads) < SEARCH_THREADS:
            threads[post.thread_id] = ThreadHit(post, text_search.snippet(text_search.plain_text(post.html), stems))
    people = []
    if viewer.is_authenticated:
        filters = member_selectors.DirectoryFilters(query=query, sort="relevance")
        people = list(member_selectors.directory(filters)[:SEARCH_PEOPLE])
    return {"query": query, "pages": page_hits, "threads": list(threads.values()), "members": people}


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
