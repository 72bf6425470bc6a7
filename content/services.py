"""Every write around the curated content: discussions opened on publish, digest credits, guest
posts into the editorial workflow, shares and quoting consent. Credits and shares are gives, so
they go through members.services.record_give."""

import logging

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import Page, PageLogEntry

from forums import selectors as forum_selectors
from forums import services as forums
from forums.models import Group, Post
from members.models import Give, MailKind, Member, Notification
from members.services import notify, record_give

from .errors import ContentError
from .models import (
    CommunityPage,
    DigestIndexPage,
    DigestPage,
    DigestQuote,
    DigestSelection,
    GuestPostIndexPage,
    GuestPostPage,
    QuoteOptOut,
    Share,
)

logger = logging.getLogger(__name__)
DISCUSSION_GROUP = "Articles and digests"
GUEST_POSTS_WAITING_MAX = 3


def check_curate_permission(member: Member) -> None:
    """Curating (digests, the curation queue) is for community managers and administrators."""
    if not member.is_authenticated or not member.has_perm("content.add_digestselection"):
        raise PermissionDenied("Only community managers curate digests.")


# Publishing --------------------------------------------------------------------------------------


def page_went_live(sender, instance, revision, **kwargs) -> None:
    """Wagtail's page_published signal: every community page gets its discussion thread; digests
    drop quotes that may no longer be shown and credit the rest; guest authors are credited."""
    page = instance.specific
    if not isinstance(page, CommunityPage) or not page.live:
        return  # Wagtail signals a scheduled page too; it goes live (and is credited) later
    with transaction.atomic():
        publisher = _publisher(page, revision)
        if isinstance(page, DigestPage):
            _prune_quotes(page)
        for member in {m.pk: m for m in page.credited_members()}.values():
            _credit(page=page, giver=publisher, receiver=member)
        # A page behind a view restriction gets no discussion: its thread would announce it in public.
        public = Page.objects.public().filter(pk=page.pk).exists()
        if page.discussion_id is None and publisher is not None and public:
            _open_discussion(page, publisher)


def _publisher(page: Page, revision) -> Member | None:
    """Who published: the approver or publisher in the page's log, else the revision's author."""
    entry = (
        PageLogEntry.objects.filter(page=page, action__in=["wagtail.workflow.approve", "wagtail.publish"])
        .exclude(user=None)
        .order_by("-timestamp")
        .first()
    )
    for candidate in (entry.user if entry else None, getattr(revision, "user", None), page.owner):
        if candidate is not None and candidate.has_perm("wagtailadmin.access_admin"):
            return candidate
    return None


def _prune_quotes(page: DigestPage) -> None:
    """Quotes of hidden or deleted posts, of members who opted out, or from a private group without
    the author's consent leave the digest (rule 11 and the author's say)."""
    page.quotes.filter(
        Q(post__isnull=True)
        | ~Q(post__status=Post.Status.VISIBLE)
        | Q(author__quote_opt_out__isnull=False)
        | Q(needs_consent=True, consent_at__isnull=True)
    ).delete()


def _credit(*, page: Page, giver: Member | None, receiver: Member) -> None:
    if giver is None or giver.pk == receiver.pk:
        return
    credited = Give.objects.filter(
        kind=Give.Kind.CREDIT, receiver=receiver, subject_type=ContentType.objects.get_for_model(page), subject_id=page.pk
    )
    if credited.exists():
        return  # credited once per page, however often it is republished
    record_give(giver=giver, receiver=receiver, kind=Give.Kind.CREDIT, subject=page)


def _open_discussion(page: CommunityPage, author: Member) -> None:
    group = Group.objects.filter(name=DISCUSSION_GROUP).first()
    if group is None:
        group = forums.create_group(
            actor=author,
            name=DISCUSSION_GROUP,
            description="Talk about what the community publishes: every article, digest and guest post has a thread here.",
            visibility=Group.Visibility.PUBLIC,
        )
    if not forum_selectors.is_active_member(author, group):
        forums.join_group(member=author, group=group)
    summary = page.summary or page.title
    thread = forums.start_thread(
        author=author,
        group=group,
        title=f"Discuss: {page.title}"[:160],
        body=f"{summary}\n\nRead it here: [{page.title}]({page.url}). What did you take from it?",
    )
    type(page).objects.filter(pk=page.pk).update(discussion=thread)
    page.discussion = thread


# Digests -----------------------------------------------------------------------------------------


@transaction.atomic
def add_to_digest(*, manager: Member, post: Post) -> DigestSelection:
    """A manager picks a post for the next digest."""
    check_curate_permission(manager)
    post = forum_selectors.access_post(manager, post.pk)
    if not post.is_visible:
        raise ContentError("Only a visible post can be quoted.")
    if QuoteOptOut.objects.filter(member=post.author_id).exists():
        raise ContentError(f"{post.author.name} has asked not to be quoted in digests.")
    try:
        with transaction.atomic():
            return DigestSelection.objects.create(manager=manager, post=post)
    except IntegrityError:
        raise ContentError("This post is already in your selection.", status=409) from None


@transaction.atomic
def remove_from_selection(*, manager: Member, post_id: int) -> None:
    DigestSelection.objects.filter(manager=manager, post_id=post_id).delete()


def _free_slug(parent, title: str) -> str:
    """An address people can read and share: the title's words, numbered only when a sibling has them."""
    return find_available_slug(parent, slugify(title)[:60].strip("-") or "page")


