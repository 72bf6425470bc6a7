"""The page tree every Mutua site starts with: the home page and its four sections."""

from django.conf import settings
from django.db import transaction


@transaction.atomic
def ensure_site():
    """Create the home page (in place of Wagtail's welcome page) and its sections when missing;
    return the home page."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from .models import ArticleIndexPage, DigestIndexPage, GuestPostIndexPage, HomePage, ResourceLibraryPage

    # A flushed database (transactional tests) has lost even Wagtail's default locale.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        for page in root.get_children().filter(content_type__model="page", content_type__app_label="wagtailcore"):
            page.delete()  # Wagtail's own "Welcome" placeholder
        home = root.add_child(instance=HomePage(title="Mutua", slug="home", intro=""))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "localhost", "port": 80, "site_name": settings.WAGTAIL_SITE_NAME},
    )
    sections = [
        (ArticleIndexPage, "Articles", "articles", "Stories and how-tos from the community and its managers."),
        (DigestIndexPage, "Insight digests", "digests", "The best of what members said, quoted and credited."),
        (GuestPostIndexPage, "Guest posts", "guest-posts", "Members write for the community. Submit yours."),
        (ResourceLibraryPage, "Resource library", "resources", "Templates, guides and links, by category."),
    ]
    for model, title, slug, intro in sections:
        if not model.objects.exists():
            home.add_child(instance=model(title=title, slug=slug, intro=intro))
    return home
