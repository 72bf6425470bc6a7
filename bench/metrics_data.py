#!/usr/bin/env python
"""The metrics benchmark's community: 100,000 members, 1,000,000 posts and 5,000,000 gives over two
years with growth, in one PostgreSQL database (default `mutua_bench`).

    .venv/bin/python bench/metrics_data.py                 # generate what is missing, then mark complete
    .venv/bin/python bench/metrics_data.py --database-url postgres://postgres@127.0.0.1:5432/mutua_bench

It composes the other generators (see bench/README.md): bench/dataset.py's members, bench/forums.py's
forums (1,000,000 posts over the 100,000 members) and bench/reciprocity.py's ledger (5,000,000 gives),
in that order (the forum generator empties the ledger). Their timestamps go through a growth curve
(`grown`: uniform draws over the two years become a density that grows by GROWTH over them), so that
recent months hold more activity than old ones. Then set-based SQL adds what the metrics read and the
others do not make: verified e-mail addresses, members' join dates over the two years (the same
curve), a few staff (sponsors, managers, moderators), the accepted-answer gives of answered
questions, and visits (one row per member per day). VACUUM ANALYZE, then a `bench_complete` row:
other benchmarks copy the database with `createdb -T mutua_bench` once that row exists, so nothing
changes it afterwards (this script refuses to run on a database that has it).

BENCH-ONLY EXCEPTION, as in the generators it composes: tables are written directly, not through
the services.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from argparse import Namespace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mutua_bench"
SPAN_DAYS = 730
GROWTH = 8.0  # activity in the last days is ~8 times that of the first (doubling every ~8 months)
VISIT_SHARE = 0.04  # of the members who have joined, this share visits on a given day
STAFF = {"sponsor": 5, "community manager": 5, "moderator": 12}  # community.roles.Role values
METRICS_MARKER_TABLE = "bench_metrics"


def grown_curve(now: float):
    """A monotonic map of [now - SPAN, now] onto itself whose image of uniform draws has a density
    growing exponentially (by GROWTH over the span); identity outside."""
    span = SPAN_DAYS * 86400.0
    start = now - span
    k = math.log(GROWTH)

    def grown(epoch: float) -> float:
        u = (epoch - start) / span
        if u <= 0 or u >= 1:
            return epoch
        return start + span * math.log1p(u * (GROWTH - 1)) / k

    return grown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--gives", type=int, default=5_000_000)
    parser.add_argument(
        "--extras-only", action="store_true",
        help="only the steps after the generators (resuming a run that stopped there: the generators' own "
        "checks would see the staff roles given here as a different community and rebuild it)",
    )
    args = parser.parse_args()

    import directory

    directory.configure_environment(args.database_url)
    import django

    django.setup()
    import importlib.util

    import dataset
    import reciprocity
    from django.db import connection

    # bench/forums.py, not the forums app (which the project directory on sys.path shadows it with).
    spec = importlib.util.spec_from_file_location("bench_forums", Path(__file__).resolve().parent / "forums.py")
    forums = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(forums)

    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("Only a database whose name contains 'bench' is generated.")
    directory.ensure_database(args.database_url)
    if "bench_complete" in connection.introspection.table_names():
        raise SystemExit("This database is marked complete (bench_complete): it is not changed any more.")

    started = time.perf_counter()
    timings: dict[str, float] = {}
    now = time.time()
    grown = grown_curve(now)
    # Every timestamp the forum and ledger generators write goes through their _ts: bend it there.
    for module in (forums, reciprocity):
        plain = module._ts
        module._ts = lambda epoch, plain=plain: plain(grown(epoch))

    t = time.perf_counter()
    data = None if args.extras_only else directory.prepare_data(Namespace(members=args.members, reset=False, database_url=args.database_url))
    timings["members"] = time.perf_counter() - t

    if not args.extras_only:
        t = time.perf_counter()
        forums.prepare_forums(Namespace(posts=args.posts, long_thread=500, reset=False, members=args.members))
        timings["forums"] = time.perf_counter() - t

        t = time.perf_counter()
        reciprocity.prepare_ledger(
            Namespace(gives=args.gives, receiver_gives=10_000, receiver_owed=2_000, reset=False), data
        )
        timings["gives"] = time.perf_counter() - t

    t = time.perf_counter()
    with connection.cursor() as cursor:
        extras(cursor, now=now)
    timings["metrics_extras"] = time.perf_counter() - t

    t = time.perf_counter()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["vacuum_analyze"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    dataset.write_marker(
        {**(dataset.read_marker(METRICS_MARKER_TABLE) or {}), "span_days": SPAN_DAYS, "growth": GROWTH,
         "seconds": {k: round(v, 1) for k, v in timings.items()}},
        METRICS_MARKER_TABLE,
    )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_complete (at timestamptz DEFAULT now())")
        cursor.execute("INSERT INTO bench_complete DEFAULT VALUES")
    print("Generated in " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    return 0


def extras(cursor, *, now: float) -> None:
    """What the metrics read beyond the other generators' data, in set-based SQL."""
    import dataset

    span = f"{SPAN_DAYS} days"
    log = print
    done = dataset.read_marker(METRICS_MARKER_TABLE) or {}
    steps = set(done.get("extras", []))

    def step(name):
        steps.add(name)
        dataset.write_marker({**done, "extras": sorted(steps)}, METRICS_MARKER_TABLE)

    if "joins" not in steps:
        _joins_and_staff(cursor, now=now, span=span, log=log)
        step("joins")
    if "accepted_answers" not in steps:
        _accepted_answers(cursor, log=log)
        step("accepted_answers")
    if "visits" not in steps:
        _visits(cursor, now=now, span=span, log=log)
        step("visits")


