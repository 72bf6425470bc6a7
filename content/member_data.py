"""Content's part of a member's archive and of deleting an account (registered with members'
`personal_data` in ContentConfig.ready)."""

from members.member_data import CHUNK
from members.models import Member
from members.personal_data import register_archive_part, register_eraser

from .models import GuestPostPage, QuoteOptOut, Share


def share_rows(member: Member):
    shares = Share.objects.filter(member=member).order_by("created", "pk")
    for row in shares.values("page__title", "created").iterator(chunk_size=CHUNK):
        yield {"page": row["page__title"], "created": row["created"]}


def guest_post_rows(member: Member):
    posts = GuestPostPage.objects.filter(author=member).order_by("first_published_at", "pk")
    for page in posts.iterator(chunk_size=CHUNK):
        yield {
            "title": page.title,
            "live": page.live,
            "url": page.url if page.live else None,
            "body": page.body,
            "author_bio": page.author_bio,
            "author_website": page.author_website,
            "author_linkedin": page.author_linkedin,
            "first_published_at": page.first_published_at,
        }


def preference_rows(member: Member):
    yield {"quote_in_digests": not QuoteOptOut.objects.filter(member=member).exists()}


def erase(*, member: Member) -> None:
    """A deleted member's guest posts stay (the community published them) without the biography and
    links copied from their profile; their shares stay, as gives to the pages' authors do."""
    GuestPostPage.objects.filter(author=member).update(author_bio="", author_website="", author_linkedin="")


def register() -> None:
    register_archive_part("shares", share_rows, description="The pages you shared.")
    register_archive_part("guest_posts", guest_post_rows, description="Your guest posts, with the biography shown.")
    register_archive_part("content_preferences", preference_rows, description="Whether digests may quote you.")
    register_eraser("content", erase)
