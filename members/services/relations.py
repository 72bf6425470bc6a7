"""Recommendations, connections and introductions: what members ask of and write for each other."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from community.realtime import send_event_on_commit

from ..errors import ReciprocityError, StandardNote
from ..mailing import mail_on_commit
from ..models import Connection, Give, Introduction, MailKind, Member, Notification, Recommendation
from ..scoring import is_standard_note
from .reciprocity import record_give

RECOMMENDATION_MIN_WORDS = 10


def notify(
    *,
    recipient: Member,
    actor: Member | None,
    text: str,
    url: str,
    kind: str = Notification.Kind.OTHER,
    mail_kind: str = "",
) -> Notification:
    """A notification that is not a give (a request, a mention): listed, toasted live after commit,
    and mailed as the recipient's preference for `mail_kind` (a MailKind; "" is never mailed) says.
    `kind` (Notification.Kind) picks its icon; `url` is the object it is about."""
    notification = Notification.objects.create(
        recipient=recipient, actor=actor, text=text[:300], url=url, kind=kind, mail_kind=mail_kind
    )
    send_event_on_commit({"type": "notification", "text": text}, groups=[f"member.{recipient.pk}"])
    mail_on_commit(recipient=recipient, kind=mail_kind, notification_id=notification.pk)
    return notification


@transaction.atomic
def recommend(*, author: Member, recipient: Member, text: str) -> Recommendation:
    """Write a recommendation: a give to the recipient, shown on their profile once they approve it."""
    text = text.strip()
    if author.pk == recipient.pk:
        raise ReciprocityError("You cannot recommend yourself.")
    if len(text.split()) < RECOMMENDATION_MIN_WORDS:
        raise ReciprocityError(
            f"Say what {recipient.name} did and why it mattered: at least {RECOMMENDATION_MIN_WORDS} words.",
            field="text",
        )
    if len(text) > 2000:
        raise ReciprocityError("A recommendation is at most 2,000 characters.", field="text")
    try:
        with transaction.atomic():
            recommendation = Recommendation.objects.create(author=author, recipient=recipient, text=text)
    except IntegrityError:
        raise ReciprocityError(f"You have already recommended {recipient.name}.", status=409) from None
    record_give(giver=author, receiver=recipient, kind=Give.Kind.RECOMMENDATION, subject=recommendation)
    return recommendation


@transaction.atomic
def decide_recommendation(*, member: Member, recommendation_id: int, approve: bool) -> Recommendation:
    """The recipient alone approves (it shows on their profile) or declines (it stays hidden)."""
    recommendation = Recommendation.objects.select_for_update().filter(pk=recommendation_id).first()
    if recommendation is None or recommendation.recipient_id != member.pk:
        raise PermissionDenied("That recommendation was not written for you.")
    if recommendation.status != Recommendation.Status.PENDING:
        raise ReciprocityError(f"You have already {recommendation.status} this recommendation.", status=409)
    recommendation.status = Recommendation.Status.APPROVED if approve else Recommendation.Status.DECLINED
    recommendation.decided_at = timezone.now()
    recommendation.save(update_fields=["status", "decided_at"])
    return recommendation


@transaction.atomic
def request_connection(*, requester: Member, addressee: Member, note: str, allow_standard: bool = False) -> Connection:
    """Ask to connect with a personal note; the platform's standard text is not sent silently (rule 9)."""
    note = note.strip()
    if requester.pk == addressee.pk:
        raise ReciprocityError("You cannot connect with yourself.")
    if len(note) > 500:
        raise ReciprocityError("Keep the note under 500 characters.", field="note")
    if not note or (is_standard_note(note) and not allow_standard):
        raise StandardNote(
            f"Tell {addressee.name} why you want to connect: what you have in common, or what you hope to learn.",
            field="note",
        )
    if Connection.objects.filter(requester=addressee, addressee=requester, status=Connection.Status.PENDING).exists():
        raise ReciprocityError(
            f"{addressee.name} has already asked to connect with you: accept their request instead.", status=409
        )
    try:
        with transaction.atomic():
            connection = Connection.objects.create(requester=requester, addressee=addressee, note=note)
    except IntegrityError:
        raise ReciprocityError(f"You have already asked to connect with {addressee.name}.", status=409) from None
    notify(
        recipient=addressee,
        actor=requester,
        text=f"{requester.name} asked to connect: “{note}”",
        url=f"{reverse('requests')}#connection-{connection.pk}",
        kind=Notification.Kind.CONNECTION,
        mail_kind=MailKind.REQUESTS,
    )
    return connection