def _joins_and_staff(cursor, *, now, span, log) -> None:
    import dataset
    # Joins over the two years on the same growth curve, by the generated order of date_joined
    # (6 years there): u uniform in [0, 1) -> start + span * ln(1 + u (G - 1)) / ln G.
    cursor.execute(
        f"""
        WITH ranked AS (
            SELECT id, (rank() OVER (ORDER BY date_joined, id) - 1)::float / count(*) OVER () AS u
            FROM members_member
        )
        UPDATE members_member m
        SET date_joined = to_timestamp(%s) - interval '{span}'
                          + interval '{span}' * (ln(1 + ranked.u * (%s - 1)) / ln(%s))
        FROM ranked WHERE ranked.id = m.id
        """,
        [now, GROWTH, GROWTH],
    )
    log(f"  join dates spread over {span} for {cursor.rowcount:,} members")
    cursor.execute(
        """
        INSERT INTO account_emailaddress (user_id, email, verified, "primary")
        SELECT id, email, true, true FROM members_member m
        WHERE NOT EXISTS (SELECT 1 FROM account_emailaddress e WHERE e.user_id = m.id)
        """
    )
    log(f"  {cursor.rowcount:,} verified addresses")
    # The forum generator dates a thread with the unbent time of its first post: align them.
    cursor.execute(
        "UPDATE forums_thread t SET created = p.created FROM forums_post p WHERE p.thread_id = t.id AND p.number = 1"
    )
    # A few staff: members whose role is not "member" (metrics leave them out by default).
    offset = 100
    for role, count in STAFF.items():
        cursor.execute(
            """
            WITH chosen AS (
                SELECT id FROM members_member WHERE is_active AND username <> %s ORDER BY id OFFSET %s LIMIT %s
            ), removed AS (
                DELETE FROM members_member_groups mg USING chosen, auth_group g
                WHERE mg.member_id = chosen.id AND mg.group_id = g.id AND g.name = 'member'
            )
            INSERT INTO members_member_groups (member_id, group_id)
            SELECT chosen.id, g.id FROM chosen, auth_group g WHERE g.name = %s
            """,
            [dataset.VIEWER_HANDLE, offset, count, role],
        )
        offset += count
    cursor.execute("UPDATE members_member SET is_staff = true WHERE id IN (SELECT member_id FROM members_member_groups"
                   " mg JOIN auth_group g ON g.id = mg.group_id WHERE g.name = 'community manager')")


def _accepted_answers(cursor, *, log) -> None:
    # The accepted answers' gives (forums.services.accept_answer records one; the forum generator
    # only sets the thread's accepted_answer): at a few hours after the answer.
    cursor.execute(
        """
        INSERT INTO members_give (giver_id, receiver_id, kind, subject_type_id, subject_id, created, weight, flags,
                                  acknowledgement, acknowledged_at, thank_message)
        SELECT t.author_id, p.author_id, 'accepted_answer', ct.id, p.id,
               LEAST(p.created + interval '1 hour' * (1 + (p.id %% 48)), now()), 1.0, '[]', '', NULL, ''
        FROM forums_thread t JOIN forums_post p ON p.id = t.accepted_answer_id
        CROSS JOIN django_content_type ct
        WHERE ct.app_label = 'forums' AND ct.model = 'post' AND t.author_id <> p.author_id
        """,
        [],  # with parameters, so that %% is the modulo operator
    )
    log(f"  {cursor.rowcount:,} accepted-answer gives")
    import reciprocity

    cursor.execute(reciprocity.RUNNING_TOTALS_REBUILD)  # the receivers' and givers' totals count them
    log(f"  running totals corrected for {cursor.rowcount:,} members")


def _visits(cursor, *, now, span, log) -> None:
    # Visits: each day, VISIT_SHARE of the members who had joined by then (deterministic draw).
    cursor.execute("ALTER TABLE metrics_visit DROP CONSTRAINT IF EXISTS visit_once_a_day")
    cursor.execute("DROP INDEX IF EXISTS visit_day_idx")
    cursor.execute(
        f"""
        INSERT INTO metrics_visit (member_id, day)
        SELECT m.id, d.day::date
        FROM generate_series((to_timestamp(%s) - interval '{span}')::date, to_timestamp(%s)::date, interval '1 day')
             AS d(day)
        JOIN members_member m ON m.date_joined::date <= d.day::date
        WHERE m.is_active AND ((hashtextextended(m.id::text || d.day::text, 7) & 65535) < %s)
        """,
        [now, now, int(VISIT_SHARE * 65536)],
    )
    log(f"  {cursor.rowcount:,} visits")
    cursor.execute("ALTER TABLE metrics_visit ADD CONSTRAINT visit_once_a_day UNIQUE (member_id, day)")
    cursor.execute("CREATE INDEX visit_day_idx ON metrics_visit (day)")


if __name__ == "__main__":
    sys.exit(main())
