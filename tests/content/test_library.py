"""The resource library: each resource shown to its audience; uploads are type-checked."""

import pytest

from tests.factories import MemberFactory, make_group

pytestmark = pytest.mark.django_db


def test_visibility_of_resources(client):
    from wagtail.models import Collection

    from content.models import Resource

    root = Collection.get_first_root_node()
    group = make_group(visibility="private", policy="invite")
    Resource.objects.create(
        title="Public guide", category="Guides", url="https://example.org/a", audience="public", collection=root
    )
    Resource.objects.create(
        title="Members guide", category="Guides", url="https://example.org/b", audience="members", collection=root
    )
    Resource.objects.create(
        title="Circle guide",
        category="Guides",
        url="https://example.org/c",
        audience="group",
        group=group,
        collection=root,
    )
    anonymous = client.get("/resources/").text
    assert "Public guide" in anonymous and "Members guide" not in anonymous
    client.force_login(MemberFactory())
    member = client.get("/resources/").text
    assert "Members guide" in member and "Circle guide" not in member


def test_uploads_are_type_checked():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document
    from wagtail.images.forms import get_image_form
    from wagtail.images.models import Image
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    page = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html")
    form = get_document_form(Document)({"title": "A page", "collection": root.pk}, {"file": page})
    assert not form.is_valid() and "file" in form.errors
    svg = SimpleUploadedFile("logo.svg", b"<svg onload=alert(1)></svg>", content_type="image/svg+xml")
    form = get_image_form(Image)({"title": "Logo", "collection": root.pk}, {"file": svg})
    assert not form.is_valid() and "file" in form.errors
