"""The reciprocity ledger: one record per give, scoring, Pay it back, thanks, endorsements."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction
from django.utils import timezone

from members import services
from members.errors import FormulaThanks, ReciprocityError
from members.models import Endorsement, Give, LedgerTotals, Member, Notification
from members.selectors import owed_to
from tests.factories import MemberFactory, SkillFactory


@pytest.fixture
def skill(db):
    return SkillFactory(name="Facilitation")


@pytest.fixture
def ana(skill):
    return MemberFactory(handle="ana", display_name="Ana", skills=[skill])


@pytest.fixture
def ben(skill):
    return MemberFactory(handle="ben", display_name="Ben", skills=[skill])


def totals(member: Member) -> tuple[int, int, int]:
    member.refresh_from_db()
    return member.gives_given, member.gives_received, member.owed_count


# Rule 1: each give recorded once, with giver, receiver, kind, object and time.
def test_an_endorsement_is_recorded_once_as_a_give(ana, ben, skill, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        endorsement = services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    assert (give.giver, give.receiver, give.kind, give.subject) == (ana, ben, Give.Kind.ENDORSEMENT, endorsement)
    assert give.weight == 1.0 and give.flags == []
    assert totals(ana) == (1, 0, 0)
    assert totals(ben) == (0, 1, 1)
    assert Notification.objects.get(recipient=ben).text == "Ana endorsed you for Facilitation"
    assert len(callbacks) == 1  # the live event waits for the commit


def test_the_same_give_cannot_be_recorded_twice(ana, ben, skill):
    endorsement = services.endorse(endorser=ana, endorsee=ben, skill=skill)
    with pytest.raises(ReciprocityError, match="recorded already"):
        services.record_give(giver=ana, receiver=ben, kind=Give.Kind.ENDORSEMENT, subject=endorsement)
    assert Give.objects.count() == 1
    assert totals(ben) == (0, 1, 1)


@pytest.mark.parametrize(
    "case, message",
    [("self", "cannot endorse yourself"), ("unlisted", "does not list"), ("twice", "already endorsed")],
)
def test_bad_endorsements_change_nothing(ana, ben, skill, case, message):
    if case == "twice":
        services.endorse(endorser=ana, endorsee=ben, skill=skill)
    before = (Endorsement.objects.count(), Give.objects.count(), totals(ben))
    endorsee, what = {"self": (ana, skill), "unlisted": (ben, SkillFactory(name="Origami")), "twice": (ben, skill)}[
        case
    ]
    with pytest.raises(ReciprocityError, match=message):
        services.endorse(endorser=ana, endorsee=endorsee, skill=what)
    assert (Endorsement.objects.count(), Give.objects.count(), totals(ben)) == before


# Rule 2: Pay it back lists what is unacknowledged, oldest first, late after 12 hours.
def test_pay_it_back_lists_oldest_first_and_marks_late_gives(ana, ben, skill):
    cara = MemberFactory(handle="cara", skills=[skill])
    services.endorse(endorser=ana, endorsee=cara, skill=skill)
    services.endorse(endorser=ben, endorsee=cara, skill=skill)
    Give.objects.filter(giver=ana).update(created=timezone.now() - timedelta(hours=13))
    owed = list(owed_to(cara))
    assert [give.giver for give in owed] == [ana, ben]
    assert [give.is_late for give in owed] == [True, False]


def test_pay_it_back_page(client, ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    Give.objects.update(created=timezone.now() - timedelta(hours=20))
    client.force_login(ben)
    page = client.get("/pay-it-back/").content.decode()
    assert 'Ana</a> <a href="/members/ben/#skills-heading">endorsed you for Facilitation</a>' in page
    assert '<span class="late-marker">Waiting 20 hours</span>' in page
    assert 'data-owed-count aria-label="1 waiting">1<' in page


# Rule 4: a thank-you carries a personal message; formulas are prompted at the moment of writing.
def test_thanking_with_a_personal_message(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    services.thank(member=ben, give_id=give.pk, message="Your endorsement got me the workshop gig, thank you")
    give.refresh_from_db()
    assert give.acknowledgement == Give.Acknowledgement.THANKED
    assert list(owed_to(ben)) == []
    thanks = Give.objects.get(kind=Give.Kind.THANKS)
    assert (thanks.giver, thanks.receiver, thanks.subject, thanks.weight) == (ben, ana, give, 1.0)
    assert totals(ben) == (1, 1, 0)
    assert totals(ana) == (1, 1, 0)  # a thank-you is never owed back
    assert Notification.objects.filter(recipient=ana).get().text.startswith("Ben thanked you: “Your endorsement")


@pytest.mark.parametrize("formula", ["great post!", "Thanks!!", "thank you", "  +1 "])
def test_a_formula_thank_you_is_prompted_and_nothing_changes(ana, ben, skill, formula):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    with pytest.raises(FormulaThanks, match="Say something specific"):
        services.thank(member=ben, give_id=give.pk, message=formula)
    give.refresh_from_db()
    assert give.acknowledged_at is None
    assert totals(ben)[2] == 1


def test_a_formula_sent_anyway_is_weighted_down(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    services.thank(member=ben, give_id=Give.objects.get().pk, message="thanks!", allow_formula=True)
    thanks = Give.objects.get(kind=Give.Kind.THANKS)
    assert thanks.flags == ["formula"] and thanks.weight == 0.2


def test_thank_page_prompts_on_formula_then_accepts_a_real_message(client, ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    client.force_login(ben)
    response = client.post(f"/pay-it-back/{give.pk}/thank/", {"message": "great post!"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "could be sent to anyone" in page
    assert f'aria-describedby="thank-{give.pk}-error"' in page  # the prompt is read with the box
    response = client.post(f"/pay-it-back/{give.pk}/thank/", {"message": "It helped me land the facilitation role"})
    assert response.status_code == 302
    give.refresh_from_db()
    assert give.thank_message == "It helped me land the facilitation role"


@pytest.mark.parametrize("message, error", [("", "Write a few words"), ("x" * 1001, "under 1000")])
def test_empty_or_overlong_thanks_are_refused(ana, ben, skill, message, error):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    with pytest.raises(ReciprocityError, match=error):
        services.thank(member=ben, give_id=Give.objects.get().pk, message=message)


def test_nobody_acknowledges_a_give_that_was_not_theirs(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    with pytest.raises(PermissionDenied):
        services.thank(member=ana, give_id=give.pk, message="Thanks for endorsing yourself?")
    with pytest.raises(PermissionDenied):
        services.dismiss(member=MemberFactory(), give_id=give.pk)
    assert Give.objects.get().acknowledged_at is None


def test_acknowledging_twice_is_refused(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    give = Give.objects.get()
    services.dismiss(member=ben, give_id=give.pk)
    with pytest.raises(ReciprocityError, match="already acknowledged"):
        services.thank(member=ben, give_id=give.pk, message="A proper thank-you after all")
    assert totals(ben)[2] == 0


# Rule 7: dismissing is private and costs nothing.
def test_dismissing_tells_nobody(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    services.dismiss(member=ben, give_id=Give.objects.get().pk)
    assert not Notification.objects.filter(recipient=ana).exists()
    assert totals(ben) == (0, 1, 0)


def test_giving_back_marks_what_you_owed_as_returned(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    Give.objects.update(created=timezone.now() - timedelta(hours=2))
    services.endorse(endorser=ben, endorsee=ana, skill=skill)
    first = Give.objects.get(giver=ana)
    assert first.acknowledgement == Give.Acknowledgement.RETURNED
    assert totals(ben)[2] == 0


# Rule 8: quick give-backs and endorsement rings are weighted down and flagged.
def test_an_endorse_back_within_minutes_is_weighted_down(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    back = services.endorse(endorser=ben, endorsee=ana, skill=skill)
    give = Give.objects.get(subject_id=back.pk, kind=Give.Kind.ENDORSEMENT)
    assert "quick_return" in give.flags and give.weight < 1


def test_an_endorsement_ring_of_three_is_flagged_on_every_edge(skill):
    a, b, c = (MemberFactory(skills=[skill]) for _ in range(3))
    services.endorse(endorser=a, endorsee=b, skill=skill)
    services.endorse(endorser=b, endorsee=c, skill=skill)
    services.endorse(endorser=c, endorsee=a, skill=skill)
    assert all("ring" in give.flags and give.weight == 0.25 for give in Give.objects.all())


def test_a_genuine_endorsement_keeps_full_weight(ana, ben, skill):
    cara = MemberFactory(skills=[skill])
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    services.endorse(endorser=cara, endorsee=ana, skill=skill)
    assert Give.objects.get(giver=cara).weight == 1.0


def test_an_old_mutual_endorsement_is_not_a_ring(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    Give.objects.update(created=timezone.now() - timedelta(days=3))
    Endorsement.objects.update(created=timezone.now() - timedelta(days=3))
    services.endorse(endorser=ben, endorsee=ana, skill=skill)
    assert Give.objects.get(giver=ben).flags == []


def test_synchronize_rebuilds_totals_from_the_ledger(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    LedgerTotals.objects.update(gives_given=7, gives_received=7, owed_count=7)
    assert services.synchronize_reciprocity() >= 2
    assert totals(ana) == (1, 0, 0) and totals(ben) == (0, 1, 1)


def test_endorse_from_the_profile_page(client, ana, ben, skill):
    client.force_login(ana)
    assert "Endorse" in client.get("/members/ben/").content.decode()
    client.post("/members/ben/endorse/", {"skill": skill.slug})
    page = client.get("/members/ben/").content.decode()
    assert "1 endorsement" in page and "You endorsed" in page
    response = client.post("/members/ben/endorse/", {"skill": skill.slug}, follow=True)
    assert "already endorsed" in response.content.decode()
    assert Endorsement.objects.count() == 1


def test_evidence_backed_endorsements_come_first(ana, ben, skill):
    from members.selectors import skill_endorsements

    python = SkillFactory(name="Python")
    services.set_skills(member=ben, skills=[skill, python])
    cara = MemberFactory(skills=[skill])
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    services.endorse(endorser=cara, endorsee=ben, skill=python)
    ben_give = Give.objects.get(giver=ana, receiver=ben)
    services.thank(member=ben, give_id=ben_give.pk, message="This opened a door for me")
    rows = skill_endorsements(ben, viewer=cara)
    assert [(row["skill"].name, row["total"], row["backed"]) for row in rows] == [
        ("Facilitation", 1, 1),
        ("Python", 1, 0),
    ]
    assert [row["endorsed_by_viewer"] for row in rows] == [False, True]


def test_pay_it_back_query_count_is_constant(client, skill, django_assert_num_queries):
    receiver = MemberFactory(skills=[skill])
    for _ in range(3):
        services.endorse(endorser=MemberFactory(), endorsee=receiver, skill=skill)
    client.force_login(receiver)
    # session, member, count, page of gives with their givers, what the endorsements were for,
    # viewer's permissions (2), and what waits in the forums (questions from helpers, mentions,
    # replies on their threads)
    with django_assert_num_queries(10):
        client.get("/pay-it-back/")
    for _ in range(20):
        services.endorse(endorser=MemberFactory(), endorsee=receiver, skill=skill)
    with django_assert_num_queries(10):
        client.get("/pay-it-back/")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_concurrent_identical_endorsements_end_as_one(skill):
    endorser, endorsee = MemberFactory(skills=[skill]), MemberFactory(skills=[skill])
    barrier = threading.Barrier(2)
    outcomes = []

    def endorse_once():
        try:
            barrier.wait()
            services.endorse(endorser=endorser, endorsee=endorsee, skill=skill)
            outcomes.append("ok")
        except ReciprocityError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=endorse_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert any(outcome.startswith("You have already endorsed") for outcome in outcomes)
    assert Endorsement.objects.count() == 1 and Give.objects.count() == 1
    endorsee.refresh_from_db()
    assert endorsee.owed_count == 1
    assert connection.vendor == "postgresql"


def test_pay_it_back_pages_keep_the_oldest_first_order(client, skill):
    receiver = MemberFactory(skills=[skill])
    givers = [MemberFactory(display_name=f"Giver {n:02d}") for n in range(33)]
    for n, giver in enumerate(givers):
        services.endorse(endorser=giver, endorsee=receiver, skill=skill)
        Give.objects.filter(giver=giver).update(created=timezone.now() - timedelta(hours=100 - n))
    client.force_login(receiver)
    second = client.get("/pay-it-back/", {"page": 2}).content.decode()
    names = [f"Giver {n:02d}" for n in range(30, 33)]
    positions = [second.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Giver 29" not in second and "Page 2 of 2" in second


def test_an_empty_pay_it_back_says_you_are_all_square(client, db):
    client.force_login(MemberFactory())
    response = client.get("/pay-it-back/")
    assert response.status_code == 200
    assert "You are all square" in response.content.decode()


def test_giving_back_returns_what_was_owed_however_old(ana, ben, skill):
    # Given Ben has owed Ana for an endorsement for forty days (far outside any scoring window)
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    Give.objects.update(created=timezone.now() - timedelta(days=40))
    # When Ben gives back
    services.endorse(endorser=ben, endorsee=ana, skill=skill)
    # Then the old give counts as returned, and the new one is neither quick nor a ring
    assert Give.objects.get(giver=ana).acknowledgement == Give.Acknowledgement.RETURNED
    assert Give.objects.get(giver=ben).flags == []
    assert totals(ben) == (1, 1, 0) and totals(ana) == (1, 1, 1)


def test_record_give_query_count(ana, ben, skill, django_assert_num_queries):
    # Given an endorsement Ana made to Ben (the subject of the gives below)
    endorsement = services.endorse(endorser=ana, endorsee=ben, skill=skill)
    cara = MemberFactory(handle="cara", display_name="Cara")
    # PostgreSQL: the score's one read, then one statement for the give, what it returns, both
    # members' totals and the notification. Elsewhere: the read, the insert, (marking what it
    # returns,) the totals, the notification.
    postgres = connection.vendor == "postgresql"
    # When a give is recorded
    with django_assert_num_queries(2 if postgres else 4):
        services.record_give(giver=cara, receiver=ben, kind=Give.Kind.SHARE, subject=endorsement)
    # When the give returns something owed
    with django_assert_num_queries(2 if postgres else 5):
        services.record_give(giver=ben, receiver=ana, kind=Give.Kind.SHARE, subject=endorsement)
    assert Give.objects.get(giver=ana).acknowledgement == Give.Acknowledgement.RETURNED
    # When it is a thank-you: nothing to score or return
    with django_assert_num_queries(1 if postgres else 3):
        services.record_give(
            giver=ben, receiver=ana, kind=Give.Kind.THANKS, subject=endorsement, message="That opened a door"
        )


def test_endorse_query_count(ana, ben, skill, django_assert_num_queries):
    # savepoint (2, as the test runs in a transaction), the endorsement where the skill is listed, record_give
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 7):
        services.endorse(endorser=ana, endorsee=ben, skill=skill)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_concurrent_identical_gives_end_as_one(skill):
    giver, receiver = MemberFactory(skills=[skill]), MemberFactory(skills=[skill])
    endorsement = services.endorse(endorser=receiver, endorsee=giver, skill=skill)
    barrier = threading.Barrier(2)
    outcomes = []

    def share_once():
        try:
            barrier.wait()
            with transaction.atomic():
                services.record_give(giver=giver, receiver=receiver, kind=Give.Kind.SHARE, subject=endorsement)
            outcomes.append("ok")
        except ReciprocityError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=share_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["That has been recorded already.", "ok"]
    assert Give.objects.filter(kind=Give.Kind.SHARE).count() == 1
    assert Notification.objects.filter(recipient=receiver).count() == 1
    assert totals(receiver) == (1, 1, 1)  # owes the share
    assert totals(giver) == (1, 1, 0)  # the endorsement it owed, returned by the share, once


@pytest.fixture(params=[pytest.param("one statement", marks=pytest.mark.postgres), "portable"])
def ledger_writer(request, monkeypatch):
    """record_give writes in one statement on PostgreSQL and in four elsewhere: run on both (the
    one statement only where it runs: on SQLite it is skipped, not the portable writer again)."""
    from members.services import reciprocity

    if request.param == "portable":
        monkeypatch.setattr(reciprocity, "_write_give_in_one_statement", reciprocity._write_give)
    return request.param


def test_both_ledger_writers_leave_the_same_ledger(ledger_writer, ana, ben, skill):
    # Given Ana endorses Ben, Ben endorses her back within minutes, and she thanks him
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    back = services.endorse(endorser=ben, endorsee=ana, skill=skill)
    services.thank(member=ana, give_id=Give.objects.get(giver=ben).pk, message="It got me onto the panel")
    # When the same give is recorded again
    with pytest.raises(ReciprocityError, match="recorded already"):
        services.record_give(giver=ben, receiver=ana, kind=Give.Kind.ENDORSEMENT, subject=back)
    # Then the ledger, the notifications and the totals are exactly these, whichever writer ran
    gives = Give.objects.order_by("pk").values_list(
        "giver__username", "receiver__username", "kind", "weight", "flags", "acknowledgement"
    )
    assert list(gives) == [
        ("ana", "ben", "endorsement", 0.25, ["ring"], "returned"),
        ("ben", "ana", "endorsement", 0.25, ["quick_return", "ring"], "thanked"),
        ("ana", "ben", "thanks", 1.0, [], ""),
    ]
    notifications = Notification.objects.order_by("pk").values_list(
        "recipient__username", "actor__username", "give__kind", "text", "url"
    )
    assert list(notifications) == [
        ("ben", "ana", "endorsement", "Ana endorsed you for Facilitation", "/pay-it-back/"),
        ("ana", "ben", "endorsement", "Ben endorsed you for Facilitation", "/pay-it-back/"),
        ("ben", "ana", "thanks", "Ana thanked you: “It got me onto the panel”", "/members/ana/"),
    ]
    assert totals(ana) == (2, 1, 0) and totals(ben) == (1, 2, 0)


def test_a_ring_of_endorse_backs_counts_less_than_genuine_endorsements_on_the_profile(client, skill):
    # Rule 8 in public: two endorse each other back within minutes; a third is endorsed by two people
    # who were never endorsed back.
    ring_a, ring_b, genuine = (MemberFactory(skills=[skill]) for _ in range(3))
    services.endorse(endorser=ring_a, endorsee=ring_b, skill=skill)
    services.endorse(endorser=ring_b, endorsee=ring_a, skill=skill)
    for _ in range(2):
        services.endorse(endorser=MemberFactory(), endorsee=genuine, skill=skill)
    client.force_login(MemberFactory())

    ring_page = client.get(f"/members/{ring_b.username}/").text
    genuine_page = client.get(f"/members/{genuine.username}/").text

    assert "2 endorsements" in genuine_page
    assert "1 endorsement" not in ring_page and "endorsements" not in ring_page  # a quarter each: none whole
    assert "ring" not in ring_page.lower()  # the weight shows, the flag stays private (rule 7)


def test_endorsement_rows_rank_skills_by_weight(skill):
    from members.selectors import skill_endorsements

    python = SkillFactory(name="Python")
    member = MemberFactory(skills=[skill, python])
    traded = []
    for _ in range(3):  # three endorse-backs on Facilitation: 3 x 0.25
        partner = MemberFactory(skills=[skill])
        services.endorse(endorser=member, endorsee=partner, skill=skill)
        traded.append(services.endorse(endorser=partner, endorsee=member, skill=skill))
    services.endorse(endorser=MemberFactory(), endorsee=member, skill=python)  # one genuine on Python
    services.endorse(endorser=MemberFactory(), endorsee=member, skill=python)
    rows = skill_endorsements(member, viewer=MemberFactory())
    assert [(row["skill"].name, row["total"]) for row in rows] == [("Python", 2), ("Facilitation", 1)]


def test_the_one_statement_fills_every_column_of_the_give_and_its_notification():
    # The hand-written INSERTs name their columns: a column added to either model must be added there
    # too (or it would be left to the database's default, unseen).
    import re

    from members.services.reciprocity import _WRITE_GIVE_SQL

    for model in (Give, Notification):
        table = model._meta.db_table
        named = re.search(rf"INSERT INTO {table} \(([^)]*)\)", _WRITE_GIVE_SQL).group(1)
        columns = {column.strip() for column in named.split(",")}
        assert columns == {field.column for field in model._meta.concrete_fields if not field.primary_key}, table


def test_a_member_without_gives_has_zero_totals_and_no_row(ana):
    assert totals(ana) == (0, 0, 0)
    assert not LedgerTotals.objects.exists()


def test_synchronize_writes_the_totals_that_went_missing(ana, ben, skill):
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    LedgerTotals.objects.all().delete()
    assert totals(ben) == (0, 0, 0)
    assert services.synchronize_reciprocity() == 2
    assert totals(ana) == (1, 0, 0) and totals(ben) == (0, 1, 1)
    assert services.synchronize_reciprocity() == 0


def test_the_header_reads_pay_it_back_from_the_query_that_loads_the_member(
    ana, ben, skill, django_assert_num_queries
):
    from members.auth_backends import MemberBackend

    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    member = MemberBackend().get_user(ben.pk)  # what every request does
    with django_assert_num_queries(0):
        assert member.owed_count == 1


@pytest.mark.django_db(transaction=True)
def test_record_give_outside_a_transaction_writes_all_or_nothing(skill, monkeypatch):
    # Given nobody opened a transaction (autocommit), and the give fails after its write
    from members.services import reciprocity

    giver, receiver = MemberFactory(skills=[skill]), MemberFactory(skills=[skill])
    subject = Endorsement.objects.create(endorser=giver, endorsee=receiver, skill=skill)

    def refuse(**kwargs):
        raise RuntimeError("the mail queue is down")

    monkeypatch.setattr(reciprocity, "mail_on_commit", refuse)
    with pytest.raises(RuntimeError):
        services.record_give(giver=giver, receiver=receiver, kind=Give.Kind.ENDORSEMENT, subject=subject)
    # Then nothing of it stays: record_give is one transaction of its own
    assert not Give.objects.exists() and not Notification.objects.exists()
    assert totals(receiver) == (0, 0, 0)


def test_a_refused_duplicate_leaves_the_callers_transaction_usable(ana, ben, skill):
    endorsement = services.endorse(endorser=ana, endorsee=ben, skill=skill)
    with transaction.atomic():
        with pytest.raises(ReciprocityError, match="recorded already"):
            services.record_give(giver=ana, receiver=ben, kind=Give.Kind.ENDORSEMENT, subject=endorsement)
        services.record_give(giver=ana, receiver=ben, kind=Give.Kind.SHARE, subject=endorsement)
    assert Give.objects.count() == 2


@pytest.mark.postgres
def test_the_totals_table_keeps_room_for_updates_in_place(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [LedgerTotals._meta.db_table])
        (options,) = cursor.fetchone()
    assert "fillfactor=50" in options