@transaction.atomic
def respond_to_connection(*, member: Member, connection_id: int, accept: bool) -> Connection:
    """Accept or decline freely (rules 7 and 10): the requester hears only of an acceptance."""
    connection = Connection.objects.select_for_update().select_related("requester").filter(pk=connection_id).first()
    if connection is None or connection.addressee_id != member.pk:
        raise PermissionDenied("That request was not made to you.")
    if connection.status != Connection.Status.PENDING:
        raise ReciprocityError(f"You have already {connection.status} this request.", status=409)
    connection.status = Connection.Status.ACCEPTED if accept else Connection.Status.DECLINED
    connection.responded_at = timezone.now()
    connection.save(update_fields=["status", "responded_at"])
    if accept:
        notify(
            recipient=connection.requester,
            actor=member,
            text=f"{member.name} accepted your request to connect",
            url=member.get_absolute_url(),
            kind=Notification.Kind.CONNECTION,
            mail_kind=MailKind.REQUESTS,
        )
    return connection


@transaction.atomic
def introduce(
    *, introducer: Member, first: Member, second: Member, note: str, allow_standard: bool = False
) -> Introduction:
    """Introduce two members with a personal note (rule 9): a give from the introducer to each."""
    note = note.strip()
    if first.pk == second.pk:
        raise ReciprocityError("Introduce two different people.")
    if introducer.pk in (first.pk, second.pk):
        raise ReciprocityError("Introduce two other people; to meet someone yourself, ask to connect.")
    if len(note) > 1000:
        raise ReciprocityError("Keep the note under 1,000 characters.", field="note")
    if not note or (is_standard_note(note) and not allow_standard):
        raise StandardNote(
            f"Say why {first.name} and {second.name} should meet: what each can offer the other.", field="note"
        )
    if Introduction.objects.filter(
        Q(first=first, second=second) | Q(first=second, second=first), introducer=introducer
    ).exists():
        raise ReciprocityError(f"You have already introduced {first.name} and {second.name}.", status=409)
    introduction = Introduction.objects.create(introducer=introducer, first=first, second=second, note=note)
    for member in (first, second):
        record_give(giver=introducer, receiver=member, kind=Give.Kind.INTRODUCTION, subject=introduction)
    return introduction


@transaction.atomic
def answer_introduction(*, member: Member, introduction_id: int, accept: bool) -> Introduction:
    """Each side accepts or declines; when both accept, they are connected and the introducer hears."""
    introduction = (
        Introduction.objects.select_for_update()
        .select_related("introducer", "first", "second")
        .filter(pk=introduction_id)
        .first()
    )
    if introduction is None or member.pk not in (introduction.first_id, introduction.second_id):
        raise PermissionDenied("That introduction was not made to you.")
    side = "first_answer" if member.pk == introduction.first_id else "second_answer"
    if getattr(introduction, side):
        raise ReciprocityError(f"You have already {getattr(introduction, side)} this introduction.", status=409)
    setattr(introduction, side, Introduction.Answer.ACCEPTED if accept else Introduction.Answer.DECLINED)
    introduction.save(update_fields=[side])
    if introduction.outcome == "connected":
        Connection.objects.get_or_create(
            requester=introduction.first,
            addressee=introduction.second,
            defaults={"note": introduction.note, "status": Connection.Status.ACCEPTED, "responded_at": timezone.now()},
        )
        notify(
            recipient=introduction.introducer,
            actor=member,
            text=f"Your introduction worked: {introduction.first.name} and {introduction.second.name} are connected",
            url=introduction.first.get_absolute_url(),
            kind=Notification.Kind.CONNECTION,
        )
    return introduction
