"""The curated site, as Wagtail pages: the home page, articles, insight digests built from forum
posts, guest posts and the resource library; plus the share and quote records around them.

Pages stay declarative (fields, panels, which page goes where); what happens when one is published
or shared lives in content.services."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from forums.models import Post, Thread

from .blocks import RICH_TEXT_FEATURES, ArticleBody


class HomePage(Page):
    headline = models.CharField(max_length=120, default="A community where giving comes back.")
    intro = models.TextField(max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.ArticleIndexPage", "content.DigestIndexPage", "content.GuestPostIndexPage",
                     "content.ResourceLibraryPage"]  # fmt: skip

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_sections

        return {**super().get_context(request, *args, **kwargs), **home_sections(request.user)}


class SectionPage(Page):
    """An index of one kind of content under the home page."""

    intro = models.TextField(max_length=400, blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from .selectors import section_children

        context = super().get_context(request, *args, **kwargs)
        return {**context, **section_children(self, request)}


class CommunityPage(Page):
    """Content that leads to conversation and can be shared."""

    summary = models.CharField(max_length=300, blank=True, help_text="One or two sentences for lists and previews.")
    discussion = models.ForeignKey(
        "forums.Thread", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    share_count = models.PositiveIntegerField(default=0, editable=False)

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def credited_members(self) -> list:
        """Who a share of this page is a give to: its authors."""
        return []

    def search_text(self) -> str:
        """The page's readable text, for the snippet under a search result."""
        return self.summary

    def with_content_json(self, content):
        # A revision is the editors' text: the shares members made and the discussion opened on first
        # publish belong to the page as it is now (read from its row: `self` may be the editor's stale
        # copy), so publishing a draft saved before them keeps them.
        page = super().with_content_json(content)
        current = type(self).objects.filter(pk=self.pk).values("share_count", "discussion_id").first()
        if current is not None:
            page.share_count, page.discussion_id = current["share_count"], current["discussion_id"]
        return page

    def get_context(self, request, *args, **kwargs):
        # The section for the breadcrumb, read once; the discussion with its group, for its address.
        context = super().get_context(request, *args, **kwargs)
        discussion = Thread.objects.select_related("group").filter(pk=self.discussion_id).first()
        return {**context, "section": self.get_parent(), "discussion": discussion, "credited": self.credited_members()}


class ArticleIndexPage(SectionPage):
    template = "content/section_page.html"
    subpage_types = ["content.ArticlePage"]


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("content.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(CommunityPage):
    kind_label = "Article"  # how lists and search results name it
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt = models.CharField("hero image description", max_length=200, blank=True)
    body = StreamField(ArticleBody())
    authors = ParentalManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="articles")
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    featured = models.BooleanField(default=False, help_text="Show it first on the home page.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading="Hero image"),
        FieldPanel("body"),
        FieldPanel("authors"),
        FieldPanel("tags"),
        FieldPanel("featured"),
    ]
    search_fields = [*CommunityPage.search_fields, index.SearchField("body")]
    parent_page_types = ["content.ArticleIndexPage"]

    class Meta:
        indexes = [models.Index(fields=["featured"], condition=models.Q(featured=True), name="article_featured_idx")]

    def credited_members(self) -> list:
        return list(self.authors.all())

    def search_text(self) -> str:
        from community.text_search import plain_text

        parts = [self.summary]
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(plain_text(block.value.source))
            elif block.block_type == "quote":
                parts.append(block.value["quote"])
        return " ".join(parts)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        return {**context, "authors": context["credited"], "tags": list(self.tags.all())}


class DigestIndexPage(SectionPage):
    template = "content/section_page.html"
    subpage_types = ["content.DigestPage"]


class DigestPage(CommunityPage):
    """Insights from member discussions, each quote attributed and linked back (rule 11)."""
    kind_label = "Insight digest"  # how lists and search results name it

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        HelpPanel(
            "Quotes come from the forums: managers use “Add to digest” on a post. Each quoted member is "
            "credited and notified when the digest is published; hidden or deleted posts drop out."
        ),
        InlinePanel("quotes", heading="Quotes", label="Quote"),
    ]
    search_fields = [*CommunityPage.search_fields, index.SearchField("intro")]
    parent_page_types = ["content.DigestIndexPage"]

    def credited_members(self) -> list:
        return [quote.author for quote in self.quotes.select_related("author") if quote.author_id]

    def search_text(self) -> str:
        from community.text_search import plain_text

        return " ".join([self.summary, plain_text(self.intro)])

    def get_context(self, request, *args, **kwargs):
        # A quote shows while its post does, and a private group's post only with its author's consent.
        quotes = self.quotes.select_related("author", "post").filter(post__status=Post.Status.VISIBLE)
        shown = [quote for quote in quotes if quote.may_show]
        return {**super().get_context(request, *args, **kwargs), "quotes": shown}


