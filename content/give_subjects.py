"""Shares and credits, named for Pay it back and the notifications: which article, digest or guest
post, linked to it (see members.give_subjects)."""

from wagtail.models import Page

from members.give_subjects import About, register, subjects_by_id
from members.models import Give

from .models import Share

# What a reader calls each page type; the give's own content type says which one it is.
_PAGE_WORDS = {"articlepage": "article", "digestpage": "digest", "guestpostpage": "guest post"}


def _page_word(page: Page) -> str:
    return _PAGE_WORDS.get(page.content_type.model, "page")


def _pages(ids) -> dict[int, Page]:
    return Page.objects.select_related("content_type").in_bulk(ids)


def _credits(gives: list[Give]) -> dict[int, About]:
    pages = _pages({give.subject_id for give in gives})
    return {
        give.pk: About(text=f"credited you in the {_page_word(page)} “{page.title}”", url=page.get_url() or "")
        for give in gives
        if (page := pages.get(give.subject_id))
    }


def _shares(gives: list[Give]) -> dict[int, About]:
    shares = subjects_by_id(gives, Share.objects.select_related("page__content_type"))
    return {
        give.pk: About(
            text=f"shared your {_page_word(share.page)} “{share.page.title}”", url=share.page.get_url() or ""
        )
        for give in gives
        if (share := shares.get(give.subject_id))
    }


register(Give.Kind.CREDIT, _credits)
register(Give.Kind.SHARE, _shares)
