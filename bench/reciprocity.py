#!/usr/bin/env python
"""Reciprocity ledger benchmark: Pay it back and record_give with 5,000,000 gives.

    .venv/bin/python bench/reciprocity.py                      # generate once, then measure
    .venv/bin/python bench/reciprocity.py --reset              # rebuild the gives (members are kept)
    .venv/bin/python bench/reciprocity.py --only pages         # just the Pay-it-back cases
    .venv/bin/python bench/reciprocity.py --time-synchronize   # also time services.synchronize_reciprocity
    .venv/bin/python bench/reciprocity.py --only throughput --processes 1 2   # one process, then two at once

Same bench database and community as bench/directory.py (100,000 members from bench/dataset.py,
generated when missing). On top of it this adds a ledger of --gives gives (default 5,000,000) with
PostgreSQL COPY, one member (the "bench receiver", a chosen handle) holding --receiver-gives received
gives of which --receiver-owed still wait on Pay it back, then writes every member's running totals
(members_ledgertotals) with one SQL statement and VACUUM ANALYZEs. The ledger is generated once and reused; --reset rebuilds it.

Then it measures
  * GET /pay-it-back/ as the bench receiver (page 1, page 2, the last page): median and p95 server
    time and queries per request, which must be the same on every page (goal: median < 30 ms);
  * record_give throughput: --throughput calls (default 2,000) in one process, each in its own
    transaction as a request's would be, through services.endorse (new Endorsement rows for skills the
    endorsees list, so every run uses fresh subjects) and through record_give directly with synthetic
    subjects; gives per second (goal: at least 500) and queries per call; with --processes 2, the same
    in two processes at once (goal: at least 1,000 together).
Results: a table on stdout and bench/results/reciprocity.json.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import statistics
import sys
import time
from argparse import Namespace
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory import (  # noqa: E402  the same database handling, settings and measuring
    DEFAULT_DATABASE_URL,
    RESULTS_DIR,
    ROOT,
    Case,
    _safe_url,
    configure_environment,
    ensure_database,
    environment_facts,
    measure,
    percentile,
    prepare_data,
    summary,
)

MEMBERS = 100_000  # the directory benchmark's community, reused as it is
GOAL_PAGE_MEDIAN_MS = 30.0
GOAL_GIVES_PER_SECOND = 500.0
GOAL_GIVES_PER_SECOND_PER_PROCESS_PAIR = 1000.0  # with two processes (issue 13)

# Bump when the generator changes what it makes: a ledger of another version is rebuilt.
LEDGER_VERSION = 1
LEDGER_MARKER_TABLE = "bench_reciprocity"
LEDGER_SEED = 20260202
# The generated gives are synthetic: their subjects are no rows at all. subject_type is
# members.Endorsement and subject_id a sequence number from SYNTHETIC_SUBJECT_BASE up, far above any
# real Endorsement id, so that (giver, receiver, kind, subject_type, subject_id) is unique (the
# give_once constraint) and can never collide with a give the app records for a real endorsement.
SYNTHETIC_SUBJECT_BASE = 1_000_000_000_000
# record_give called directly by the throughput case: synthetic subjects again, from here up.
DIRECT_SUBJECT_BASE = 2_000_000_000_000
# Each process of a parallel run takes its synthetic subjects from its own range this wide.
WORKER_SUBJECTS = 1_000_000_000
SPAN = timedelta(days=730)  # gives were made over the past two years
THANKS_SHARE = 0.15  # the rest are endorsements
ACKNOWLEDGED_SHARE = 0.40  # of the gives that can be acknowledged (thank-yous never are)
ACKNOWLEDGEMENTS = (("thanked", 0.55), ("returned", 0.30), ("dismissed", 0.15))
THANK_MESSAGES = [
    "Your endorsement came just before my interview, thank you.",
    "That means a lot coming from you. Thanks for vouching for my {0} work.",
    "Thank you! Happy to return the favour whenever you need a reviewer.",
    "Thanks for noticing the migration work, it was a long quarter.",
    "Much appreciated; let's pair on something again soon.",
]
CHUNK_ROWS = 250_000


# --- the ledger -----------------------------------------------------------------------------------


def ledger_present(args, members_marker: dict) -> tuple[bool, str]:
    """Whether the ledger there is the one these arguments ask for (cheap checks plus one count)."""
    import dataset

    from members.models import Give, Member

    marker = dataset.read_marker(LEDGER_MARKER_TABLE)
    if marker is None:
        return False, "no ledger yet"
    expected = {
        "version": LEDGER_VERSION,
        "gives": args.gives,
        "receiver_gives": args.receiver_gives,
        "receiver_owed": args.receiver_owed,
        "members_generated_at": members_marker.get("generated_at"),
    }
    differing = {k: (marker.get(k), v) for k, v in expected.items() if marker.get(k) != v}
    if differing:
        return False, f"the ledger there differs: {differing}"
    synthetic = Give.objects.filter(subject_id__gte=SYNTHETIC_SUBJECT_BASE, subject_id__lt=DIRECT_SUBJECT_BASE).count()
    if synthetic != args.gives:
        return False, f"{synthetic:,} generated gives in the table, {args.gives:,} expected"
    receiver = Member.objects.filter(username=marker["receiver"]).first()
    if receiver is None:
        return False, f"the receiver {marker['receiver']} is gone"
    return True, ""


def choose_receiver():
    """The member whose Pay it back is measured: the first active bench member after the viewer (a
    chosen handle, so that the community stays exactly what bench/dataset.py generates)."""
    import dataset

    from members.models import Member

    return (
        Member.objects.filter(is_active=True, email__endswith="@" + dataset.BENCH_DOMAIN)
        .exclude(username=dataset.VIEWER_HANDLE)
        .order_by("pk")
        .first()
    )


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def _truncate_ledger() -> None:
    """Empty the ledger and what hangs off it (bench database only: checked by the caller)."""
    from django.db import connection

    with connection.cursor() as cursor:
        # Any other table that references these makes TRUNCATE fail loudly rather than cascade.
        cursor.execute(
            "TRUNCATE members_give, members_notification, members_endorsement, members_ledgertotals RESTART IDENTITY"
        )


def _secondary_schema(table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, definition) of the table's constraints other than the primary key and checks, and of
    its indexes that back no constraint: dropped before the COPY and rebuilt after, which is much
    faster than maintaining eight indexes and three foreign-key triggers row by row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
               WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname""",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
               WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
               ORDER BY i.relname""",
            [table],
        )
        indexes = cursor.fetchall()
    return constraints, indexes


def generate_ledger(args, *, log=print) -> dict:
    """TRUNCATE the ledger and COPY args.gives gives into it; returns the marker info (with timings).

    BENCH-ONLY EXCEPTION, like bench/dataset.py: the app writes gives only through
    services.record_give. 5,000,000 calls of it would take hours, so the benchmark writes the table
    with COPY and the running totals with one INSERT (RUNNING_TOTALS_REBUILD, checked against
    services.synchronize_reciprocity afterwards). No notifications are generated (Pay it back does
    not read them)."""
    import dataset
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from members.models import Endorsement, Give, LedgerTotals, Member

    timings: dict[str, float] = {}
    started = time.perf_counter()
    rng = random.Random(LEDGER_SEED)
    receiver = choose_receiver()
    endorsement_type = ContentType.objects.get_for_model(Endorsement).pk
    ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    now = time.time()
    start = now - SPAN.total_seconds()

    # Skewed pairs: receivers Zipf(0.5) and givers Zipf(0.4) over two independent shuffles of the
    # members, so a few members give and receive a lot and most a few dozen times. The bench receiver
    # is left out of the random receivers: exactly what is set below lands on her page.
    receivers = [pk for pk in ids if pk != receiver.pk]
    rng.shuffle(receivers)
    receiver_cum = _cumulative(dataset.zipf_weights(len(receivers), 0.5))
    givers = list(ids)
    rng.shuffle(givers)
    giver_cum = _cumulative(dataset.zipf_weights(len(givers), 0.4))

    def pick_giver(other: int) -> int:
        while True:
            (g,) = rng.choices(givers, cum_weights=giver_cum)
            if g != other:
                return g

    # The bench receiver's gives, drawn first and merged into the time slices below: exactly
    # receiver_gives received, of which receiver_owed endorsements not acknowledged yet.
    own_thanks = round(args.receiver_gives * THANKS_SHARE)
    own_endorsements = args.receiver_gives - own_thanks
    if own_endorsements < args.receiver_owed:
        raise SystemExit("--receiver-owed is larger than the receiver's endorsements")
    own = (
        [("thanks", False)] * own_thanks
        + [("endorsement", False)] * args.receiver_owed
        + [("endorsement", True)] * (own_endorsements - args.receiver_owed)
    )
    own_rows = sorted(
        (
            (start + rng.random() * (now - start - 3600), pick_giver(receiver.pk), receiver.pk, kind, ack)
            for kind, ack in own
        ),
        key=lambda row: row[0],
    )

    fields = {f.attname: f.column for f in Give._meta.concrete_fields}
    columns = [
        fields[name]
        for name in (
            "giver_id",
            "receiver_id",
            "kind",
            "subject_type_id",
            "subject_id",
            "created",
            "weight",
            "flags",
            "acknowledgement",
            "acknowledged_at",
            "thank_message",
        )
    ]
    copy_sql = f"COPY {Give._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    ack_names = [name for name, _ in ACKNOWLEDGEMENTS]
    ack_cum = _cumulative([share for _, share in ACKNOWLEDGEMENTS])
    counts = {"thanks": 0, "endorsement": 0, "acknowledged": 0}

    with transaction.atomic():
        t = time.perf_counter()
        _truncate_ledger()
        constraints, indexes = _secondary_schema(Give._meta.db_table)
        with connection.cursor() as cursor:
            for name, _ in constraints:
                cursor.execute(f'ALTER TABLE {Give._meta.db_table} DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        timings["truncate"] = time.perf_counter() - t

        # Gives are COPYed in time order, slice by slice, as the app would have appended them: a
        # member's gives lie scattered over the table, not side by side.
        t = time.perf_counter()
        slices = math.ceil(args.gives / CHUNK_ROWS)
        random_total = args.gives - len(own_rows)
        subject = SYNTHETIC_SUBJECT_BASE
        own_index = 0
        drawn_so_far = 0
        for s in range(slices):
            lo = start + (now - start - 3600) * s / slices
            hi = start + (now - start - 3600) * (s + 1) / slices
            n = random_total * (s + 1) // slices - drawn_so_far
            drawn_so_far += n
            rows = []
            for _ in range(n):
                (r,) = rng.choices(receivers, cum_weights=receiver_cum)
                kind = "thanks" if rng.random() < THANKS_SHARE else "endorsement"
                rows.append(
                    (
                        lo + rng.random() * (hi - lo),
                        pick_giver(r),
                        r,
                        kind,
                        kind != "thanks" and rng.random() < ACKNOWLEDGED_SHARE,
                    )
                )
            while own_index < len(own_rows) and (own_rows[own_index][0] < hi or s == slices - 1):
                rows.append(own_rows[own_index])
                own_index += 1
            rows.sort(key=lambda row: row[0])
            buffer = io.StringIO()
            write = buffer.write
            for created, giver, receiver_id, kind, acknowledged in rows:
                weight, flags = 1.0, "[]"
                x = rng.random()
                if kind == "thanks":
                    if x < 0.05:
                        weight, flags = 0.2, '["formula"]'
                elif x < 0.02:
                    weight, flags = 0.5, '["quick_return"]'
                elif x < 0.03:
                    weight, flags = 0.25, '["ring"]'
                ack, ack_at, message = "", r"\N", ""
                if acknowledged:
                    # Most acknowledgements come within hours, some after days (log-normal delay).
                    at = min(created + 3600 * rng.lognormvariate(1.8, 1.4), now - 1)
                    (ack,) = rng.choices(ack_names, cum_weights=ack_cum)
                    ack_at = _ts(at)
                    if ack == "thanked":
                        message = rng.choice(THANK_MESSAGES).format("design")
                    counts["acknowledged"] += 1
                counts[kind] += 1
                subject += 1
                write(
                    f"{giver}\t{receiver_id}\t{kind}\t{endorsement_type}\t{subject}\t{_ts(created)}\t"
                    f"{weight}\t{flags}\t{ack}\t{ack_at}\t{message}\n"
                )
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(copy_sql, buffer)
            if (s + 1) % 4 == 0 or s == slices - 1:
                log(f"  {subject - SYNTHETIC_SUBJECT_BASE:,} gives copied ({time.perf_counter() - t:.0f} s)")
        timings["draw_and_copy"] = time.perf_counter() - t

        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for name, definition in constraints:
                cursor.execute(f'ALTER TABLE {Give._meta.db_table} ADD CONSTRAINT "{name}" {definition}')
        timings["indexes_and_constraints"] = time.perf_counter() - t

        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Give._meta.db_table}")
            cursor.execute(RUNNING_TOTALS_REBUILD)
            log(f"  running totals set for {cursor.rowcount:,} members")
        timings["running_totals"] = time.perf_counter() - t

    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (Give._meta.db_table, Member._meta.db_table, LedgerTotals._meta.db_table):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    timings["vacuum_analyze"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    return {
        "version": LEDGER_VERSION,
        "gives": args.gives,
        "receiver": receiver.username,
        "receiver_gives": args.receiver_gives,
        "receiver_owed": args.receiver_owed,
        "members_generated_at": None,  # filled in by the caller
        "kinds": {"endorsement": counts["endorsement"], "thanks": counts["thanks"]},
        "acknowledged": counts["acknowledged"],
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "generation_seconds": {key: round(value, 2) for key, value in timings.items()},
    }


# The same totals as services.synchronize_reciprocity, for every member at once, into the ledger's
# totals table (members.LedgerTotals): gives_given = gives made, gives_received = gives received,
# owed_count = received gives not acknowledged that are not thank-yous. Members with neither get no
# row (no row reads as zeros); rows already right are left alone. Also run after other generators
# add gives with SQL (bench/metrics_data.py).
RUNNING_TOTALS_REBUILD = """
INSERT INTO members_ledgertotals AS kept (member_id, gives_given, gives_received, owed_count)
SELECT mm.id, COALESCE(o.n, 0), COALESCE(i.n, 0), COALESCE(i.owed, 0)
FROM members_member AS mm
LEFT JOIN (SELECT giver_id, count(*) AS n FROM members_give GROUP BY giver_id) AS o ON o.giver_id = mm.id
LEFT JOIN (
    SELECT receiver_id, count(*) AS n,
           count(*) FILTER (WHERE acknowledged_at IS NULL AND kind <> 'thanks') AS owed
    FROM members_give GROUP BY receiver_id
) AS i ON i.receiver_id = mm.id
WHERE o.n IS NOT NULL OR i.n IS NOT NULL
ON CONFLICT (member_id) DO UPDATE SET
    gives_given = excluded.gives_given, gives_received = excluded.gives_received, owed_count = excluded.owed_count
