"""E-mail notifications: each notification kind (MailKind) mailed immediately, in a daily or weekly
digest, or never, as the member chose (the `mail_*` fields on Member).

- Immediate mails: `notify` and `record_give` call `mail_on_commit`, which queues
  `members.tasks.mail_notification` after the transaction commits (never in the request, and nothing
  queued for a member who does not want the kind immediately: one attribute read, no query).
- Digests: `send_digests` (the `send_mail_digests` command, every minute in docker-compose) mails
  what waits on Pay it back, then replies and mentions, then the other news of the period, then the
  best threads in the member's groups.
- Never mailed: an unverified address, a deactivated account (`is_active=False`), a notification
  already mailed, read, or older than the member's last time on the site (a sign-in or a visit the
  metrics app recorded on a later day).

Every mail has a text and an HTML part, `List-Unsubscribe` with one-click (RFC 8058), and a link to
the preferences. The apps above members tell it, from their `AppConfig.ready()`, when a member was
last seen (`register_seen_source`, metrics' visits) and what else a digest lists
(`register_digest_source`, forums' best threads), so this app never imports them.
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community.mail import send_with_parts

from .models import Give, MailFrequency, MailKind, Member, Notification
from .waiting import Waiting

logger = logging.getLogger(__name__)

PREFERENCE_FIELDS = {
    MailKind.REPLIES: "mail_replies",
    MailKind.GIVES: "mail_gives",
    MailKind.REQUESTS: "mail_requests",
    MailKind.CREDITS: "mail_credits",
    MailKind.OUTREACH: "mail_outreach",
}
DIGEST_FREQUENCIES = (MailFrequency.DAILY, MailFrequency.WEEKLY)
DIGEST_DAYS = {MailFrequency.DAILY: 1, MailFrequency.WEEKLY: 7}
UNSUBSCRIBE_SALT = "mutua.mail.unsubscribe"
DIGEST_ITEMS = 10  # per section


def mail_kind_of_give(kind: str) -> str:
    """The preference a give's notification falls under."""
    if kind == Give.Kind.REPLY:
        return MailKind.REPLIES
    if kind == Give.Kind.CREDIT:
        return MailKind.CREDITS
    return MailKind.GIVES


def preference(member: Member, kind: str) -> str:
    return getattr(member, PREFERENCE_FIELDS[kind])


_muted: ContextVar[bool] = ContextVar("mail_muted", default=False)


@contextmanager
def muted():
    """No immediate mail for what happens inside (the demo commands: a seeded community mails nobody)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def mail_on_commit(*, recipient: Member, kind: str, notification_id: int | None = None, give_id: int | None = None):
    """Queue the immediate mail of a notification once the transaction commits, if the recipient
    wants this kind immediately. Reads the preference from the instance the caller holds (a
    deferred field is not read: the task decides then)."""
    if not kind or _muted.get():
        return
    # A deferred field is absent from the instance's __dict__: never load it here, queue the task.
    if recipient.__dict__.get(PREFERENCE_FIELDS[kind], MailFrequency.IMMEDIATELY) != MailFrequency.IMMEDIATELY:
        return
    from .tasks import mail_notification

    transaction.on_commit(partial(_enqueue, mail_notification, notification_id=notification_id, give_id=give_id))


def _enqueue(task, **kwargs):
    try:
        task.enqueue(**kwargs)
    except Exception:  # a mail must never break what the member did
        logger.exception("Could not queue a notification mail")


# Who may be mailed, and what they have already seen


def can_mail(member: Member) -> bool:
    """An active account whose address is verified."""
    from allauth.account.models import EmailAddress

    if not member.is_active or not member.email:
        return False
    return EmailAddress.objects.filter(user=member, email__iexact=member.email, verified=True).exists()


SeenSource = Callable[[Member], date | None]  # the last day an app saw the member on the site

_seen_sources: list[SeenSource] = []


def register_seen_source(source: SeenSource) -> None:
    """Add an app's knowledge of the last day a member was on the site (kept once if registered again)."""
    if source not in _seen_sources:
        _seen_sources.append(source)


def last_seen(member: Member) -> datetime | None:
    """The latest moment the member is known to have been on the site: their last sign-in, or the
    start of the day after a day the other apps saw them (a visit records only its day, so a visit
    on the notification's own day may have come before it)."""
    moments = [member.last_login] if member.last_login else []
    for source in _seen_sources:
        if day := source(member):
            moments.append(timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)))
    return max(moments, default=None)


def unseen(notifications, member: Member):
    """Notifications not mailed, not read, and newer than the member's last time on the site."""
    notifications = notifications.filter(mailed_at__isnull=True, read_at__isnull=True)
    if seen := last_seen(member):
        notifications = notifications.filter(created__gt=seen)
    return notifications


