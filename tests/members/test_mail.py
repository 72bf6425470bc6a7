"""E-mail notifications: each kind mailed as the member chose (immediately, daily, weekly, never),
the digest's contents and order, one-click unsubscribe, and nobody mailed who should not be."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forums import services as forum_services
from members import mailing, services
from members.models import Give, MailFrequency, MailKind, Member, Notification
from metrics.models import Visit
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of the block (the queued mail tasks run inline in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def nora(db):
    return MemberFactory(handle="nora", display_name="Nora Diaz")


@pytest.fixture
def ana(db):
    return MemberFactory(handle="ana", display_name="Ana Lima")


def prefer(member: Member, **choices) -> Member:
    services.set_mail_preferences(member=member, preferences=choices)
    member.refresh_from_db()
    return member


def give(giver, receiver, kind=Give.Kind.SHARE):
    # A share of the giver's own profile stands for any give in these tests.
    return services.record_give(giver=giver, receiver=receiver, kind=kind, subject=giver)


def mention(author, member, *, group=None):
    group = group or make_group(members=[author, member])
    thread = make_thread(group=group, author=author, title="Welcoming newcomers", body=f"What do you think, @{member.username}?")
    return thread


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


# Immediately


def test_a_mention_is_mailed_immediately_after_commit_with_text_html_and_one_click_unsubscribe(commit, nora, ana):
    with commit():
        mention(ana, nora)
        assert mail.outbox == []  # never inside the transaction
    [message] = [m for m in mail.outbox if m.to == [nora.email]]
    assert "Ana Lima mentioned you in “Welcoming newcomers”" in message.subject
    assert "Ana Lima mentioned you" in message.body and "/forums/" in message.body
    assert "Ana Lima mentioned you" in html_of(message)
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/mail/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/members/me/settings/" in message.body and "/members/me/settings/" in html_of(message)
    assert Notification.objects.get(recipient=nora, mail_kind=MailKind.REPLIES).mailed_at is not None


def test_a_give_is_mailed_immediately_only_when_the_member_wants_gives_immediately(commit, nora, ana):
    with commit():
        give(ana, nora)  # gives default to the daily digest
    assert mail.outbox == []
    prefer(nora, gives=MailFrequency.IMMEDIATELY)
    with commit():
        give(ana, nora, kind=Give.Kind.INTRODUCTION)
    [message] = mail.outbox
    assert message.to == [nora.email] and "Ana Lima" in message.subject


def test_never_mails_nothing_immediately_nor_in_a_digest(commit, nora, ana):
    prefer(nora, replies=MailFrequency.NEVER, gives=MailFrequency.NEVER)
    with commit():
        mention(ana, nora)
        give(ana, nora)
    assert [m for m in mail.outbox if m.to == [nora.email]] == []
    assert mailing.send_digests(now=timezone.now() + timedelta(hours=1)) == 0


def test_a_request_is_mailed_immediately_by_default(commit, nora, ana):
    with commit():
        services.request_connection(requester=ana, addressee=nora, note="We both run onboarding programmes.")
    [message] = mail.outbox
    assert message.to == [nora.email] and "asked to connect" in message.subject


def test_no_mail_to_an_unverified_address_or_a_deactivated_account(commit, ana):
    unverified = MemberFactory(handle="uma", verified=False)
    gone = MemberFactory(handle="gone")
    Member.objects.filter(pk=gone.pk).update(is_active=False)
    gone.refresh_from_db()
    group = make_group(members=[ana, unverified])
    with commit():
        mention(ana, unverified, group=group)
        services.notify(recipient=gone, actor=ana, text="Ana asked to connect", url="/requests/", mail_kind=MailKind.REQUESTS)
    assert mail.outbox == []
    for member in (unverified, gone):
        prefer(member, replies=MailFrequency.DAILY, requests=MailFrequency.DAILY)
    assert mailing.send_digests(now=timezone.now() + timedelta(hours=1)) == 0


def test_a_notification_read_before_the_task_runs_is_not_mailed(nora, ana):
    notification = services.notify(recipient=nora, actor=ana, text="Ana asked to connect", url="/requests/", mail_kind="requests")
    services.mark_notifications_read(member=nora)
    assert not mailing.send_immediately(notification_id=notification.pk)
    assert mail.outbox == []


def test_a_notification_is_never_mailed_twice(nora, ana):
    notification = services.notify(recipient=nora, actor=ana, text="Ana asked to connect", url="/requests/", mail_kind="requests")
    assert mailing.send_immediately(notification_id=notification.pk)
    assert not mailing.send_immediately(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_record_give_does_no_extra_work_for_the_mail(django_capture_on_commit_callbacks, nora, ana):
    """One attribute read decides: the same statements whatever the preference, and a callback
    queued only for a member who wants the kind immediately."""
    other = MemberFactory(handle="other")

    def statements(receiver):
        with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as queries:
            give(ana, receiver)
        return len(queries), len(callbacks)

    daily_queries, daily_callbacks = statements(nora)
    prefer(other, gives=MailFrequency.IMMEDIATELY)
    immediate_queries, immediate_callbacks = statements(other)
    assert daily_queries == immediate_queries
    assert immediate_callbacks == daily_callbacks + 1


# Digests


def at(day: datetime, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def monday():
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(days=7)  # next Monday


def test_the_daily_digest_lists_pay_it_back_then_replies_and_mentions_then_the_best_threads(commit, nora, ana, monday):
    prefer(nora, replies=MailFrequency.DAILY, requests=MailFrequency.DAILY)
    group = make_group(members=[ana, nora])
    busy = make_thread(group=group, author=ana, title="Ten ways to say thank you", body="Share yours.")
    for n in range(3):
        forum_services.reply(author=ana, thread=busy, body=f"Number {n}: a note by hand.")
    with commit():
        mention(ana, nora, group=group)
        services.recommend(author=ana, recipient=nora, text="Nora helped our whole team onboard forty new volunteers in a week.")
        services.request_connection(requester=ana, addressee=nora, note="We both run onboarding programmes.")
    assert mail.outbox == []  # all of it waits for the digest
    sent = mailing.send_digests(now=timezone.now() + timedelta(hours=1), frequencies=[MailFrequency.DAILY])
    assert sent == 1
    [digest] = mail.outbox
    assert digest.to == [nora.email] and "daily digest" in digest.subject
    body = digest.body
    order = [
        body.index("WAITING ON PAY IT BACK"),
        body.index("Ana Lima recommended you"),
        body.index("REPLIES AND MENTIONS"),
        body.index("mentioned you in “Welcoming newcomers”"),
        body.index("REQUESTS FOR YOU"),
        body.index("asked to connect"),
        body.index("THE BEST THREADS IN YOUR GROUPS"),
        body.index("“Ten ways to say thank you”"),
    ]
    assert order == sorted(order)
    html = html_of(digest)
    assert html.index("Waiting on Pay it back") < html.index("Replies and mentions") < html.index("The best threads")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Once a day: running the command again the same day sends nothing, and nothing is mailed twice.
    assert mailing.send_digests(now=timezone.now() + timedelta(hours=2), frequencies=[MailFrequency.DAILY]) == 0
    assert not Notification.objects.filter(recipient=nora, mail_kind__in=["replies", "requests"], mailed_at=None).exists()


def test_the_weekly_digest_goes_out_on_its_weekday_only_with_the_weekly_kinds(commit, nora, ana, monday, settings):
    settings.MAIL_DIGEST_HOUR, settings.MAIL_DIGEST_WEEKDAY = 7, 0
    prefer(nora, replies=MailFrequency.WEEKLY, requests=MailFrequency.DAILY)
    services.notify(recipient=nora, actor=ana, text="Ana mentioned you in “Budgets”", url="/forums/", mail_kind="replies")
    mailing.send_digests(now=at(monday - timedelta(days=1), 9), frequencies=[MailFrequency.DAILY])
    assert mail.outbox == []  # no daily news: nothing sent
    Member.objects.filter(pk=nora.pk).update(weekly_digest_at=at(monday - timedelta(days=7), 8))
    assert mailing.send_digests(now=at(monday - timedelta(days=1), 9), frequencies=[MailFrequency.WEEKLY]) == 0
    assert mailing.send_digests(now=at(monday, 8), frequencies=[MailFrequency.WEEKLY]) == 1
    [digest] = mail.outbox
    assert "weekly digest" in digest.subject and "mentioned you in “Budgets”" in digest.body


def test_the_digest_leaves_out_what_the_member_saw_on_the_site(nora, ana):
    prefer(nora, requests=MailFrequency.DAILY)
    services.notify(recipient=nora, actor=ana, text="Seen at sign-in", url="/requests/", mail_kind="requests")
    Member.objects.filter(pk=nora.pk).update(last_login=timezone.now() + timedelta(seconds=1))
    nora.refresh_from_db()
    later = timezone.now() + timedelta(seconds=2)
    Notification.objects.create(recipient=nora, actor=ana, text="Still news", url="/requests/", mail_kind="requests", created=later)
    digest = mailing.build_digest(nora, MailFrequency.DAILY, now=later + timedelta(hours=1))
    texts = [item.text for section in digest.sections for item in section.items]
    assert "Still news" in texts and "Seen at sign-in" not in texts
    # a visit the metrics app recorded on a later day counts too
    Visit.objects.create(member=nora, day=timezone.localdate(later))
    digest = mailing.build_digest(nora, MailFrequency.DAILY, now=later + timedelta(days=1, hours=1))
    assert digest.notification_ids == []


# Unsubscribing


def test_one_click_unsubscribe_works_without_signing_in_or_a_csrf_token(commit, nora, ana):
    with commit():
        mention(ana, nora)
    [message] = mail.outbox
    url = urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(url)
    assert page.status_code == 200 and b"Replies and mentions" in page.content
    nora.refresh_from_db()
    assert nora.mail_replies == MailFrequency.IMMEDIATELY  # a GET (a link scanner) changes nothing
    response = anonymous.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    nora.refresh_from_db()
    assert nora.mail_replies == MailFrequency.NEVER
    assert nora.mail_requests == MailFrequency.IMMEDIATELY  # only what the mail was about


def test_a_digests_unsubscribe_turns_off_every_kind_it_carried(nora):
    prefer(nora, replies=MailFrequency.DAILY, gives=MailFrequency.DAILY, credits=MailFrequency.WEEKLY)
    token = mailing.unsubscribe_token(nora, MailFrequency.DAILY)
    assert Client().post(f"/mail/unsubscribe/{token}/").status_code == 200
    nora.refresh_from_db()
    assert (nora.mail_replies, nora.mail_gives, nora.mail_credits) == ("never", "never", "weekly")


def test_a_forged_unsubscribe_token_is_refused(nora):
    token = mailing.unsubscribe_token(nora, "replies")
    assert Client().post(f"/mail/unsubscribe/{token[:-2]}xx/").status_code == 400
    nora.refresh_from_db()
    assert nora.mail_replies == MailFrequency.IMMEDIATELY


# Choosing


def test_the_settings_page_changes_the_preferences(client, nora):
    client.force_login(nora)
    page = client.get("/members/me/settings/")
    assert page.status_code == 200 and b"Replies and mentions" in page.content and b"/accounts/2fa/" in page.content
    choices = {"replies": "weekly", "gives": "never", "requests": "daily", "credits": "immediately", "outreach": "never"}
    assert client.post("/members/me/settings/", choices).status_code == 302
    nora.refresh_from_db()
    assert (nora.mail_replies, nora.mail_gives, nora.mail_requests, nora.mail_outreach) == ("weekly", "never", "daily", "never")
    assert client.post("/members/me/settings/", {**choices, "gives": "hourly"}).status_code == 400


def test_the_settings_page_is_for_members(client):
    assert client.get("/members/me/settings/").status_code == 302


def test_the_api_reads_and_changes_the_preferences(nora):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(nora)
    assert api.get("/api/v1/me/mail-preferences/").json() == {
        "replies": "immediately",
        "gives": "daily",
        "requests": "immediately",
        "credits": "immediately",
        "outreach": "daily",
    }
    response = api.patch("/api/v1/me/mail-preferences/", {"gives": "weekly"}, format="json")
    assert response.status_code == 200 and response.json()["gives"] == "weekly"
    refused = api.patch("/api/v1/me/mail-preferences/", {"gives": "hourly"}, format="json")
    assert refused.status_code == 400 and "gives" in refused.json()
    assert APIClient().get("/api/v1/me/mail-preferences/").status_code in (401, 403)


def test_plan_outreach_follows_its_own_preference(commit, nora):
    manager = MemberFactory(handle="mia")
    with commit():
        mailing.send_outreach(recipient=nora, actor=manager, text="Welcome! Introduce yourself in Newcomers", url="/forums/")
    assert mail.outbox == []  # outreach defaults to the daily digest
    prefer(nora, outreach=MailFrequency.IMMEDIATELY)
    with commit():
        mailing.send_outreach(recipient=nora, actor=manager, text="Our first meet-up is on Thursday", url="/forums/")
    [message] = mail.outbox
    assert "meet-up" in message.subject
    assert Notification.objects.filter(recipient=nora, mail_kind=MailKind.OUTREACH).count() == 2


def test_the_digest_command_is_scheduled_in_docker_compose():
    from pathlib import Path

    from django.conf import settings

    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    assert "manage.py send_mail_digests" in compose


def test_unverified_check_uses_the_accounts_own_address(nora):
    EmailAddress.objects.filter(user=nora).update(verified=False)
    assert not mailing.can_mail(nora)


def test_a_digest_the_mail_server_refused_is_tried_again_on_the_next_run(nora, ana, monkeypatch):
    prefer(nora, requests=MailFrequency.DAILY)
    services.notify(recipient=nora, actor=ana, text="Ana asked to connect", url="/requests/", mail_kind="requests")

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(mailing, "send_with_parts", refuse)
    assert mailing.send_digests(now=timezone.now() + timedelta(hours=1), frequencies=[MailFrequency.DAILY]) == 0
    assert Notification.objects.get(recipient=nora).mailed_at is None
    monkeypatch.undo()
    assert mailing.send_digests(now=timezone.now() + timedelta(hours=1), frequencies=[MailFrequency.DAILY]) == 1
    assert "Ana asked to connect" in mail.outbox[0].body


def test_the_digest_command_runs(nora, ana):
    from django.core.management import call_command

    prefer(nora, requests=MailFrequency.DAILY)
    Notification.objects.create(
        recipient=nora, actor=ana, text="Ana asked to connect", url="/requests/", mail_kind="requests",
        created=timezone.now() - timedelta(hours=2),
    )
    call_command("send_mail_digests")
    assert [m.to for m in mail.outbox] == [[nora.email]]