WHERE (kept.gives_given, kept.gives_received, kept.owed_count)
      IS DISTINCT FROM (excluded.gives_given, excluded.gives_received, excluded.owed_count)
"""


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """A transaction that is always rolled back: the bench data stays as generated."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def verify_running_totals(receiver_handle: str, sample: int = 300) -> dict:
    """services.synchronize_reciprocity over a sample (the bench receiver, the busiest givers and
    receivers, random members) must find nothing to change: the SQL UPDATE set what it would set.
    Also times it, per member, for the estimate of a full run."""
    from members import services
    from members.models import Member

    from members.models import LedgerTotals

    busiest = list(LedgerTotals.objects.order_by("-gives_received").values_list("member", flat=True)[:5]) + list(
        LedgerTotals.objects.order_by("-gives_given").values_list("member", flat=True)[:5]
    )
    rng = random.Random()
    ids = list(Member.objects.values_list("pk", flat=True))
    pks = {Member.objects.get(username=receiver_handle).pk, *busiest, *rng.sample(ids, sample)}
    with rolled_back():
        started = time.perf_counter()
        changed = services.synchronize_reciprocity(members=Member.objects.filter(pk__in=pks))
        seconds = time.perf_counter() - started
    if changed:
        raise SystemExit(
            f"services.synchronize_reciprocity would change {changed} of {len(pks)} sampled members: "
            "the SQL running totals differ from the service's."
        )
    return {"sampled_members": len(pks), "changed": 0, "seconds": round(seconds, 2)}


