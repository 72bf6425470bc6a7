"""The library's files are served only to those the resource's audience allows: through the
document view, never from /media/, and the API lists only what the caller may open."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection

from community.roles import Role
from content.models import ArticleIndexPage, ArticlePage, Resource
from tests.factories import MemberFactory, make_group

pytestmark = pytest.mark.django_db


def _document(title: str, filename: str) -> Document:
    document = Document(title=title, collection=Collection.get_first_root_node())
    document.file.save(filename, ContentFile(f"{title}\n".encode()))
    document.save()
    return document


@pytest.fixture
def library():
    """A public, a members-only and a group-only file in the library, and one no resource owns."""
    insider = MemberFactory(handle="insider")
    group = make_group(visibility="private", policy="invite", members=[insider])
    root = Collection.get_first_root_node()
    files = {}
    for audience, in_group in (("public", None), ("members", None), ("group", group)):
        files[audience] = document = _document(f"{audience} file", f"{audience}-plan.txt")
        Resource.objects.create(
            title=f"The {audience} plan", category="Plans", document=document, audience=audience, group=in_group,
            collection=root,
        )  # fmt: skip
    files["loose"] = _document("loose file", "loose-notes.txt")
    return {"files": files, "insider": insider, "group": group}


VIEWERS = ["visitor", "outsider", "insider", "manager"]
# What each may open: a 200, a sign-in redirect (302), or not found (404).
EXPECTED = {
    "visitor": {"public": 200, "members": 302, "group": 404, "loose": 302},
    "outsider": {"public": 200, "members": 200, "group": 404, "loose": 200},
    "insider": {"public": 200, "members": 200, "group": 200, "loose": 200},
    "manager": {"public": 200, "members": 200, "group": 200, "loose": 200},
}


def _sign_in(client, viewer: str, library) -> None:
    member = {
        "visitor": None,
        "outsider": lambda: MemberFactory(),
        "insider": lambda: library["insider"],
        "manager": lambda: MemberFactory(role=Role.MANAGER),
    }[viewer]
    if member is not None:
        client.force_login(member())


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_document_is_served_to_those_its_resource_allows(client, library, viewer):
    _sign_in(client, viewer, library)
    for name, document in library["files"].items():
        response = client.get(document.url)
        assert response.status_code == EXPECTED[viewer][name], (name, document.url)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == f"{name} file\n".encode()
            # Who may open it is decided per reader: no shared cache may keep a copy for the next one.
            assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_media_never_serves_documents(client, library, viewer):
    _sign_in(client, viewer, library)
    for document in library["files"].values():
        assert client.get(f"/media/{document.file.name}").status_code == 404
        assert client.get(f"/media/avatars/../{document.file.name}").status_code == 404


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_library_page_links_only_what_the_viewer_may_open(client, library, viewer):
    _sign_in(client, viewer, library)
    page = client.get("/resources/").text
    for name in ("public", "members", "group"):
        shown = f"The {name} plan" in page
        assert shown == (EXPECTED[viewer][name] == 200), name
    searched = client.get("/resources/", {"q": "plan"}).text
    assert ("The group plan" in searched) == (EXPECTED[viewer]["group"] == 200)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_documents_api_lists_and_finds_only_what_the_caller_may_open(client, library, viewer):
    _sign_in(client, viewer, library)
    response = client.get("/api/v2/documents/")
    if viewer == "visitor":
        assert response.status_code in (401, 403)
        return
    listed = {item["id"] for item in response.json()["items"]}
    allowed = {document.pk for name, document in library["files"].items() if EXPECTED[viewer][name] == 200}
    assert listed == allowed
    group_file = library["files"]["group"]
    detail = client.get(f"/api/v2/documents/{group_file.pk}/")
    assert detail.status_code == (200 if group_file.pk in allowed else 404)


def test_a_file_linked_from_a_public_article_is_public_and_a_draft_link_is_not(client, library):
    loose = library["files"]["loose"]
    manager = MemberFactory(role=Role.MANAGER)
    page = ArticlePage(
        title="Notes from the retreat",
        body=[("paragraph", f'<p>Read <a linktype="document" id="{loose.pk}">the notes</a>.</p>')],
        owner=manager,
        live=False,
    )
    ArticleIndexPage.objects.get().add_child(instance=page)
    page.save_revision(user=manager)  # a draft links to it: still for members
    assert client.get(loose.url).status_code == 302
    page.get_latest_revision().publish(user=manager)
    assert client.get(loose.url).status_code == 200
    # A library file stays with its resource's audience wherever it is linked.
    group_file = library["files"]["group"]
    page.body = [("paragraph", f'<p><a linktype="document" id="{group_file.pk}">plan</a></p>')]
    page.save_revision(user=manager).publish(user=manager)
    assert client.get(group_file.url).status_code == 404


def test_avatars_and_article_images_are_still_served(client, settings, tmp_path):
    avatar = tmp_path / "media" / "avatars" / "ana.webp"
    avatar.parent.mkdir(parents=True)
    avatar.write_bytes(b"RIFF")
    assert client.get("/media/avatars/ana.webp").status_code == 200
    assert client.get("/media/avatars/missing.webp").status_code == 404


def test_a_page_behind_a_view_restriction_is_not_searched_nor_discussed_in_public(client):
    from wagtail.models import PageViewRestriction

    from forums.models import Thread

    manager = MemberFactory(role=Role.MANAGER)
    index = ArticleIndexPage.objects.get()
    for title, restricted in (("Quarterly zeppelin review", True), ("Open zeppelin notes", False)):
        page = ArticlePage(title=title, body=[("paragraph", "<p>Zeppelin figures.</p>")], owner=manager, live=False)
        index.add_child(instance=page)
        if restricted:
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        page.save_revision(user=manager).publish(user=manager)
    assert list(Thread.objects.values_list("title", flat=True)) == ["Discuss: Open zeppelin notes"]
    for viewer in (None, MemberFactory()):
        if viewer is not None:
            client.force_login(viewer)
        found = client.get("/search/", {"q": "zeppelin"}).text
        assert "Open zeppelin notes" in found and "Quarterly zeppelin review" not in found
