"""The reciprocity ledger: recording gives, endorsing, and acknowledging what one received."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, models, router, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.constants import OnConflict
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from community.realtime import send_event_on_commit

from ..errors import FormulaThanks, ReciprocityError
from ..mailing import mail_kind_of_give, mail_on_commit
from ..models import Endorsement, Give, LedgerTotals, Member, MemberSkill, Notification, Skill
from ..scoring import RING_WEIGHT, is_formula, score_give

THANK_MESSAGE_MAX = 1000


def _describe(give: Give, message: str) -> str:
    if give.kind == Give.Kind.THANKS:
        return f"{give.giver.name} thanked you: “{message}”"[:300]
    if give.kind == Give.Kind.ENDORSEMENT:
        return f"{give.giver.name} endorsed you for {give.subject.skill.name}"
    return f"{give.giver.name} {give.verb}"


def record_give(
    *, giver: Member, receiver: Member, kind: str, subject: models.Model, message: str = "", at=None
) -> Give:
    """The one door into the ledger. Records the give once (rule 1) with its score (rules 4 and 8),
    marks what the giver owed the receiver as returned, keeps both members' totals, notifies the
    receiver and tells their open pages after commit. Runs in the caller's transaction (its own when
    there is none), without a savepoint. `at` dates a give imported from history (seed data,
    migrations from another platform).

    Two statements on PostgreSQL (one for a thank-you): the score's one read, and one that writes
    everything else; four elsewhere (see `_write_give`)."""
    if giver.pk == receiver.pk:
        raise ReciprocityError("A give is something you do for someone else.")
    # No savepoint: nothing here needs a partial rollback (a duplicate writes nothing: ON CONFLICT DO
    # NOTHING), and the refusal is raised after the block, so it never marks the caller's
    # transaction for rollback.
    with transaction.atomic(savepoint=False):
        give, owed, text = _record(giver=giver, receiver=receiver, kind=kind, subject=subject, message=message, at=at)
    if owed is None:
        raise ReciprocityError("That has been recorded already.", status=409)
    return give


def _record(*, giver: Member, receiver: Member, kind: str, subject: models.Model, message: str, at):
    now = at or timezone.now()
    score = score_give(giver=giver, receiver=receiver, kind=kind, at=now, message=message)
    give = Give(
        giver=giver,
        receiver=receiver,
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        created=now,
        weight=score.weight,
        flags=score.flags,
    )
    give.subject = subject
    owes = kind != Give.Kind.THANKS  # a thank-you answers a give: it is not owed back
    text = _describe(give, message)
    # A thank-you is read, not answered: it links to the person; every other give to Pay it back.
    url = giver.get_absolute_url() if kind == Give.Kind.THANKS else reverse("pay-it-back")
    write = _write_give_in_one_statement if connection.vendor == "postgresql" else _write_give
    mail_kind = mail_kind_of_give(kind)
    owed = write(give, owes=owes, owed_back=score.owed_back, text=text, url=url, mail_kind=mail_kind)
    if owed is None:
        return give, None, text
    if score.ring:
        _flag_ring(score.ring)
    mail_on_commit(recipient=receiver, kind=mail_kind, give_id=give.pk)
    send_event_on_commit({"type": "give.received", "owed": owed, "text": text}, groups=[f"member.{receiver.pk}"])
    return give, owed, text


# Both members' running totals (LedgerTotals), and the receiver's owed count read back for the live
# event: one upsert, shared by both writers. A member's first give creates their row. `{returned}`
# is how many gives the giver returned (a parameter, or a count inside the one statement) and
# `{only_if}` a condition on writing at all (SQLite needs a WHERE before ON CONFLICT, even if true).
# The proposed rows are valid rows on their own (PostgreSQL checks owed_count >= 0 before it finds
# the conflict): the giver's owed count goes down in DO UPDATE, where the row exists. Rows are
# locked in member order, as concurrent gives between the same two members must. Plain SQL: on
# the path every give takes, the ORM spent longer building expressions than the database running them.
_COUNT_GIVE_SQL = """
    INSERT INTO {totals} (member_id, gives_given, gives_received, owed_count)
    SELECT column1, column2, column3, column4
    FROM (VALUES (%(giver)s, 1, 0, 0), (%(receiver)s, 0, 1, %(owes)s)) AS counted
    WHERE {only_if}
    ORDER BY column1
    ON CONFLICT (member_id) DO UPDATE SET
        gives_given = {totals}.gives_given + excluded.gives_given,
        gives_received = {totals}.gives_received + excluded.gives_received,
        owed_count = {totals}.owed_count + excluded.owed_count
            - CASE WHEN excluded.member_id = %(giver)s THEN {returned} ELSE 0 END
    RETURNING member_id, owed_count