class DigestQuote(Orderable):
    page = ParentalKey(DigestPage, on_delete=models.CASCADE, related_name="quotes")
    post = models.ForeignKey("forums.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    html = models.TextField(blank=True)  # the post's sanitised HTML when it was quoted
    source_title = models.CharField(max_length=160, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    commentary = models.TextField(max_length=600, blank=True, help_text="What this insight tells the reader.")
    # A post from a private group is quoted only once its author agrees.
    needs_consent = models.BooleanField(default=False)
    consent_at = models.DateTimeField(null=True, blank=True)

    panels = [FieldPanel("post", read_only=True), FieldPanel("commentary")]

    @property
    def may_show(self) -> bool:
        return not self.needs_consent or self.consent_at is not None


class GuestPostIndexPage(SectionPage):
    template = "content/section_page.html"
    accepts_submissions = True  # members submit guest posts from the site
    subpage_types = ["content.GuestPostPage"]


class GuestPostPage(CommunityPage):
    """A member's guest post: their biography and links shown prominently (rule 11)."""
    kind_label = "Guest post"  # how lists and search results name it

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="guest_posts"
    )
    body = models.TextField(max_length=20000, help_text="Markdown, sanitised when shown.")
    author_bio = models.TextField(max_length=1000)
    author_website = models.URLField(blank=True)
    author_linkedin = models.URLField("author's LinkedIn", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("author", read_only=True),
                FieldPanel("author_bio"),
                FieldPanel("author_website"),
                FieldPanel("author_linkedin"),
            ],
            heading="About the author",
        ),  # fmt: skip
    ]
    search_fields = [*CommunityPage.search_fields, index.SearchField("body")]
    parent_page_types = ["content.GuestPostIndexPage"]

    def credited_members(self) -> list:
        return [self.author] if self.author_id else []

    def search_text(self) -> str:
        from community.text_search import plain_text

        return " ".join([self.summary, plain_text(self.body_html)])

    @property
    def body_html(self) -> str:
        from forums.markup import render

        return render(self.body).html


class ResourceLibraryPage(SectionPage):
    subpage_types: list[str] = []
    template = "content/resource_library_page.html"

    def get_context(self, request, *args, **kwargs):
        from .selectors import resource_library

        context = super(SectionPage, self).get_context(request, *args, **kwargs)
        return {**context, **resource_library(request)}


class Resource(index.Indexed, models.Model):
    """A document or link in the library, for everyone, for members, or for one group."""

    class Audience(models.TextChoices):
        PUBLIC = "public", "everyone"
        MEMBERS = "members", "members"
        GROUP = "group", "one group"

    title = models.CharField(max_length=160)
    description = models.TextField(max_length=1000, blank=True)
    category = models.CharField(max_length=60)
    collection = models.ForeignKey("wagtailcore.Collection", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.MEMBERS)
    group = models.ForeignKey("forums.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    panels = [
        FieldPanel("title"), FieldPanel("description"), FieldPanel("category"), FieldPanel("collection"),
        FieldPanel("document"), FieldPanel("url"), FieldPanel("audience"), FieldPanel("group"),
    ]  # fmt: skip
    search_fields = [index.SearchField("title"), index.SearchField("description"), index.FilterField("category")]

    class Meta:
        ordering = ["category", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(document__isnull=False) & models.Q(url="")) | (models.Q(document__isnull=True) & ~models.Q(url="")),
                name="resource_document_or_link",
            ),
            models.CheckConstraint(
                condition=models.Q(audience="group", group__isnull=False) | (~models.Q(audience="group") & models.Q(group__isnull=True)),
                name="resource_group_when_audience_group",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        return self.document.url if self.document_id else self.url


class Share(models.Model):
    """A member shared a page: once per member and page, a give to its authors."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["page", "member"], name="share_once")]


class QuoteOptOut(models.Model):
    """A member who would rather not be quoted in digests."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quote_opt_out")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["member_id"]


class DigestSelection(models.Model):
    """Posts a manager has picked with “Add to digest”, waiting to become a digest."""

    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("forums.Post", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [models.UniqueConstraint(fields=["manager", "post"], name="digest_selection_once")]
