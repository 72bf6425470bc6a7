"""A member's data out, and leaving: the archive holds every kind of their data and nothing of anyone
else's private data; its link is signed, theirs only and expires; deactivation holds at every door
and can be undone; deletion erases what is personal and keeps the conversation and every count."""

import io
import json
import re
import zipfile

import pytest
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.roles import Role
from forums import services as forum_services
from forums.models import Group, GroupMembership, Participant, PollOption, Post, Thread, ThreadRead
from forums.services.posting import PollSpec
from members import exports, services
from members.models import AuditEntry, Connection, DataExport, Follow, Give, Member, Notification
from members.personal_data import archive_parts
from tests.factories import PASSWORD, MemberFactory, SkillFactory, make_group

BEN_SECRET_NOTE = "Ben's private note to Cara"


def png_upload() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(out, format="PNG")
    return SimpleUploadedFile("face.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def community(db, django_capture_on_commit_callbacks):
    """Ana with one of everything, Ben and Cara around her (and between themselves, private things
    Ana must never see)."""
    ana = MemberFactory(handle="ana", display_name="Ana Costa", email="ana@example.org")
    ben = MemberFactory(handle="ben", display_name="Ben Okoro", email="ben@example.org")
    cara = MemberFactory(handle="cara", display_name="Cara Lind", email="cara@example.org")
    facilitation, writing = SkillFactory(name="Facilitation"), SkillFactory(name="Writing")
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_profile(
            member=ana,
            fields={"headline": "Community builder", "bio": "I host newcomers.", "organisation": "Costa & Co"},
            skills=[facilitation],
            interests=["Mentoring"],
            avatar=png_upload(),
        )
        services.edit_profile(member=ben, fields={}, skills=[writing])
    group = make_group(members=[ana, ben, cara])
    # Ana's thread with a poll; Ben replies in it; Ana replies in Ben's thread; reactions both ways.
    ana_thread = forum_services.start_thread(
        author=ana, group=group, title="Welcoming newcomers", body="What works for you?",
        poll=PollSpec(question="Best first step?", options=["A call", "A post"]),
    )  # fmt: skip
    ben_reply = forum_services.reply(author=ben, thread=ana_thread, body="I answer every first post within a day.")
    ben_thread = forum_services.start_thread(author=ben, group=group, title="Writing tips", body="Short sentences.")
    ana_reply = forum_services.reply(author=ana, thread=ben_thread, body="Read it aloud before posting, @cara too.")
    forum_services.react(member=ana, post=ben_reply, kind="helpful")
    forum_services.react(member=ben, post=ana_reply, kind="like")
    forum_services.vote(member=ana, poll=ana_thread.poll, option_ids=[ana_thread.poll.options.first().pk])
    forum_services.mark_read(member=ana, thread=ben_thread, number=2)
    services.endorse(endorser=ana, endorsee=ben, skill=writing)
    services.endorse(endorser=ben, endorsee=ana, skill=facilitation)
    services.recommend(
        author=ana, recipient=ben,
        text="Ben rewrote our onboarding guide and every newcomer since has found their feet faster.",
    )  # fmt: skip
    services.request_connection(requester=ana, addressee=cara, note="We both host newcomers; shall we compare notes?")
    services.introduce(
        introducer=cara, first=ana, second=ben, note="You both care about first posts: talk about your guides."
    )  # fmt: skip
    services.follow(follower=ana, followed=ben)
    services.follow(follower=cara, followed=ana)
    # Private between Ben and Cara.
    services.request_connection(requester=ben, addressee=cara, note=BEN_SECRET_NOTE)
    Token.objects.create(user=ana)
    return {"ana": ana, "ben": ben, "cara": cara, "group": group, "ana_thread": ana_thread, "ben_thread": ben_thread,
            "ben_reply": ben_reply, "ana_reply": ana_reply}  # fmt: skip


def linked_export_ids(text: str) -> list[int | None]:
    """The exports the signed links in `text` name (a link is signed with the second it was made)."""
    return [exports.export_from_token(token) for token in re.findall(r"/members/me/data/([^/\s\"]+)/", text)]


def read_archive(export: DataExport) -> dict[str, object]:
    with default_storage.open(export.file_name, "rb") as file, zipfile.ZipFile(file) as archive:
        return {
            name: json.loads(archive.read(name)) if name.endswith(".json") else archive.read(name)
            for name in archive.namelist()
        }


def built_export(member, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_data_export(member=member)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    return export


# The archive


EVERY_KIND = {
    "profile", "skills", "posts", "threads", "reactions", "gives_given", "gives_received", "endorsements",
    "recommendations", "connections", "introductions", "notifications", "follows", "group_memberships",
    "poll_votes", "shares", "guest_posts", "content_preferences", "report_subscriptions",
}  # fmt: skip


def test_the_archive_holds_every_kind_of_the_members_data(community, django_capture_on_commit_callbacks, mailoutbox):
    export = built_export(community["ana"], django_capture_on_commit_callbacks)
    archive = read_archive(export)

    assert {name.removesuffix(".json") for name in archive if name.endswith(".json")} == EVERY_KIND
    assert {part.kind for part in archive_parts()} == EVERY_KIND
    assert "avatar.webp" in archive and archive["avatar.webp"][:4] == b"RIFF"
    assert "README.txt" in archive
    profile = archive["profile.json"][0]
    assert profile["email"] == "ana@example.org" and profile["headline"] == "Community builder"
    assert profile["interests"] == ["Mentoring"]
    # One of each, at least, where Ana has one.
    for kind in EVERY_KIND - {"shares", "guest_posts", "report_subscriptions"}:
        assert archive[f"{kind}.json"], kind
    assert [post["body"] for post in archive["posts.json"]] == [
        "What works for you?", "Read it aloud before posting, @cara too."
    ]  # fmt: skip
    assert {give["kind"] for give in archive["gives_received.json"]} >= {"reply", "reaction", "endorsement"}
    assert {e["direction"] for e in archive["endorsements.json"]} == {"given", "received"}
    assert archive["follows.json"][0]["with"] == {"handle": "ben", "name": "Ben Okoro"}
    # And it is mailed, with the link.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana@example.org"]
    assert linked_export_ids(mailoutbox[0].body) == [export.pk]


def test_the_archive_holds_nothing_of_anyone_elses_private_data(community, django_capture_on_commit_callbacks):
    export = built_export(community["ana"], django_capture_on_commit_callbacks)
    with default_storage.open(export.file_name, "rb") as file, zipfile.ZipFile(file) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".json")).decode()
    assert "ben@example.org" not in everything and "cara@example.org" not in everything
    assert BEN_SECRET_NOTE not in everything
    assert "weight" not in everything and "flags" not in everything  # the ledger's scores
    assert "owed_count" in everything  # her own figure, only once: the profile
    assert everything.count("owed_count") == 1