"""


def _count_give_sql(*, returned: str, only_if: str) -> str:
    return _COUNT_GIVE_SQL.format(totals=LedgerTotals._meta.db_table, returned=returned, only_if=only_if)


def _write_give(give: Give, *, owes: bool, owed_back: list[int], text: str, url: str, mail_kind: str) -> int | None:
    """Insert the give (None when it is recorded already), mark what it returns, count it on both
    members and notify the receiver; returns the receiver's owed count. Three or four statements."""
    if not _insert_once(give):
        return None
    returned = _mark_returned(owed_back, at=give.created) if owed_back else 0
    owed = _count_give(giver=give.giver, receiver=give.receiver, owes=owes, returned=returned)
    Notification.objects.create(
        recipient=give.receiver,
        actor=give.giver,
        give=give,
        text=text,
        url=url,
        kind=give.kind,
        mail_kind=mail_kind,
    )
    return owed


_COUNT_GIVE_ALONE_SQL = _count_give_sql(returned="%(returned)s", only_if="true")


def _count_give(*, giver: Member, receiver: Member, owes: bool, returned: int) -> int:
    """Count the give on both members (what the giver returned no longer owed); returns the
    receiver's owed count."""
    params = {"giver": giver.pk, "receiver": receiver.pk, "owes": int(owes), "returned": returned}
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_GIVE_ALONE_SQL, params)
        owed = dict(cursor.fetchall())
    return owed[receiver.pk]


# `_write_give` as one statement, for PostgreSQL: its data-modifying CTEs insert the give (nothing
# happens past a conflict with the same give), mark what it returns, count it on both members,
# notify the receiver, and read back the new give's id and the receiver's owed count. One round
# trip instead of four, on the path every give takes. Every column of both tables is named (a
# test checks it against the models), so that a new column cannot be left to chance.
_WRITE_GIVE_SQL = """
    WITH give AS (
        INSERT INTO {give} (giver_id, receiver_id, kind, subject_type_id, subject_id, created, weight, flags,
                            acknowledgement, acknowledged_at, thank_message)
        VALUES (%(giver)s, %(receiver)s, %(kind)s, %(subject_type)s, %(subject)s, %(created)s, %(weight)s,
                %(flags)s, '', NULL, '')
        ON CONFLICT DO NOTHING
        RETURNING id
    ), returned AS (
        UPDATE {give} SET acknowledgement = '{returned}', acknowledged_at = %(created)s
        WHERE id = ANY(%(owed_back)s::bigint[]) AND acknowledged_at IS NULL AND EXISTS (SELECT FROM give)
        RETURNING id
    ), counted AS ({counted}
    ), notified AS (
        INSERT INTO {notification} (recipient_id, actor_id, give_id, kind, text, url, created, read_at, mail_kind,
                                    mailed_at)
        SELECT %(receiver)s, %(giver)s, id, %(kind)s, %(text)s, %(url)s, %(notified)s, NULL, %(mail_kind)s, NULL
        FROM give
    )
    SELECT give.id, counted.owed_count FROM give JOIN counted ON counted.member_id = %(receiver)s
""".format(
    give=Give._meta.db_table,
    notification=Notification._meta.db_table,
    returned=Give.Acknowledgement.RETURNED.value,
    counted=_count_give_sql(returned="(SELECT count(*) FROM returned)", only_if="EXISTS (SELECT FROM give)"),
)