def time_synchronize(timeout_s: int) -> dict:
    """services.synchronize_reciprocity() over every member, as `manage.py synchronize_reciprocity`
    runs it, in a transaction rolled back afterwards, under a statement timeout."""
    from django.db import connection
    from django.db.utils import OperationalError

    from members import services

    result: dict = {"timeout_seconds": timeout_s}
    try:
        with rolled_back():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = '{int(timeout_s)}s'")
            started = time.perf_counter()
            try:
                result["changed"] = services.synchronize_reciprocity()
                result["seconds"] = round(time.perf_counter() - started, 1)
            except OperationalError as error:  # the statement timeout
                result["seconds"] = round(time.perf_counter() - started, 1)
                result["timed_out"] = True
                result["error"] = str(error).strip().splitlines()[0]
                raise Rollback from None
    except Rollback:
        pass
    return result


def database_as_is() -> tuple[dict, dict]:
    """--as-is: migrate, then measure the data there whatever else it holds (a copy of
    bench/metrics_data.py's database changes roles and adds gives, so the checks of prepare_data and
    prepare_ledger would drop and regenerate it). Its ledger marker must be there."""
    import dataset
    from directory import migrate

    data = {"as_is": True, "migrate_seconds": round(migrate(), 2), "generation": dataset.read_marker()}
    marker = dataset.read_marker(LEDGER_MARKER_TABLE)
    if marker is None:
        raise SystemExit("--as-is needs a database with bench/reciprocity.py's ledger (no bench_reciprocity marker).")
    print(f"Measuring the database as it is: ledger of {marker['gives']:,} gives, receiver {marker['receiver']}.")
    return data, {"generated_now": False, **marker}


