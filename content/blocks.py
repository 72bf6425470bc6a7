"""What an article's body is made of. Member and thread embeds store a handle or an id and are
rendered live, so an embed never shows what its reader may not see."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from forums.models import Thread
from members.models import Member

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "blockquote", "hr"]


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "content/blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=200)
    alt_text = blocks.CharBlock(max_length=200, help_text="What the image shows, for people who cannot see it.")

    class Meta:
        icon = "image"
        template = "content/blocks/image.html"


class MemberBlock(blocks.StructBlock):
    handle = blocks.CharBlock(max_length=150, help_text="The member's handle, as in /members/<handle>/.")
    note = blocks.CharBlock(required=False, max_length=200, help_text="Why readers should meet them.")

    class Meta:
        icon = "user"
        template = "content/blocks/member.html"

    def clean(self, value):
        value = super().clean(value)
        if not Member.objects.filter(username=value["handle"], is_active=True).exists():
            raise blocks.StructBlockValidationError({"handle": ValidationError("No active member has this handle.")})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["member"] = Member.objects.filter(username=value["handle"], is_active=True).first()
        return context


class ThreadBlock(blocks.StructBlock):
    thread_id = blocks.IntegerBlock(min_value=1, help_text="The number in the thread's address.")

    class Meta:
        icon = "comment"
        template = "content/blocks/thread.html"

    def clean(self, value):
        value = super().clean(value)
        thread = Thread.objects.select_related("group").filter(pk=value["thread_id"]).first()
        if thread is None or thread.group.visibility == thread.group.Visibility.PRIVATE:
            raise blocks.StructBlockValidationError(
                {"thread_id": ValidationError("Embed a thread that exists and is not in a private group.")}
            )
        return value

    def get_context(self, value, parent_context=None):
        from forums.selectors import can_read_thread

        context = super().get_context(value, parent_context)
        thread = Thread.objects.select_related("group", "author").filter(pk=value["thread_id"]).first()
        request = (parent_context or {}).get("request")
        viewer = getattr(request, "user", None)
        readable = thread is not None and viewer is not None and can_read_thread(viewer, thread)
        context["thread"] = thread if readable else None
        return context


class ArticleBody(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    quote = QuoteBlock()
    image = ImageBlock()
    member = MemberBlock()
    thread = ThreadBlock()