def _write_give_in_one_statement(
    give: Give, *, owes: bool, owed_back: list[int], text: str, url: str, mail_kind: str
) -> int | None:
    flags = Give._meta.get_field("flags")
    params = {
        "giver": give.giver_id,
        "receiver": give.receiver_id,
        "kind": give.kind,
        "subject_type": give.subject_type_id,
        "subject": give.subject_id,
        "created": give.created,
        "weight": give.weight,
        "flags": flags.get_db_prep_save(give.flags, connection),
        "owed_back": owed_back,
        "owes": int(owes),
        "text": text,
        "url": url,
        "mail_kind": mail_kind,
        "notified": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(_WRITE_GIVE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    give.pk, owed = row
    give._state.adding = False
    give._state.db = connection.alias
    return owed


def _insert_once(instance: models.Model) -> bool:
    """Insert the row unless a unique constraint already holds it (INSERT … ON CONFLICT DO NOTHING;
    INSERT OR IGNORE on SQLite): False, and nothing written, when it does. One statement, where
    catching the IntegrityError needs a savepoint around the insert (three), and a concurrent
    duplicate still waits for the first to commit and then finds it. Callers check what else the
    constraints check (not to yourself) first: SQLite's IGNORE would skip those rows silently too.
    Uses the manager's `_insert`, the call Model.save makes, with the conflict clause added."""
    meta = instance._meta
    fields = [field for field in meta.local_concrete_fields if not field.generated and field is not meta.auto_field]
    rows = type(instance)._base_manager._insert(
        [instance], fields=fields, returning_fields=meta.db_returning_fields, on_conflict=OnConflict.IGNORE
    )
    if not rows:
        return False
    for value, field in zip(rows[0], meta.db_returning_fields, strict=True):
        setattr(instance, field.attname, value)
    instance._state.adding = False
    instance._state.db = router.db_for_write(type(instance))
    return True


def _flag_ring(give_ids: list[int]) -> None:
    for give in Give.objects.filter(pk__in=give_ids):
        if "ring" not in give.flags:
            give.flags = [*give.flags, "ring"]
            give.weight = min(give.weight, RING_WEIGHT)
            give.save(update_fields=["flags", "weight"])


def _mark_returned(give_ids: list[int], *, at) -> int:
    """Giving back to someone acknowledges what they gave you (the ids the score found owed); returns
    how many were still unacknowledged."""
    return Give.objects.filter(pk__in=give_ids, acknowledged_at__isnull=True).update(
        acknowledgement=Give.Acknowledgement.RETURNED, acknowledged_at=at
    )


# The endorsement, if the endorsee lists the skill and it is not there already (the constraint
# endorse_once, without a savepoint), in one statement.
_ENDORSE_SQL = """
    INSERT INTO {endorsement} (endorser_id, endorsee_id, skill_id, created)
    SELECT %(endorser)s, %(endorsee)s, %(skill)s, %(created)s
    WHERE EXISTS (SELECT 1 FROM {member_skill} WHERE member_id = %(endorsee)s AND skill_id = %(skill)s)
    ON CONFLICT DO NOTHING
    RETURNING id
""".format(endorsement=Endorsement._meta.db_table, member_skill=MemberSkill._meta.db_table)


@transaction.atomic
def endorse(*, endorser: Member, endorsee: Member, skill: Skill, at=None) -> Endorsement:
    """Vouch for a skill the endorsee lists: not yourself, not twice (a constraint, not luck)."""
    if endorser.pk == endorsee.pk:
        raise ReciprocityError("You cannot endorse yourself.")
    endorsement = Endorsement(endorser=endorser, endorsee=endorsee, skill=skill, created=at or timezone.now())
    params = {
        "endorser": endorser.pk,
        "endorsee": endorsee.pk,
        "skill": skill.pk,
        "created": connection.ops.adapt_datetimefield_value(endorsement.created),
    }
    with connection.cursor() as cursor:
        cursor.execute(_ENDORSE_SQL, params)
        row = cursor.fetchone()
    if row is None:  # only now find out which rule refused it
        if not endorsee.member_skills.filter(skill=skill).exists():
            raise ReciprocityError(f"{endorsee.name} does not list {skill.name} as a skill.")
        raise ReciprocityError(f"You have already endorsed {endorsee.name} for {skill.name}.", status=409)
    endorsement.pk = row[0]
    endorsement._state.adding, endorsement._state.db = False, connection.alias
    record_give(giver=endorser, receiver=endorsee, kind=Give.Kind.ENDORSEMENT, subject=endorsement, at=at)
    return endorsement


def _owed_give_for_update(*, member: Member, give_id: int) -> Give:
    give = Give.objects.select_for_update().select_related("giver").filter(pk=give_id).first()
    if give is None or give.receiver_id != member.pk:
        raise PermissionDenied("That give was not made to you.")
    if give.acknowledged_at is not None:
        raise ReciprocityError(
            f"You have already acknowledged this ({give.get_acknowledgement_display()}).", status=409
        )
    if give.kind == Give.Kind.THANKS:
        raise ReciprocityError("A thank-you needs no acknowledgement.")
    return give


@transaction.atomic
def thank(*, member: Member, give_id: int, message: str, allow_formula: bool = False) -> Give:
    """Thank the giver with a personal message (rule 4). A formula is refused with a prompt unless
    the member insists, and then it counts for little."""
    message = message.strip()
    if not message:
        raise ReciprocityError("Write a few words: what did this mean to you?", field="message")
    if len(message) > THANK_MESSAGE_MAX:
        raise ReciprocityError(f"Keep it under {THANK_MESSAGE_MAX} characters.", field="message")
    give = _owed_give_for_update(member=member, give_id=give_id)
    if is_formula(message) and not allow_formula:
        raise FormulaThanks(
            f"“{message}” could be sent to anyone. Say something specific: what did {give.giver.name}'s "
            f"{give.get_kind_display()} help you with?",
            field="message",
        )
    give.acknowledgement = Give.Acknowledgement.THANKED
    give.acknowledged_at = timezone.now()
    give.thank_message = message
    give.save(update_fields=["acknowledgement", "acknowledged_at", "thank_message"])
    LedgerTotals.objects.filter(member=member).update(owed_count=F("owed_count") - 1)
    record_give(giver=member, receiver=give.giver, kind=Give.Kind.THANKS, subject=give, message=message)
    _send_owed(member)
    return give


@transaction.atomic
def dismiss(*, member: Member, give_id: int) -> Give:
    """Take a give off Pay it back without thanking (rule 7: nobody is made to reciprocate)."""
    give = _owed_give_for_update(member=member, give_id=give_id)
    give.acknowledgement = Give.Acknowledgement.DISMISSED
    give.acknowledged_at = timezone.now()
    give.save(update_fields=["acknowledgement", "acknowledged_at"])
    LedgerTotals.objects.filter(member=member).update(owed_count=F("owed_count") - 1)
    _send_owed(member)
    return give


def _send_owed(member: Member) -> None:
    owed = LedgerTotals.objects.values_list("owed_count", flat=True).get(member=member)
    send_event_on_commit({"type": "owed.changed", "owed": owed}, groups=[f"member.{member.pk}"])


@transaction.atomic
def mark_notifications_read(*, member: Member) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def synchronize_reciprocity(*, members: models.QuerySet[Member] | None = None) -> int:
    """Rebuild the running totals (LedgerTotals) from the ledger; returns how many members changed.
    Each total is counted on its own (one correlated count per column) rather than over a join of
    both sides, which multiplies the rows. A member without a row has zeros; one whose totals are
    wrong gets them written (the row created if need be)."""

    def count(gives: models.QuerySet[Give], side: str) -> Coalesce:
        per_member = gives.filter(**{side: OuterRef("pk")}).order_by().values(side).annotate(n=Count("pk"))
        return Coalesce(Subquery(per_member.values("n")), 0)

    def kept(total: str) -> Coalesce:
        return Coalesce(F(f"ledger_totals__{total}"), 0)

    owed = Give.objects.filter(acknowledged_at__isnull=True).exclude(kind=Give.Kind.THANKS)
    changed = list(
        (members if members is not None else Member.objects.all())
        .order_by()
        .annotate(
            kept_given=kept("gives_given"),
            kept_received=kept("gives_received"),
            kept_owed=kept("owed_count"),
            real_given=count(Give.objects.all(), "giver"),
            real_received=count(Give.objects.all(), "receiver"),
            real_owed=count(owed, "receiver"),
        )
        .exclude(kept_given=F("real_given"), kept_received=F("real_received"), kept_owed=F("real_owed"))
        .values_list("pk", "real_given", "real_received", "real_owed")
    )
    totals = [
        LedgerTotals(member_id=pk, gives_given=given, gives_received=received, owed_count=owed)
        for pk, given, received, owed in changed
    ]
    LedgerTotals.objects.bulk_create(
        totals,
        update_conflicts=True,
        unique_fields=["member"],
        update_fields=["gives_given", "gives_received", "owed_count"],
        batch_size=1000,
    )
    return len(changed)