@transaction.atomic
def start_digest(*, manager: Member, title: str, posts: list[Post] | None = None) -> DigestPage:
    """Turn the selection (or `posts`) into a draft digest the manager finishes in /cms/. Quotes from
    private groups wait for their author's consent, which is asked for now. All or nothing: a
    failure half-way leaves no draft and the selection as it was."""
    check_curate_permission(manager)
    title = (title or "").strip()
    if not 5 <= len(title) <= 120:
        raise ContentError("A digest's title is 5 to 120 characters.", field="title")
    if posts is None:
        posts = [
            s.post
            for s in DigestSelection.objects.filter(manager=manager).select_related(
                "post__thread__group", "post__author"
            )
        ]
    opted_out = set(
        QuoteOptOut.objects.filter(member__in=[post.author_id for post in posts]).values_list("member_id", flat=True)
    )
    posts = [post for post in posts if post.is_visible and post.author_id not in opted_out]
    if not posts:
        raise ContentError("Pick at least one post with “Add to digest” first.")
    index = DigestIndexPage.objects.get()
    quotes = [
        DigestQuote(
            post=post,
            author=post.author,
            html=post.html,
            source_title=post.thread.title,
            source_url=post.get_absolute_url(),
            needs_consent=post.thread.group.visibility == Group.Visibility.PRIVATE,
            sort_order=order,
        )
        for order, post in enumerate(posts)
    ]
    digest = DigestPage(title=title, slug=_free_slug(index, title), live=False, owner=manager, quotes=quotes)
    index.add_child(instance=digest)
    digest.save_revision(user=manager)
    for quote in digest.quotes.filter(needs_consent=True).select_related("author"):
        notify(
            recipient=quote.author,
            actor=manager,
            text=f"{manager.name} would like to quote your post from a private group in a digest. May they?",
            url=reverse("content:consent", args=[quote.pk]),
            kind=Notification.Kind.CONTENT,
            mail_kind=MailKind.REQUESTS,
        )
    DigestSelection.objects.filter(manager=manager).delete()
    return digest


@transaction.atomic
def consent_to_quote(*, member: Member, quote_id: int, consent: bool) -> DigestQuote:
    quote = DigestQuote.objects.select_for_update().filter(pk=quote_id).first()
    if quote is None or quote.author_id != member.pk:
        raise PermissionDenied("Only the author of the post decides whether it is quoted.")
    if consent:
        quote.consent_at = timezone.now()
        quote.save(update_fields=["consent_at"])
    else:
        quote.delete()
    return quote


@transaction.atomic
def set_quoting(*, member: Member, allow: bool) -> None:
    """A member opts out of (or back into) being quoted in digests."""
    if allow:
        QuoteOptOut.objects.filter(member=member).delete()
    else:
        QuoteOptOut.objects.get_or_create(member=member)


# Guest posts -------------------------------------------------------------------------------------


@transaction.atomic
def submit_guest_post(
    *, member: Member, title: str, summary: str, body: str, bio: str, website: str = "", linkedin: str = ""
) -> GuestPostPage:
    """A member's guest post enters the editorial workflow; a manager reviews and publishes it."""
    forum_selectors.check_not_suspended(member)
    fields = {"title": (title or "").strip(), "body": (body or "").strip(), "bio": (bio or "").strip()}
    if not 5 <= len(fields["title"]) <= 120:
        raise ContentError("A title is 5 to 120 characters.", field="title")
    if len(fields["body"].split()) < 50:
        raise ContentError("A guest post has at least 50 words.", field="body")
    if not fields["bio"]:
        raise ContentError("Tell readers who you are: your biography is shown with the post.", field="bio")
    waiting = GuestPostPage.objects.filter(author=member, live=False).count()
    if waiting >= GUEST_POSTS_WAITING_MAX:
        raise ContentError(f"You have {waiting} guest posts waiting for review; wait for an answer first.", status=429)
    index = GuestPostIndexPage.objects.get()
    page = GuestPostPage(
        title=fields["title"],
        slug=_free_slug(index, fields["title"]),
        summary=(summary or "").strip()[:300],
        body=fields["body"],
        author=member,
        author_bio=fields["bio"][:1000],
        author_website=website,
        author_linkedin=linkedin,
        live=False,
        owner=member,
    )
    page.full_clean(exclude=["path", "depth", "url_path"])
    index.add_child(instance=page)
    page.save_revision(user=member)
    page.get_workflow().start(page, member)
    return page


# Shares ------------------------------------------------------------------------------------------


@transaction.atomic
def share(*, member: Member, page: Page) -> Share:
    """Share a live page: once per member, a `share` give to each of its authors."""
    page = page.specific
    if not isinstance(page, CommunityPage) or not page.live:
        raise ContentError("Only published articles, digests and guest posts can be shared.")
    try:
        with transaction.atomic():
            shared = Share.objects.create(page=page, member=member)
    except IntegrityError:
        raise ContentError("You have shared this already; here is the link again.", status=409) from None
    type(page).objects.filter(pk=page.pk).update(share_count=F("share_count") + 1)
    for author in {m.pk: m for m in page.credited_members()}.values():
        if author.pk != member.pk:
            record_give(giver=member, receiver=author, kind=Give.Kind.SHARE, subject=shared)
    return shared


# Running totals ----------------------------------------------------------------------------------


@transaction.atomic
def synchronize_content() -> None:
    """Rebuild each page's share count from its shares (`share` keeps it with F() as members share;
    this puts it right after an import, a manual fix in the database or a bug), one UPDATE per page type."""
    shares = Share.objects.filter(page=OuterRef("pk")).order_by().values("page").annotate(n=Count("pk")).values("n")
    for page_type in apps.get_app_config("content").get_models():
        if issubclass(page_type, CommunityPage):  # articles, digests, guest posts
            page_type.objects.update(share_count=Coalesce(Subquery(shares), 0))