def prepare_ledger(args, data: dict) -> dict:
    import dataset
    from django.db import connection

    members_marker = dataset.read_marker() or {}
    ok, why = ledger_present(args, members_marker)
    if ok and not args.reset:
        marker = dataset.read_marker(LEDGER_MARKER_TABLE)
        print(
            f"Ledger present: {marker['gives']:,} gives, receiver {marker['receiver']}, generated "
            f"{marker['generated_at']} in {marker['generation_seconds']['total']:.1f} s (use --reset to rebuild)."
        )
        return {"generated_now": False, **marker}
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit(
            f"Refusing to rebuild the ledger of {connection.settings_dict['NAME']!r}: not a bench database."
        )
    print(f"Generating {args.gives:,} gives ({'--reset' if args.reset else why})…")
    info = generate_ledger(args)
    info["members_generated_at"] = members_marker.get("generated_at")
    info["verification"] = verify_running_totals(info["receiver"])
    dataset.write_marker(info, LEDGER_MARKER_TABLE)
    g = info["generation_seconds"]
    print(
        f"Generated in {g['total']:.1f} s ({', '.join(f'{k} {v:.1f}s' for k, v in g.items() if k != 'total')}); "
        f"synchronize_reciprocity finds nothing to change for {info['verification']['sampled_members']} sampled "
        f"members ({info['verification']['seconds']:.1f} s for them through the ORM)."
    )
    return {"generated_now": True, **info}


# --- Pay it back ------------------------------------------------------------------------------------