# Links and the unsubscribe token


def absolute(url: str) -> str:
    return url if "://" in url else settings.SITE_URL.rstrip("/") + url


def unsubscribe_token(member: Member, what: str) -> str:
    """A signed token that turns `what` off for `member`: a MailKind, or a digest frequency (every
    kind mailed in that digest). It needs no sign-in and does not expire."""
    return signing.dumps({"m": member.pk, "w": str(what)}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Member, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        member = Member.objects.get(pk=data["m"])
    except (signing.BadSignature, Member.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    what = data["w"]
    if what not in MailKind.values and what not in DIGEST_FREQUENCIES:
        return None
    return member, what


def unsubscribe_url(member: Member, what: str) -> str:
    return absolute(reverse("mail-unsubscribe", args=[unsubscribe_token(member, what)]))


def turned_off_by(member: Member, what: str) -> list[str]:
    """The kinds an unsubscribe token for `what` turns off."""
    if what in MailKind.values:
        return [what]
    return [kind for kind in MailKind.values if preference(member, kind) == what]


def _send(member: Member, *, subject: str, template: str, context: dict, unsubscribe: str) -> None:
    link = unsubscribe_url(member, unsubscribe)
    context = {
        **context,
        "member": member,
        "site_url": settings.SITE_URL.rstrip("/"),
        "preferences_url": absolute(reverse("members:settings")),
        "unsubscribe_url": link,
    }
    send_with_parts(
        to=member.email,
        subject=subject,
        text=render_to_string(f"members/mail/{template}.txt", context),
        html=render_to_string(f"members/mail/{template}.html", context),
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


# Immediate mails


def send_immediately(*, notification_id: int | None = None, give_id: int | None = None) -> bool:
    """Mail one notification now, if it is still news and its recipient still wants it; True when
    sent. Marks it mailed first, so two workers never send it twice."""
    notifications = Notification.objects.select_related("recipient", "actor")
    if notification_id is not None:
        notification = notifications.filter(pk=notification_id).first()
    else:
        notification = notifications.filter(give_id=give_id).first()
    if notification is None or not notification.mail_kind:
        return False
    member = notification.recipient
    if preference(member, notification.mail_kind) != MailFrequency.IMMEDIATELY or not can_mail(member):
        return False
    if not unseen(Notification.objects.filter(pk=notification.pk), member).update(mailed_at=timezone.now()):
        return False
    try:
        _send(
            member,
            subject=f"[Mutua] {notification.text}"[:150],
            template="notification",
            context={"notification": notification, "url": absolute(notification.url or reverse("notifications"))},
            unsubscribe=notification.mail_kind,
        )
    except Exception:
        # Not sent after all: it may still go out in a digest, or when the task is retried.
        Notification.objects.filter(pk=notification.pk).update(mailed_at=None)
        raise
    return True


# Digests


@dataclass
class DigestSection:
    title: str
    items: list[Waiting]
    more: int = 0  # beyond the items shown


@dataclass
class Digest:
    member: Member
    frequency: str
    pay_it_back: DigestSection
    sections: list[DigestSection] = field(default_factory=list)  # replies and mentions first
    notification_ids: list[int] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        """Something new for the member: a digest of old debts and others' threads alone is not sent."""
        return bool(self.notification_ids)


DigestSource = Callable[..., list[tuple[str, list[Waiting]]]]  # (member, *, since) → titled sections

_digest_sources: list[DigestSource] = []


def register_digest_source(source: DigestSource) -> None:
    """Add sections to every digest, after the member's news (kept once if registered again)."""
    if source not in _digest_sources:
        _digest_sources.append(source)


SECTION_TITLES = {
    MailKind.REPLIES: "Replies and mentions",
    MailKind.GIVES: "Gives you received",
    MailKind.REQUESTS: "Requests for you",
    MailKind.CREDITS: "Digests that credit you",
    MailKind.OUTREACH: "From the community team",
}


def build_digest(member: Member, frequency: str, *, now: datetime | None = None, since: datetime | None = None) -> Digest:
    """What a member's digest says: Pay it back first (gives waiting for an acknowledgement, oldest
    first), then replies and mentions, then the other news since the last digest (`since`; one
    period back for a first one) of the kinds the member gets in this digest, then the week's best
    threads in their groups."""
    from .selectors import owed_to

    now = now or timezone.now()
    since = since or now - timedelta(days=DIGEST_DAYS[frequency])
    owed = list(owed_to(member)[: DIGEST_ITEMS + 1])
    pay_it_back = DigestSection(
        "Waiting on Pay it back",
        [Waiting(g.giver, f"{g.giver.name} {g.verb}", absolute(reverse("pay-it-back")), g.created) for g in owed[:DIGEST_ITEMS]],
        more=max(member.owed_count - DIGEST_ITEMS, 0),
    )
    kinds = [kind for kind in MailKind.values if preference(member, kind) == frequency]
    news = list(
        unseen(Notification.objects.filter(recipient=member, mail_kind__in=kinds, created__gt=since), member)
        .select_related("actor")
        .order_by("created", "pk")
    )
    digest = Digest(member, frequency, pay_it_back, notification_ids=[n.pk for n in news])
    owed_ids = {g.pk for g in owed}
    for kind in sorted(kinds, key=list(SECTION_TITLES).index):  # replies and mentions first
        items = [
            Waiting(n.actor, n.text, absolute(n.url or "/notifications/"), n.created)
            for n in news
            # a give still waiting is listed under Pay it back already
            if n.mail_kind == kind and not (kind == MailKind.GIVES and n.give_id in owed_ids)
        ]
        if items:
            digest.sections.append(DigestSection(SECTION_TITLES[kind], items[:DIGEST_ITEMS], max(len(items) - DIGEST_ITEMS, 0)))
    for source in _digest_sources:
        for title, items in source(member, since=now - timedelta(days=7)):
            if items:
                items = [Waiting(i.who, i.text, absolute(i.url), i.since) for i in items[:DIGEST_ITEMS]]
                digest.sections.append(DigestSection(title, items))
    return digest


def _due_since(frequency: str, now: datetime) -> datetime:
    """The latest moment a digest of this frequency fell due, up to `now`: MAIL_DIGEST_HOUR (local
    time) today or yesterday, on MAIL_DIGEST_WEEKDAY for the weekly one. A member whose last
    digest is older gets the next one."""
    local = timezone.localtime(now)
    due = local.replace(hour=settings.MAIL_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if frequency == MailFrequency.WEEKLY:
        due -= timedelta(days=(local.weekday() - settings.MAIL_DIGEST_WEEKDAY) % 7)
    if due > local:
        due -= timedelta(days=DIGEST_DAYS[frequency])
    return due


def send_digests(*, now: datetime | None = None, frequencies=DIGEST_FREQUENCIES) -> int:
    """Mail every digest that is due (each member's daily digest once a day, the weekly one once a
    week, at MAIL_DIGEST_HOUR); returns how many were sent. Safe to run every minute."""
    now = now or timezone.now()
    sent = 0
    for frequency in frequencies:
        due = _due_since(frequency, now)
        stamp = f"{frequency}_digest_at"
        wants = Q()
        for name in PREFERENCE_FIELDS.values():
            wants |= Q(**{name: frequency})
        members = (
            Member.objects.filter(wants, is_active=True)
            .filter(Q(**{f"{stamp}__isnull": True}) | Q(**{f"{stamp}__lt": due}))
            .select_related("ledger_totals")  # the digest's owed count
            .order_by("pk")
        )
        for member in members.iterator(chunk_size=200):
            sent += _send_digest(member, frequency, now=now)
    return sent


def _send_digest(member: Member, frequency: str, *, now: datetime) -> bool:
    stamp = f"{frequency}_digest_at"
    previous = getattr(member, stamp)
    with transaction.atomic():
        # Claim the period first (one worker per member and period), then build and send.
        claimed = (
            Member.objects.filter(pk=member.pk)
            .filter(Q(**{f"{stamp}__isnull": True}) | Q(**{f"{stamp}__lt": _due_since(frequency, now)}))
            .update(**{stamp: now})
        )
    if not claimed or not can_mail(member):
        return False
    digest = build_digest(member, frequency, now=now, since=previous)
    if not digest.has_news:
        return False
    label = "daily" if frequency == MailFrequency.DAILY else "weekly"
    try:
        _send(
            member,
            subject=f"[Mutua] Your {label} digest",
            template="digest",
            context={"digest": digest, "label": label, "pay_it_back_url": absolute(reverse("pay-it-back"))},
            unsubscribe=frequency,
        )
    except Exception:
        # The mail server refused: give the period back, so that the next run tries again.
        Member.objects.filter(pk=member.pk).update(**{stamp: previous})
        logger.exception("Could not mail the %s digest of member %s", frequency, member.pk)
        return False
    Notification.objects.filter(pk__in=digest.notification_ids).update(mailed_at=now)
    return True


# Plan outreach (the plans app calls this)


def send_outreach(*, recipient: Member, actor: Member | None, text: str, url: str) -> Notification:
    """A message of the community team's engagement plan to one member: listed in their
    notifications and mailed as their "plan outreach" preference says (immediately after commit, in
    their digest, or never), under the same rules as every mail. Call it inside your transaction."""
    from .services import notify

    return notify(recipient=recipient, actor=actor, text=text, url=url, mail_kind=MailKind.OUTREACH)