def test_the_archive_is_not_under_public_media(community, client, django_capture_on_commit_callbacks):
    export = built_export(community["ana"], django_capture_on_commit_callbacks)
    assert export.file_name.startswith("exports/members/")
    client.force_login(community["ana"])
    assert client.get(f"/media/{export.file_name}").status_code == 404


# The link


def test_the_link_serves_the_archive_to_its_owner_only(community, client, django_capture_on_commit_callbacks):
    export = built_export(community["ana"], django_capture_on_commit_callbacks)
    link = exports.download_path(export)

    assert client.get(link).status_code == 302  # a visitor signs in first
    client.force_login(community["ben"])
    assert client.get(link).status_code == 404
    client.force_login(community["ana"])
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip() is None


def test_the_link_expires_and_cannot_be_forged(community, client, settings, django_capture_on_commit_callbacks):
    export = built_export(community["ana"], django_capture_on_commit_callbacks)
    client.force_login(community["ana"])
    link = exports.download_path(export)
    assert client.get(link).status_code == 200
    settings.DATA_EXPORT_LINK_MAX_AGE = -1  # every link is older than that
    assert client.get(link).status_code == 404
    settings.DATA_EXPORT_LINK_MAX_AGE = 3600
    assert client.get(link[:-3] + "xyz/").status_code == 404
    assert client.get(f"/members/me/data/{export.pk}/").status_code == 404


def test_a_new_archive_replaces_the_old_one_and_expired_ones_are_purged(
    community, settings, django_capture_on_commit_callbacks
):
    first = built_export(community["ana"], django_capture_on_commit_callbacks)
    second = built_export(community["ana"], django_capture_on_commit_callbacks)
    assert not DataExport.objects.filter(pk=first.pk).exists() and not default_storage.exists(first.file_name)
    settings.DATA_EXPORT_LINK_MAX_AGE = -1
    assert exports.purge_expired() == 1
    assert not default_storage.exists(second.file_name)


def test_the_account_page_asks_for_the_archive_and_offers_the_link(community, client, django_capture_on_commit_callbacks):
    client.force_login(community["ana"])
    assert client.get("/members/me/account/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/members/me/data/", follow=True)
    assert "We are preparing your archive" in response.content.decode()
    page = client.get("/members/me/account/").content.decode()
    assert linked_export_ids(page) == [DataExport.objects.get().pk]