def page_cases(receiver) -> tuple[list[Case], dict]:
    from django.urls import reverse

    from members import selectors
    from members.views.reciprocity import OWED_PAGE_SIZE

    owed = selectors.owed_to(receiver).count()
    last = max(1, math.ceil(owed / OWED_PAGE_SIZE))
    base = reverse("pay-it-back")
    pages = {
        "page 1": base,
        "page 2": f"{base}?page=2",
        f"page {last // 2}": f"{base}?page={last // 2}",
        f"page {last} (last)": f"{base}?page={last}",
    }
    variants = list(pages.items())  # every case checks that all pages issue the same queries
    cases = [
        Case(
            "page_1",
            f"Pay it back, page 1 ({owed:,} owed gives, {OWED_PAGE_SIZE} a page)",
            [base],
            variants,
            goal=True,
            expect_results=False,
        ),
        Case("page_2", "Pay it back, ?page=2", [f"{base}?page=2"], variants, goal=True, expect_results=False),
        Case(
            "page_last",
            f"Pay it back, ?page={last} (the last page)",
            [f"{base}?page={last}"],
            variants,
            goal=True,
            expect_results=False,
        ),
    ]
    return cases, {"owed": owed, "pages": last, "page_size": OWED_PAGE_SIZE}


def check_page(client, url: str, expected_items: int) -> None:
    response = client.get(url, secure=True)
    items = response.content.count(b'<li class="owed')
    if response.status_code != 200 or items != expected_items:
        raise SystemExit(
            f"FAIL GET {url}: status {response.status_code}, {items} owed gives listed, {expected_items} expected."
        )


def run_pages(args, receiver) -> tuple[dict, dict]:
    from django.test import Client

    client = Client()
    client.force_login(receiver)
    cases, parameters = page_cases(receiver)
    owed, size, last = parameters["owed"], parameters["page_size"], parameters["pages"]
    for case in cases:
        url = case.timed[0]
        page = int(url.rsplit("=", 1)[1]) if "=" in url else 1
        check_page(client, url, min(size, owed - (page - 1) * size))
    print(
        f"Pay it back as {receiver.username}: {owed:,} owed gives, {last} pages; "
        f"{args.warmup} warm-up + {args.requests} timed requests a case…"
    )
    results = {}
    for case in cases:
        measure(case, client, args.requests, args.warmup)
        result = summary(case)
        result["meets_goal"] = result["median_ms"] < GOAL_PAGE_MEDIAN_MS and result["queries_constant"]
        results[case.name] = result
        print(f"  {case.name:<10} median {result['median_ms']:.1f} ms")
    return results, parameters


# --- record_give throughput ---------------------------------------------------------------------------


def endorse_triples(n: int, rng: random.Random, exclude: set[int]) -> list[tuple[int, int, int]]:
    """n fresh (endorser, endorsee, skill) triples: the endorsee lists the skill, nobody endorses
    themselves, and none was endorsed before (so every run records new gives)."""
    from django.db import connection

    from members.models import Endorsement, Member

    active = [pk for pk in Member.objects.filter(is_active=True).values_list("pk", flat=True) if pk not in exclude]
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [rng.random() * 2 - 1])
        cursor.execute(
            """SELECT ms.member_id, ms.skill_id FROM members_memberskill ms
               JOIN members_member m ON m.id = ms.member_id AND m.is_active
               ORDER BY random() LIMIT %s""",
            [2 * n],
        )
        candidates = [(member, skill) for member, skill in cursor.fetchall() if member not in exclude]
    triples = []
    for endorsee, skill in candidates:
        endorser = rng.choice(active)
        if endorser != endorsee:
            triples.append((endorser, endorsee, skill))
    existing = set(
        Endorsement.objects.filter(endorsee_id__in={e for _, e, _ in triples}).values_list(
            "endorser_id", "endorsee_id", "skill_id"
        )
    )
    fresh = list(dict.fromkeys(t for t in triples if t not in existing))
    if len(fresh) < n:
        raise SystemExit(f"Only {len(fresh)} fresh endorsements found for {n} calls.")
    return fresh[:n]


def throughput_calls(mode: str, n: int, receiver_pk: int, *, subject_start: int | None = None):
    """n fresh calls for a mode, as (call, triples). mode "endorse": services.endorse (an Endorsement
    row, then record_give) per call, the service a request calls. mode "record_give": record_give
    directly with synthetic subjects (an unsaved Endorsement given a fresh id from subject_start, by
    default past the highest from DIRECT_SUBJECT_BASE up), the ledger's own cost."""
    from django.db import transaction
    from django.db.models import Max

    from members import services
    from members.models import Endorsement, Give, Member, Skill

    rng = random.Random()  # fresh triples every run
    triples = endorse_triples(n, rng, exclude={receiver_pk})
    members = Member.objects.in_bulk({pk for t in triples for pk in t[:2]})
    skills = Skill.objects.in_bulk({t[2] for t in triples})
    next_subject = [subject_start or 0]
    if mode == "record_give" and subject_start is None:
        next_subject[0] = (
            Give.objects.filter(subject_id__gte=DIRECT_SUBJECT_BASE).aggregate(m=Max("subject_id"))["m"]
            or DIRECT_SUBJECT_BASE
        )

    def call(triple) -> None:
        endorser, endorsee, skill = members[triple[0]], members[triple[1]], skills[triple[2]]
        if mode == "endorse":
            services.endorse(endorser=endorser, endorsee=endorsee, skill=skill)
        else:
            next_subject[0] += 1
            subject = Endorsement(pk=next_subject[0], endorser=endorser, endorsee=endorsee, skill=skill)
            with transaction.atomic():  # its own transaction, as the request's would be
                services.record_give(giver=endorser, receiver=endorsee, kind=Give.Kind.ENDORSEMENT, subject=subject)

    return call, triples


