"""Members learns what the apps above it know (what waits on Pay it back, a member's activity, the
last visit, a digest's best threads) only through the hooks those apps fill in their ready(): with
none registered, members stands alone and shows its own part."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forums import selectors as forum_selectors
from members import activity, mailing, services, waiting
from members.models import MailFrequency, Member
from metrics import selectors as metrics_selectors
from metrics.models import Visit
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_alone(monkeypatch):
    """The hooks as they are when no app above members is installed."""
    monkeypatch.setattr(waiting, "_sources", [])
    monkeypatch.setattr(activity, "_sources", [])
    monkeypatch.setattr(mailing, "_seen_sources", [])
    monkeypatch.setattr(mailing, "_digest_sources", [])


def test_forums_and_metrics_fill_the_hooks_in_their_ready():
    assert forum_selectors.pay_it_back_sections in waiting._sources
    assert forum_selectors.forum_activity_of in activity._sources
    assert forum_selectors.best_threads_for_digest in mailing._digest_sources
    assert metrics_selectors.last_visit_day in mailing._seen_sources


def test_registering_a_source_again_keeps_it_once(monkeypatch):
    monkeypatch.setattr(waiting, "_sources", [])
    waiting.register_waiting_source(forum_selectors.pay_it_back_sections)
    waiting.register_waiting_source(forum_selectors.pay_it_back_sections)
    assert waiting._sources == [forum_selectors.pay_it_back_sections]


def test_members_alone_counts_its_own_activity_and_sees_nothing_else_waiting(members_alone):
    ana, ben = MemberFactory(), MemberFactory()
    make_thread(group=make_group(members=[ana, ben]), author=ana, kind="question", title="Who runs the Monday call?")
    services.request_connection(requester=ana, addressee=ben, note="We both run onboarding programmes.")
    assert activity.activity_of(ana) == activity.Activity(asks=1)  # the connection, not the forum question
    assert waiting.waiting_for(ana) == []


def test_members_alone_mails_a_digest_without_the_forums_threads_and_by_sign_in_only(members_alone):
    nora, ana = MemberFactory(), MemberFactory()
    Member.objects.filter(pk=nora.pk).update(mail_requests=MailFrequency.DAILY)
    nora.refresh_from_db()
    busy = make_thread(group=make_group(members=[ana, nora]), author=ana, title="Ten ways to say thank you")
    services.notify(recipient=nora, actor=ana, text="Ana asked to connect", url="/requests/", mail_kind="requests")
    Visit.objects.create(member=nora, day=timezone.localdate() + timedelta(days=1))  # metrics is not listening
    digest = mailing.build_digest(nora, MailFrequency.DAILY, now=timezone.now() + timedelta(hours=1))
    assert mailing.last_seen(nora) is None
    assert digest.has_news
    assert busy.title not in [item.text for section in digest.sections for item in section.items]
    assert [section.title for section in digest.sections] == ["Requests for you"]