def test_one_archive_is_prepared_at_a_time(community):
    services.request_data_export(member=community["ana"])  # not committed: still pending
    with pytest.raises(services.leaving.LeavingError) as refused:
        services.request_data_export(member=community["ana"])
    assert refused.value.status == 409


def test_the_archive_is_streamed_to_storage_from_a_temporary_file(community, monkeypatch, django_capture_on_commit_callbacks):
    """What an S3 backend gets: `save` with a file object (never bytes in memory)."""
    saved = []
    original = default_storage.save

    def spy(name, content, **kwargs):
        saved.append(type(content.file).__name__)
        return original(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", spy)
    built_export(community["ana"], django_capture_on_commit_callbacks)
    assert saved and saved[0] in {"_TemporaryFileWrapper", "BufferedRandom"}


# The owner's export


def test_export_community_writes_every_table_but_no_secrets(community, tmp_path):
    call_command("export_community", str(tmp_path), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    files = {table["file"] for table in manifest["tables"]}
    assert {"members.member.csv", "forums.post.csv", "members.give.csv", "account.emailaddress.csv"} <= files
    members_csv = (tmp_path / "members.member.csv").read_text()
    assert "password" not in members_csv.splitlines()[0]
    assert "ana@example.org" in members_csv
    assert not any("session" in name or "token" in name for name in files)
    posts = next(table for table in manifest["tables"] if table["file"] == "forums.post.csv")
    assert posts["rows"] == Post.objects.count()
    assert "password hashes" in manifest["not_exported"]


def test_only_administrators_export_the_community(community, client, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(community["ana"])
    assert client.get("/members/export/").status_code == 403
    assert client.post("/members/export/").status_code == 403
    admin = MemberFactory(handle="root", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    assert "Not included" in client.get("/members/export/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/export/")
    export = DataExport.objects.get(scope=DataExport.Scope.COMMUNITY)
    assert export.status == DataExport.Status.READY
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DATA_EXPORTED, actor=admin).exists()
    with default_storage.open(export.file_name, "rb") as file:
        assert "members.member.csv" in zipfile.ZipFile(file).namelist()
    response = client.get(exports.download_path(export))
    assert response.status_code == 200
    client.force_login(community["ana"])
    assert client.get(exports.download_path(export)).status_code == 404


# Deactivation, at every door


def deactivated(member):
    services.deactivate_member(actor=member, member=member, password=PASSWORD)
    member.refresh_from_db()
    return member


def test_deactivation_needs_the_password(community):
    with pytest.raises(services.leaving.LeavingError):
        services.deactivate_member(actor=community["ana"], member=community["ana"], password="wrong")
    with pytest.raises(services.leaving.PermissionDenied):
        services.deactivate_member(actor=community["ben"], member=community["ana"])


def test_a_deactivated_member_is_hidden_and_signed_out_everywhere(community, client):
    ana, ben = community["ana"], community["ben"]
    ana_session = client
    ana_session.force_login(ana)
    key = Token.objects.get(user=ana).key
    response = ana_session.post("/members/me/deactivate/", {"deactivate-password": PASSWORD})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert not ana.is_active and ana.deactivated_at is not None
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MEMBER_DEACTIVATED, member=ana).exists()
    assert not Token.objects.filter(key=key).exists()
    assert not any(s.get_decoded().get("_auth_user_id") == str(ana.pk) for s in Session.objects.all())

    # Hidden from the directory, search and the profile door
    other = APIClient()
    other.force_login(ben)
    assert other.get("/members/ana/").status_code == 404
    assert "ana" not in [m["handle"] for m in other.get("/api/v1/members/").json()["results"]]
    assert other.get("/api/v1/members/ana/").status_code == 404
    assert "Ana Costa" not in other.get("/members/", {"q": "Ana"}).content.decode()
    # The old token no longer opens the API
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/").status_code in (401, 403)


def test_a_deactivated_member_signing_in_is_asked_to_come_back(community, client, mailoutbox):
    ana = deactivated(community["ana"])
    response = client.post("/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/members/me/come-back/"
    assert "_auth_user_id" not in client.session
    page = client.get("/members/me/come-back/")
    assert "You deactivated your account" in page.content.decode()

    response = client.post("/members/me/come-back/")
    assert response["Location"] == "/accounts/login/"
    ana.refresh_from_db()
    assert ana.is_active and ana.deactivated_at is None
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MEMBER_REACTIVATED, member=ana).exists()
    client.post("/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(ana.pk)


def test_the_come_back_page_needs_the_password_first(community, client):
    deactivated(community["ana"])
    assert client.get("/members/me/come-back/")["Location"] == "/accounts/login/"
    client.post("/members/me/come-back/")
    community["ana"].refresh_from_db()
    assert not community["ana"].is_active
    # A wrong password does not get there either
    client.post("/accounts/login/", {"login": "ana@example.org", "password": "not-hers"})
    assert client.get("/members/me/come-back/")["Location"] == "/accounts/login/"


def test_an_account_an_administrator_made_inactive_is_not_offered_to_come_back(community, client):
    Member.objects.filter(pk=community["ana"].pk).update(is_active=False)
    response = client.post("/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})
    assert response["Location"] == "/accounts/inactive/"


def test_the_token_door_refuses_a_deactivated_account_with_a_clear_message(community):
    deactivated(community["ana"])
    response = APIClient().post("/api/v1/auth/token/", {"username": "ana", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert "deactivated" in response.json()["detail"]


def test_the_api_deactivates_with_the_password(community):
    api = APIClient()
    api.force_authenticate(community["ana"])
    assert api.post("/api/v1/me/deactivate/", {"password": "wrong"}, format="json").status_code == 403
    assert api.post("/api/v1/me/deactivate/", {}, format="json").status_code == 400
    assert api.post("/api/v1/me/deactivate/", {"password": PASSWORD}, format="json").status_code == 204
    community["ana"].refresh_from_db()
    assert not community["ana"].is_active


# Deletion


COUNTERS = {
    Member: ["ledger_totals__gives_given", "ledger_totals__gives_received", "ledger_totals__owed_count"],
    Group: ["thread_count", "post_count", "member_count"],
    Thread: ["post_count"],
    Post: ["like_count", "helpful_count", "insightful_count"],
    PollOption: ["vote_count"],
    Participant: ["post_count", "reactions_received"],
}


def counters() -> dict:
    return {model: list(model.objects.order_by("pk").values_list("pk", *fields)) for model, fields in COUNTERS.items()}


def test_deleting_erases_the_personal_and_keeps_the_conversation_and_every_count(community):
    ana, ben, cara = community["ana"], community["ben"], community["cara"]
    avatar = ana.avatar.name
    ben.refresh_from_db()
    posts, threads, gives = Post.objects.count(), Thread.objects.count(), Give.objects.count()
    ben_gives = (ben.gives_given, ben.gives_received)
    assert Notification.objects.filter(actor=ana, recipient=ben).exists()

    services.delete_member(actor=ana, member=ana, password=PASSWORD)
    ana.refresh_from_db()

    # What stays: every post and thread (hers and the replies to her), every give, both sides.
    assert (Post.objects.count(), Thread.objects.count(), Give.objects.count()) == (posts, threads, gives)
    assert Post.objects.get(pk=community["ben_reply"].pk).thread_id == community["ana_thread"].pk
    assert Post.objects.get(pk=community["ana_reply"].pk).author_id == ana.pk
    ben.refresh_from_db()
    assert (ben.gives_given, ben.gives_received) == ben_gives
    # Every running total is what a rebuild finds.
    before = counters()
    assert services.synchronize_reciprocity() == 0
    forum_services.synchronize_forums()
    assert counters() == before

    # What is gone: the personal data, and the name.
    assert ana.name == "Former member" and ana.is_former and not ana.is_active
    assert ana.username == f"former-{ana.pk}" and ana.email.endswith(".invalid")
    assert not ana.has_usable_password()
    for field in ("display_name", "headline", "bio", "organisation"):
        assert getattr(ana, field) == ""
    assert not ana.avatar and not default_storage.exists(avatar)
    assert not ana.member_skills.exists() and not ana.interests.exists()
    assert not Notification.objects.filter(recipient=ana).exists()
    assert not Token.objects.filter(user=ana).exists()
    assert not Connection.objects.filter(requester=ana).exists()
    assert not Follow.objects.filter(follower=ana).exists() and not Follow.objects.filter(followed=ana).exists()
    assert not GroupMembership.objects.filter(member=ana).exists()
    assert not ThreadRead.objects.filter(member=ana).exists()
    assert not ana.emailaddress_set.exists()
    assert not Notification.objects.filter(text__contains="Ana Costa").exists()
    assert Notification.objects.filter(actor=ana, recipient=ben, text__startswith="A former member").exists()
    # Others' private things stay theirs
    assert Connection.objects.filter(requester=ben, addressee=cara, note=BEN_SECRET_NOTE).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MEMBER_DELETED)
    assert entry.member_id == ana.pk and "Ana" not in entry.target


def test_a_deleted_members_reply_reads_as_former_member(community, client):
    ana = community["ana"]
    services.delete_member(actor=ana, member=ana, password=PASSWORD)
    client.force_login(community["ben"])
    page = client.get(community["ben_thread"].get_absolute_url()).content.decode()
    assert "Read it aloud before posting" in page
    assert "Former member" in page and "Ana Costa" not in page
    assert "/members/ana/" not in page
    assert client.get("/members/former/").status_code == 200


def test_deleting_needs_the_password_and_the_handle(community, client):
    client.force_login(community["ana"])
    response = client.post("/members/me/delete/", {"delete-password": PASSWORD, "delete-handle": "ben"})
    assert response.status_code == 400
    response = client.post("/members/me/delete/", {"delete-password": "wrong", "delete-handle": "ana"})
    assert response.status_code == 400 and "not your password" in response.content.decode()
    assert not Member.objects.get(pk=community["ana"].pk).is_former
    response = client.post("/members/me/delete/", {"delete-password": PASSWORD, "delete-handle": "ana"})
    assert response.status_code == 302
    assert Member.objects.get(pk=community["ana"].pk).is_former
    assert "_auth_user_id" not in client.session


def test_the_api_deletes_with_the_password(community):
    api = APIClient()
    api.force_authenticate(community["ana"])
    assert api.post("/api/v1/me/delete/", {"password": "wrong"}, format="json").status_code == 403
    assert api.post("/api/v1/me/delete/", {"password": PASSWORD}, format="json").status_code == 204
    assert Member.objects.get(pk=community["ana"].pk).is_former


def test_the_api_requests_an_archive_and_reads_its_status(community, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(community["ana"])
    assert api.get("/api/v1/me/data-export/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/me/data-export/")
    assert response.status_code == 202
    status = api.get("/api/v1/me/data-export/").json()
    assert status["status"] == "ready" and "/members/me/data/" in status["download_url"]


def test_a_deleted_member_cannot_sign_in_at_any_door(community, client):
    ana = community["ana"]
    services.delete_member(actor=ana, member=ana, password=PASSWORD)
    client.post("/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = APIClient().post("/api/v1/auth/token/", {"username": "ana", "password": PASSWORD}, format="json")
    assert response.status_code == 400


def test_the_last_administrator_cannot_leave(db):
    root = MemberFactory(handle="root", role=Role.ADMINISTRATOR)
    with pytest.raises(services.leaving.LeavingError):
        services.delete_member(actor=root, member=root, password=PASSWORD)


def test_the_admin_deletes_through_the_service(community, client):
    admin = MemberFactory(handle="root", role=Role.ADMINISTRATOR)
    ana = community["ana"]
    client.force_login(admin)
    confirm = client.get(f"/admin/members/member/{ana.pk}/delete/")
    assert confirm.status_code == 200 and "Former member" in confirm.content.decode()
    posts = Post.objects.count()
    response = client.post(f"/admin/members/member/{ana.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.is_former and Post.objects.count() == posts
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MEMBER_DELETED)
    assert entry.actor == admin and entry.details == {"by": "an administrator"}
    # and the bulk action too
    response = client.post(
        "/admin/members/member/",
        {"action": "delete_selected", "_selected_action": [community["cara"].pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=community["cara"].pk).is_former


def test_a_member_cannot_take_a_former_members_handle(db):
    from django.core.exceptions import ValidationError

    from members.validators import not_reserved

    with pytest.raises(ValidationError):
        not_reserved("former-12")
    with pytest.raises(ValidationError):
        not_reserved("former")


def test_the_account_page_costs_a_handful_of_queries(community, client, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    client.force_login(community["ana"])
    built_export(community["ana"], django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(8):
        assert client.get("/members/me/account/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_deactivated_members_open_session_no_longer_opens_a_socket(channel_layer):
    from channels.testing import WebsocketCommunicator
    from django.conf import settings as django_settings

    from community.asgi import application
    from tests.realtime import ORIGIN, run, session_cookie

    ana = MemberFactory(handle="ana")
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={session_cookie(ana)}".encode()
    services.deactivate_member(actor=ana, member=ana, password=PASSWORD)
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGIN, (b"cookie", cookie)])

    async def scenario():
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    assert run(scenario) == (False, 4401)