def timed_calls(call, triples) -> tuple[list[float], int, float]:
    """One call after another, each its own transaction (commit included): (ms per call, failures,
    seconds in all)."""
    from members.errors import ReciprocityError

    failures = 0
    samples = []
    started = time.perf_counter()
    for triple in triples:
        t = time.perf_counter_ns()
        try:
            call(triple)
        except ReciprocityError:  # a triple another process endorsed meanwhile
            failures += 1
        samples.append((time.perf_counter_ns() - t) / 1e6)
    return samples, failures, time.perf_counter() - started


def run_throughput(args, receiver_pk: int, mode: str) -> dict:
    """Throughput of one mode in this process (see throughput_calls), with the queries per call and
    where the time goes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    capture, breakdown_runs = 20, 20
    call, triples = throughput_calls(mode, args.throughput + capture + breakdown_runs, receiver_pk)

    # Queries per call (after one warm-up call, which may fill caches such as ContentType's).
    call(triples[0])
    counts, examples = [], {}
    for triple in triples[1:capture]:
        with CaptureQueriesContext(connection) as captured:
            call(triple)
        counts.append(len(captured))
        examples.setdefault(len(captured), [q["sql"] for q in captured.captured_queries])
    usual = statistics.mode(counts)
    example = examples[usual]

    samples, failures, elapsed = timed_calls(call, triples[capture : capture + args.throughput])

    # Where the time goes, over a few more calls: each statement (execute wrapper), the COMMIT, the
    # on-commit hooks (handing the realtime event to the event loop that delivers it) and the whole call.
    runs: list[list[tuple[float, str]]] = []
    parts: dict[str, list[float]] = {"call": [], "statements": [], "commit": [], "on_commit_hooks": []}

    def timed(name, method):
        def wrapper(*a, **kw):
            t0 = time.perf_counter_ns()
            try:
                return method(*a, **kw)
            finally:
                parts[name][-1] += (time.perf_counter_ns() - t0) / 1e6

        return wrapper

    connection._commit = timed("commit", connection._commit)
    connection.run_and_clear_commit_hooks = timed("on_commit_hooks", connection.run_and_clear_commit_hooks)
    for triple in triples[capture + args.throughput :]:
        run = []
        parts["commit"].append(0.0)
        parts["on_commit_hooks"].append(0.0)

        def timed_execute(execute, sql, params, many, context, run=run):
            t0 = time.perf_counter_ns()
            try:
                return execute(sql, params, many, context)
            finally:
                run.append(((time.perf_counter_ns() - t0) / 1e6, sql))

        t_call = time.perf_counter_ns()
        with connection.execute_wrapper(timed_execute):
            call(triple)
        parts["call"].append((time.perf_counter_ns() - t_call) / 1e6)
        parts["statements"].append(sum(ms for ms, _ in run))
        runs.append(run)
    del connection._commit, connection.run_and_clear_commit_hooks  # back to the class's methods
    time_split = {name: round(statistics.median(values), 3) for name, values in parts.items()}
    time_split["python_and_driver"] = round(
        time_split["call"] - time_split["statements"] - time_split["commit"] - time_split["on_commit_hooks"], 3
    )
    # Statement by statement, over the calls that issued the usual statements.
    length = statistics.mode(len(run) for run in runs)
    usual_runs = [run for run in runs if len(run) == length]
    statements = [
        {"median_ms": round(statistics.median(run[i][0] for run in usual_runs), 3), "sql": usual_runs[0][i][1]}
        for i in range(length)
    ]
    rate = len(samples) / elapsed
    return {
        "mode": mode,
        "calls": len(samples),
        "failures": failures,
        "seconds": round(elapsed, 2),
        "gives_per_second": round(rate, 1),
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        # As CaptureQueriesContext counts them, BEGIN and COMMIT included; the usual count (a call
        # that returns an earlier give or closes a ring issues one or two more).
        "queries_per_call": usual,
        "sql_statements_per_call": sum(1 for q in example if q not in ("BEGIN", "COMMIT") and "SAVEPOINT" not in q),
        "time_split_ms": time_split,
        "queries_constant": len(set(counts)) == 1,
        "query_counts_seen": {n: counts.count(n) for n in sorted(set(counts))},
        "meets_goal": rate >= GOAL_GIVES_PER_SECOND,
        "statements": statements,
        "example_queries": example,
    }


def run_parallel_throughput(args, receiver_pk: int, mode: str, processes: int) -> dict:
    """Throughput of one mode in `processes` processes at once (each `--throughput` calls, as
    run_throughput's timed part; this process waits): each worker is this script with --worker-mode,
    prepares its calls and warms up, says it is ready, and starts when all are. Gives per second =
    all calls / (last worker's end - first worker's start)."""
    import subprocess

    from django.db.models import Max

    from members.models import Give

    subject_start = (
        Give.objects.filter(subject_id__gte=DIRECT_SUBJECT_BASE).aggregate(m=Max("subject_id"))["m"]
        or DIRECT_SUBJECT_BASE
    )
    command = [sys.executable, str(Path(__file__).resolve()), "--database-url", args.database_url]
    if args.redis_url:
        command += ["--redis-url", args.redis_url]
    workers = [
        subprocess.Popen(
            [
                *command,
                "--throughput", str(args.throughput),
                "--worker-mode", mode,
                "--worker-exclude", str(receiver_pk),
                "--worker-subject-start", str(subject_start + (index + 1) * WORKER_SUBJECTS),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for index in range(processes)
    ]
    for worker in workers:
        line = worker.stdout.readline()
        if line.strip() != "ready":
            raise SystemExit(f"A throughput worker did not start: {line!r}")
    for worker in workers:  # all ready: go
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = []
    for worker in workers:
        out, _ = worker.communicate()
        if worker.returncode != 0:
            raise SystemExit(f"A throughput worker failed (exit {worker.returncode}).")
        results.append(json.loads(out.strip().splitlines()[-1]))
    seconds = max(r["finished"] for r in results) - min(r["started"] for r in results)
    calls = sum(r["calls"] for r in results)
    samples = [ms for r in results for ms in r["samples_ms"]]
    rate = calls / seconds
    return {
        "mode": mode,
        "processes": processes,
        "calls": calls,
        "failures": sum(r["failures"] for r in results),
        "seconds": round(seconds, 2),
        "gives_per_second": round(rate, 1),
        "per_process_gives_per_second": [round(r["calls"] / r["seconds"], 1) for r in results],
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "meets_goal": rate >= GOAL_GIVES_PER_SECOND_PER_PROCESS_PAIR * processes / 2,
    }


def run_worker(args) -> int:
    """One process of run_parallel_throughput: prepare, say "ready", wait for "go", time the calls,
    print the result as one JSON line."""
    call, triples = throughput_calls(
        args.worker_mode, args.throughput + 1, args.worker_exclude, subject_start=args.worker_subject_start
    )
    call(triples[0])  # warm-up (ContentType's cache, the connection)
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 1
    started = time.time()
    samples, failures, elapsed = timed_calls(call, triples[1:])
    finished = time.time()
    print(
        json.dumps(
            {
                "calls": len(samples),
                "failures": failures,
                "started": started,
                "finished": finished,
                "seconds": elapsed,
                "samples_ms": samples,
            }
        ),
        flush=True,
    )
    return 0


# --- reporting ------------------------------------------------------------------------------------------


def print_results(pages: dict, throughput: dict) -> None:
    if pages:
        header = f"{'Pay it back':<12} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'constant':>9} {'goal <30ms':>11}"
        print()
        print(header)
        print("-" * len(header))
        for name, r in pages.items():
            constant = (
                "yes"
                if r["queries_constant"]
                else "NO " + "/".join(map(str, sorted(set(r["query_counts_by_variant"].values()))))
            )
            print(
                f"{name:<12} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f} {r['sql_ms_median']:>7.1f} "
                f"{r['queries_per_request']:>8} {constant:>9} {'ok' if r['meets_goal'] else 'MISS':>11}"
            )
        for name, r in pages.items():
            slowest = max(r["sql"], key=lambda q: q["ms"]) if r["sql"] else None
            if slowest:
                print(f"  {name:<10} slowest SQL {slowest['ms']:.1f} ms: {slowest['sql'][:140]}…")
    if throughput:
        header = f"{'record_give':<12} {'gives/s':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'constant':>9} {'goal >=500/s':>13}"
        print()
        print(header)
        print("-" * len(header))
        for name, r in throughput.items():
            parallel = "processes" in r  # no query capture there: see the single-process run
            print(
                f"{name:<12} {r['gives_per_second']:>8.0f} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f} "
                f"{'' if parallel else r['queries_per_call']:>8} "
                f"{'' if parallel else 'yes' if r['queries_constant'] else 'NO':>9} "
                f"{'ok' if r['meets_goal'] else 'MISS':>13}"
                + (f"  (>= {GOAL_GIVES_PER_SECOND_PER_PROCESS_PAIR * r['processes'] / 2:.0f}/s; per process "
                   f"{', '.join(f'{x:.0f}' for x in r['per_process_gives_per_second'])})" if parallel else "")
            )  # fmt: skip
        for name, r in throughput.items():
            if "processes" in r:
                continue
            split = ", ".join(f"{k} {v:.2f}" for k, v in r["time_split_ms"].items())
            print(
                f"\n  {name}: {r['sql_statements_per_call']} SQL statements a call (+ BEGIN, COMMIT, savepoints); "
                f"median ms: {split}"
            )
            for s in r["statements"]:
                print(f"    {s['median_ms']:>7.3f}  {' '.join(s['sql'].split())[:150]}")
    print()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gives", type=int, default=5_000_000, help="gives in the ledger (default 5000000)")
    parser.add_argument("--receiver-gives", type=int, default=10_000, help="gives the bench receiver received (10000)")
    parser.add_argument("--receiver-owed", type=int, default=2_000, help="of which still owed (2000)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page case (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page case first (default 20)")
    parser.add_argument("--throughput", type=int, default=2_000, help="timed record_give calls per mode (default 2000)")
    parser.add_argument(
        "--modes",
        nargs="+",
        choices=["endorse", "record_give"],
        default=["endorse", "record_give"],
        help="throughput through services.endorse and/or record_give directly (default both)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1],
        help="run each throughput mode in this many processes at once; several values, several runs "
        "(default 1; e.g. --processes 1 2)",
    )
    parser.add_argument(
        "--members",
        type=int,
        default=MEMBERS,
        help=f"members of the community (default {MEMBERS:,}, bench/directory.py's; smaller for a quick run)",
    )
    # A worker of a parallel throughput run (run_parallel_throughput starts them).
    parser.add_argument("--worker-mode", choices=["endorse", "record_give"], help=argparse.SUPPRESS)
    parser.add_argument("--worker-exclude", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker-subject-start", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["pages", "throughput"], help="run only one part")
    parser.add_argument(
        "--redis-url",
        default="",
        help="use the Redis channel layer (and cache) at this URL, as production does, e.g. "
        "redis://127.0.0.1:6379/15; default: the in-memory channel layer",
    )
    parser.add_argument("--reset", action="store_true", help="rebuild the gives (the members are kept)")
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="migrate and measure the database as it is, never regenerate (e.g. a copy of bench/metrics_data.py's)",
    )
    parser.add_argument(
        "--time-synchronize",
        action="store_true",
        help="also time services.synchronize_reciprocity() over all members (rolled back)",
    )
    parser.add_argument("--synchronize-timeout", type=int, default=1800, help="its statement timeout, s (1800)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="bench database (default $BENCH_DATABASE_URL or %(default)s)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "reciprocity.json", help="results JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    if (
        args.gives < args.receiver_gives
        or args.receiver_owed > args.receiver_gives
        or args.requests < 1
        or args.throughput < 1
        or min(args.processes) < 1
    ):
        parser.error(
            "need --gives >= --receiver-gives >= --receiver-owed, --requests >= 1, --throughput >= 1, --processes >= 1"
        )
    return args


def main() -> int:
    args = parse_args()
    configure_environment(args.database_url)
    # The channel layer record_give sends its realtime event through: in-memory unless --redis-url
    # (an ambient REDIS_URL is ignored, so that runs compare), under a prefix of the benchmark's own.
    os.environ.pop("REDIS_URL", None)
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
        os.environ["CHANNEL_PREFIX"] = os.environ["CACHE_PREFIX"] = "mutua-bench"
    ensure_database(args.database_url)

    import django

    django.setup()
    if args.worker_mode:
        return run_worker(args)

    from django.conf import settings
    from django.test.utils import override_settings

    from members.models import Give, Member

    # The community itself: exactly as bench/directory.py makes it (never --reset from here).
    if args.as_is:
        data, ledger = database_as_is()
    else:
        data = prepare_data(Namespace(members=args.members, reset=False, database_url=args.database_url))
        ledger = prepare_ledger(args, data)
    receiver = Member.objects.get(username=ledger["receiver"])

    synchronize = None
    if args.time_synchronize:
        print(
            f"Timing services.synchronize_reciprocity() over all members (rolled back, timeout {args.synchronize_timeout} s)…"
        )
        synchronize = time_synchronize(args.synchronize_timeout)
        print(f"  {synchronize}")

    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()

    load = os.getloadavg()[0]
    pages, parameters = {}, {}
    if args.only in (None, "pages"):
        pages, parameters = run_pages(args, receiver)
    throughput = {}
    if args.only in (None, "throughput"):
        layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
        for processes in args.processes:
            for mode in args.modes:
                if processes == 1:
                    print(f"record_give throughput via {mode}: {args.throughput:,} calls, each its own transaction ({layer})…")
                    throughput[mode] = run_throughput(args, receiver.pk, mode)
                    print(f"  {throughput[mode]['gives_per_second']:.0f} gives/s")
                else:
                    name = f"{mode} x{processes}"
                    print(f"record_give throughput via {mode} in {processes} processes: {args.throughput:,} calls each ({layer})…")
                    throughput[name] = run_parallel_throughput(args, receiver.pk, mode, processes)
                    print(f"  {throughput[name]['gives_per_second']:.0f} gives/s ({throughput[name]['per_process_gives_per_second']})")

    report = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "database": _safe_url(args.database_url),
        "members": args.members,
        "gives_in_table": Give.objects.count(),
        "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
        "goals": {
            "pay_it_back_median_ms": GOAL_PAGE_MEDIAN_MS,
            "queries": "constant across pages",
            "record_give_gives_per_second": GOAL_GIVES_PER_SECOND,
            "record_give_gives_per_second_two_processes": GOAL_GIVES_PER_SECOND_PER_PROCESS_PAIR,
        },
        "data": data,
        "ledger": ledger,
        "synchronize_reciprocity": synchronize,
        "pay_it_back": {"parameters": parameters, "cases": pages},
        "record_give": throughput,
        "environment": {**environment_facts(), "load_average_at_start": round(load, 2)},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print_results(pages, throughput)
    print(f"Results written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    missed = [n for n, r in {**pages, **throughput}.items() if not r["meets_goal"]]
    if missed:
        print(f"Goal missed: {', '.join(missed)}")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
