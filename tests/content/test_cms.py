"""Wagtail's admin as Mutua's editors meet it: no Gravatar, Mutua's avatars and names, a way back to
the site, and the content admin one click away for moderators (who draft) and managers (who publish)."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.admin.templatetags.wagtailadmin_tags import avatar_url
from wagtail.admin.utils import get_user_display_name

from community.roles import Role
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

# The smallest valid GIF.
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def test_gravatar_is_off_and_editors_get_their_initials():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    editor = MemberFactory(display_name="Maya <b>Lindqvist</b>", role=Role.MANAGER)
    url = avatar_url(editor, 50)
    assert url.startswith("data:image/svg+xml,") and "gravatar" not in url
    assert "%3EM%26lt%3B%3C" in url  # "M<": the initials, escaped inside the drawing


def test_an_editor_with_a_picture_gets_it(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    editor = MemberFactory(role=Role.MODERATOR)
    editor.avatar = SimpleUploadedFile("face.gif", GIF, content_type="image/gif")
    editor.save()
    assert avatar_url(editor, 50) == editor.avatar.url


def test_the_admin_names_people_by_name_not_handle():
    editor = MemberFactory(handle="maya", display_name="Maya Lindqvist", role=Role.MANAGER)
    assert get_user_display_name(editor) == "Maya Lindqvist"
    assert editor.first_name == "Maya"  # Wagtail's sidebar greets by first name
    editor.display_name = "Maja Lind"
    editor.save(update_fields=["display_name"])
    editor.refresh_from_db()
    assert editor.first_name == "Maja"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MODERATOR])
def test_editors_find_their_way_back_to_the_site(client, role):
    editor = MemberFactory(handle="ed", display_name="Eda Kaya", role=role)
    client.force_login(editor)
    page = client.get("/cms/").text
    assert "Back to Mutua" in page and '"name": "Eda"' in page and "gravatar" not in page
    assert ("Curation" in page) is (role == Role.MANAGER)  # managers curate, moderators draft


def test_the_site_menu_links_the_content_admin_for_moderators_and_managers_only(client):
    client.force_login(MemberFactory(role=Role.MODERATOR))
    assert "Content admin (drafts)" in client.get("/").text
    client.force_login(MemberFactory(role=Role.MANAGER))
    page = client.get("/").text
    assert 'href="/cms/">Content admin<' in page and "/content/curation/" in page
    client.force_login(MemberFactory())
    assert 'href="/cms/"' not in client.get("/").text
