#!/usr/bin/env python
"""Forums benchmark: thread pages and group lists with 1,000,000 posts, and live posts to 1,000 sockets.

    .venv/bin/python bench/forums.py                    # generate once, then measure pages and sockets
    .venv/bin/python bench/forums.py --only pages       # the page cases only
    .venv/bin/python bench/forums.py --only sockets --clients 1000 --rounds 20 --daphne 1 2
    .venv/bin/python bench/forums.py --reset            # rebuild the forum data (the members are kept)

Its own database (default postgres://postgres@127.0.0.1:5432/mutua_bench_forums; --database-url or
BENCH_FORUMS_DATABASE_URL; an ambient DATABASE_URL is ignored), holding --members bench members from
bench/dataset.py (generated when missing, as bench/directory.py would) and, on top, ~30 groups with
memberships, ~45,000 threads and --posts posts (one thread of exactly --long-thread posts), reactions
and read markers, written with COPY (a bench-only exception) and their denormalised counters set with
SQL UPDATEs. Generated once and reused (marker table bench_forums); --reset rebuilds it.

Pages (test Client in-process, as bench/directory.py's `measure`): the 500-post thread's first, middle
and last page, /forums/ and the biggest group's thread list; median, p95, queries per request (the same
on every page). Goal: median under 40 ms for the thread pages and the group list.

Sockets (bench/forums_sockets.py): Daphne subprocesses on the Redis channel layer, --clients
authenticated WebSocket clients on one thread, a reply POSTed to Daphne --rounds times; time from the
submit to the last client's receipt. Goal: every client receives every post, no failed handshake,
median under 400 ms.
Results: a table on stdout and bench/results/forums.json.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import sys
import time
from argparse import Namespace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory import (  # noqa: E402  the same database handling, settings and measuring
    RESULTS_DIR,
    ROOT,
    Case,
    _safe_url,
    configure_environment,
    ensure_database,
    environment_facts,
    measure,
    prepare_data,
    summary,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mutua_bench_forums"
GOAL_PAGE_MEDIAN_MS = 40.0
GOAL_DELIVERY_MEDIAN_MS = 400.0

# Bump when the generator changes what it makes: forum data of another version is rebuilt.
FORUMS_VERSION = 1
FORUMS_MARKER_TABLE = "bench_forums"
FORUMS_SEED = 20260303
SPAN = timedelta(days=730)
BODY_POOL = 600  # distinct Markdown bodies, each rendered once with forums.markup
LIVE_THREAD_POSTS = 40  # the thread the socket benchmark replies to (it grows by a post a round)
POSTER_POOL = 12  # members who reply in the socket benchmark (trust granted: no rate limit is hit)
CHUNK_ROWS = 200_000

GROUP_NAMES = [
    "Career changes", "Mentoring circles", "Open source maintainers", "Remote work", "Data and analytics",
    "Design systems", "Accessibility", "Product management", "Engineering leadership", "Climate tech",
    "Freelancing", "Public speaking", "Job search", "Research methods", "Non-profit tech",
    "Learning to code", "Writing and documentation", "Hiring and interviewing", "Community organising",
    "Security and privacy", "Infrastructure", "Mobile development", "Frontend craft", "Founders' corner",
    "Teaching and training", "Health tech", "Parents in tech", "Side projects", "Local meetups", "Book club",
]  # fmt: skip
PRIVATE_GROUPS = {7, 15, 23, 29}  # indexes: private, invitation only
REQUEST_GROUPS = {4, 11, 19}  # members-only, request to join
VIEWER_GROUPS = (0, 1, 2, 3, 5, 7)  # the measuring member is an active member of these (7 is private)
VIEWER_REQUESTED = 4
LONG_GROUP, LIVE_GROUP = 0, 2  # the 500-post thread in the biggest group; the live thread elsewhere


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=20_000, help="bench members (default 20000)")
    parser.add_argument("--posts", type=int, default=1_000_000, help="posts in the forums (default 1000000)")
    parser.add_argument("--long-thread", type=int, default=500, help="posts in the measured thread (default 500)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page case (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page case first (default 20)")
    parser.add_argument("--clients", type=int, default=1000, help="WebSocket clients on the live thread (1000)")
    parser.add_argument("--rounds", type=int, default=20, help="replies timed per Daphne configuration (20)")
    parser.add_argument(
        "--daphne", type=int, nargs="+", default=[1, 2], help="Daphne process counts to try, e.g. 1 2 (default)"
    )
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/0", help="Redis for the channel layer (default %(default)s)"
    )
    parser.add_argument(
        "--redis-socket-timeout",
        type=float,
        default=None,
        help="append ?socket_timeout=S to the Daphne processes' REDIS_URL (default: as the app configures it, "
        "i.e. redis-py's default of 5 s, which equals channels-redis's 5 s BZPOPMIN; see bench/README.md)",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="CONN_MAX_AGE for the Daphne processes (default: the app's default, 0)",
    )
    parser.add_argument("--only", choices=["pages", "sockets"], help="run only one part")
    parser.add_argument("--reset", action="store_true", help="rebuild the forum data (the members are kept)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_FORUMS_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="bench database (default $BENCH_FORUMS_DATABASE_URL or %(default)s)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "forums.json", help="results JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    if args.posts < args.long_thread + LIVE_THREAD_POSTS + 1000 or args.long_thread < 41 or args.members < 2000:
        parser.error("need --posts >= --long-thread + 1040, --long-thread > 40 and --members >= 2000")
    return args


# --- the forum data ----------------------------------------------------------------------------------


def forums_present(args, members_marker: dict) -> tuple[bool, str]:
    import dataset

    from forums.models import Group, Thread

    marker = dataset.read_marker(FORUMS_MARKER_TABLE)
    if marker is None:
        return False, "no forum data yet"
    expected = {
        "version": FORUMS_VERSION,
        "posts": args.posts,
        "long_thread_posts": args.long_thread,
        "members_generated_at": members_marker.get("generated_at"),
    }
    differing = {k: (marker.get(k), v) for k, v in expected.items() if marker.get(k) != v}
    if differing:
        return False, f"the forum data there differs: {differing}"
    long = Thread.objects.filter(pk=marker["long_thread_id"]).first()
    if long is None or long.post_count != args.long_thread or long.posts.count() != args.long_thread:
        return False, "the long thread is not as generated"
    if Group.objects.count() != len(GROUP_NAMES):
        return False, "the groups are not as generated"
    return True, ""


def _ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def body_pool(rng: random.Random, count: int) -> list[str]:
    """Markdown bodies as members write them: paragraphs, lists, code, quotes, links, emphasis."""
    import vocabulary as v

    def sentence() -> str:
        skill, skill2 = rng.sample(v.SKILLS, 2)
        thing, outcome, audience = rng.choice(v.THINGS), rng.choice(v.OUTCOMES), rng.choice(v.AUDIENCES)
        adjective, interest = rng.choice(v.ADJECTIVES), rng.choice(v.INTERESTS)
        return rng.choice(
            [
                f"We tried {skill} for {thing} last quarter and it made things {adjective}.",
                f"Has anyone used **{skill}** with {audience}? I am looking for {outcome}.",
                f"In my experience {skill} and {skill2} work well together, but only once {thing} is under control.",
                f"I would start small: one team, one problem ({thing}), and measure {outcome} after a month.",
                f"The hardest part was not {skill} itself but getting {audience} to trust the process.",
                f"Thanks for sharing this. It matches what we saw with {interest}.",
                f"My take: make {thing} *{adjective}* first, then worry about {skill2}.",
                f"We wrote up what worked for {audience}; happy to compare notes on {outcome}.",
                f"Agree with most of this, although {skill} was overkill for us.",
                f"A mentor once told me that {outcome} come from boring, {adjective} habits.",
            ]
        )

    bodies = []
    for _ in range(count):
        parts = []
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            parts.append(" ".join(sentence() for _ in range(rng.randint(1, 4))))
        x = rng.random()
        if x < 0.15:
            parts.append("\n".join(f"- {sentence()}" for _ in range(rng.randint(2, 5))))
        elif x < 0.22:
            parts.append("```\n" + "\n".join(f"step_{i} = run('{rng.choice(v.SKILLS)}')" for i in range(3)) + "\n```")
        elif x < 0.32:
            parts.insert(0, f"> {sentence()}")
        elif x < 0.38:
            slug = rng.choice(v.THINGS).replace(" ", "-")
            parts.append(f"More in [this write-up](https://example.org/notes/{slug}) and https://example.net/{slug}.")
        elif x < 0.42:
            parts.append(f"1. {sentence()}\n2. {sentence()}\n3. `{rng.choice(v.SKILLS).lower()}`")
        bodies.append("\n\n".join(parts))
    return bodies


def title_for(rng: random.Random, kind: str) -> str:
    import vocabulary as v

    skill, skill2 = rng.sample(v.SKILLS, 2)
    thing, audience, adjective = rng.choice(v.THINGS), rng.choice(v.AUDIENCES), rng.choice(v.ADJECTIVES)
    if kind == "question":
        options = [
            f"How do you handle {thing} with {skill}?",
            f"{skill} or {skill2} for {audience}?",
            f"Where do I start with {skill}?",
            f"Any advice on making {thing} {adjective}?",
        ]
    elif kind == "promotion":
        options = [f"We are hiring: {skill} for {audience}", f"Workshop: {adjective} {thing} with {skill}"]
    else:
        options = [
            f"What we learned about {thing} this year",
            f"Show and tell: {adjective} {thing} with {skill}",
            f"{skill} for {audience}: notes from a year of trying",
            f"Let's talk about {thing}",
        ]
    return rng.choice(options)[:160]


def _forum_tables() -> list[str]:
    from django.apps import apps

    return [model._meta.db_table for model in apps.get_app_config("forums").get_models()]


def generate_forums(args, *, log=print) -> dict:
    """TRUNCATE the forum tables and fill them; returns the marker info (with timings).

    BENCH-ONLY EXCEPTION, like bench/dataset.py: the app writes the forums only through
    forums.services (start_thread, reply, react, join_group, mark_read). A million calls would take
    hours, so the benchmark writes the tables with COPY and the denormalised counters with SQL UPDATEs
    (checked afterwards). Bodies are rendered with forums.markup.render once per distinct body."""
    import dataset
    import reciprocity
    from django.db import connection, transaction

    from forums import markup
    from forums.models import Group, GroupMembership, Participant, Post, Reaction, Thread, ThreadRead
    from members.models import Member

    timings: dict[str, float] = {}
    started = time.perf_counter()
    rng = random.Random(FORUMS_SEED)
    now = time.time()
    start = now - SPAN.total_seconds()
    viewer = Member.objects.get(username=dataset.VIEWER_HANDLE)
    member_rows = list(
        Member.objects.filter(is_active=True, email__endswith="@" + dataset.BENCH_DOMAIN)
        .exclude(pk=viewer.pk)
        .order_by("pk")
        .values_list("pk", "date_joined")
    )
    joined = {pk: d.timestamp() for pk, d in member_rows}
    joined[viewer.pk] = viewer.date_joined.timestamp()
    pool = [pk for pk, _ in member_rows]

    # Bodies: drawn once, rendered once each (no @mentions, so the members map is empty).
    t = time.perf_counter()
    bodies = body_pool(rng, BODY_POOL)
    rendered = [markup.render(body, members={}).html for body in bodies]
    body_cols = [(_esc(b), _esc(h)) for b, h in zip(bodies, rendered, strict=True)]
    timings["render_bodies"] = time.perf_counter() - t

    # --- groups and memberships (drawn in Python) ---
    group_created = start - 30 * 86400
    groups = []
    for i, name in enumerate(GROUP_NAMES):
        visibility = "private" if i in PRIVATE_GROUPS else ("public" if i % 3 == 1 else "members")
        policy = "invite" if i in PRIVATE_GROUPS else ("request" if i in REQUEST_GROUPS else "open")
        kind = "peer" if i % 4 == 3 else "topic"
        description = (
            f"{name}: questions, stories and advice from members who work on it every day. "
            "Be kind, be specific, and help the people who helped you."
        )
        groups.append((name, dataset.ascii_slug(name), description, kind, visibility, policy))
    thread_weights = [1 / (rank**0.9) * (0.25 if i in PRIVATE_GROUPS else 1) for i, rank in enumerate(range(1, 31))]
    join_weights = [1 / (rank**0.7) * (0.3 if i in PRIVATE_GROUPS else 1) for i, rank in enumerate(range(1, 31))]
    join_cum = _cumulative(join_weights)
    memberships: dict[tuple[int, int], tuple[str, str, float]] = {}  # (group idx, member) -> status, role, at
    group_members: list[list[int]] = [[] for _ in groups]
    shuffled = list(pool)
    rng.shuffle(shuffled)
    for pk in shuffled:
        k = min(8, 1 + int(rng.expovariate(1 / 1.4)))
        chosen: set[int] = set()
        while len(chosen) < k:
            chosen.add(rng.choices(range(len(groups)), cum_weights=join_cum)[0])
        for g in sorted(chosen):
            status = "requested" if g in REQUEST_GROUPS and rng.random() < 0.03 else "active"
            at = max(group_created, joined[pk]) + rng.random() * 86400 * 30
            memberships[(g, pk)] = (status, "member", min(at, now - 86400))
            if status == "active":
                group_members[g].append(pk)
    if any(len(m) < 5 for m in group_members):
        raise SystemExit("A group drew fewer than 5 members; use more --members.")
    for g in range(len(groups)):  # the first two members of each group moderate it
        for pk in group_members[g][:2]:
            status, _, at = memberships[(g, pk)]
            memberships[(g, pk)] = (status, "moderator", at)
    for g in VIEWER_GROUPS:
        memberships[(g, viewer.pk)] = ("active", "member", start)
        group_members[g].append(viewer.pk)
    memberships[(VIEWER_REQUESTED, viewer.pk)] = ("requested", "member", now - 86400 * 3)
    # The members who reply in the socket benchmark: active members of the live thread's group.
    posters = [pk for pk in group_members[LIVE_GROUP] if pk != viewer.pk][-POSTER_POOL:]

    # --- threads: sizes, groups, authors, times ---
    t = time.perf_counter()
    threads = []  # [group, author, title, kind, pinned, locked, created, [post times]]
    special_posts = args.long_thread + LIVE_THREAD_POSTS
    remaining = args.posts - special_posts
    thread_cum = _cumulative(thread_weights)

    def draw_author(g: int) -> int:
        members_ = group_members[g]
        return members_[int(len(members_) * rng.random() ** 2)]  # a few prolific members, a long tail

    def post_times(created: float, n: int, end: float) -> list[float]:
        return [created] + sorted(created + rng.random() * (end - created) for _ in range(n - 1))

    while remaining > 0:
        n = max(1, min(400, int(rng.lognormvariate(2.55, 1.0)), remaining))
        remaining -= n
        g = rng.choices(range(len(groups)), cum_weights=thread_cum)[0]
        kind = rng.choices(["discussion", "question", "promotion"], [70, 25, 5])[0]
        created = start + rng.random() * (SPAN.total_seconds() - 86400)
        end = min(created + rng.expovariate(1 / (86400 * 3)) * math.sqrt(n) + 600, now - 7200)
        threads.append(
            [g, draw_author(g), title_for(rng, kind), kind, rng.random() < 0.002, rng.random() < 0.01, created,
             post_times(created, n, end)]
        )  # fmt: skip
    long_created = now - 200 * 86400
    threads.append(
        [LONG_GROUP, draw_author(LONG_GROUP), "How do you keep a mentoring circle going for years?", "discussion",
         False, False, long_created, post_times(long_created, args.long_thread, now - 3 * 3600)]
    )  # fmt: skip
    live_created = now - 20 * 86400
    threads.append(
        [LIVE_GROUP, draw_author(LIVE_GROUP), "Live: share what you shipped this week", "discussion",
         False, False, live_created, post_times(live_created, LIVE_THREAD_POSTS, now - 5 * 3600)]
    )  # fmt: skip
    threads.sort(key=lambda row: row[6])  # ids in creation order, as the app would number them
    thread_id = {id(row): i + 1 for i, row in enumerate(threads)}
    long_id = next(thread_id[id(r)] for r in threads if r[2].startswith("How do you keep a mentoring circle"))
    live_id = next(thread_id[id(r)] for r in threads if r[2].startswith("Live: share what you shipped"))

    # --- posts, in time order over the whole forum (a thread's posts lie scattered in the table) ---
    posts = []  # (created, thread idx, number, author)
    for ti, row in enumerate(threads):
        g, thread_author = row[0], row[1]
        for number, created in enumerate(row[7], start=1):
            if number == 1:
                author = thread_author
            elif ti + 1 == long_id and rng.random() < 0.01:
                author = viewer.pk
            elif rng.random() < 0.15:
                author = thread_author
            else:
                author = draw_author(g)
            posts.append((created, ti, number, author))
    posts.sort(key=lambda p: (p[0], p[1], p[2]))
    post_ids: list[list[int]] = [[0] * len(row[7]) for row in threads]
    for pid, (_, ti, number, _) in enumerate(posts, start=1):
        post_ids[ti][number - 1] = pid
    timings["draw"] = time.perf_counter() - t

    post_table, reaction_table, read_table = Post._meta.db_table, Reaction._meta.db_table, ThreadRead._meta.db_table
    counts = {"held": 0, "hidden": 0, "reactions": 0, "replies_to": 0}
    with transaction.atomic():
        t = time.perf_counter()
        with connection.cursor() as cursor:
            tables = ", ".join(_forum_tables())
            # What the socket benchmark's replies added to the members domain goes too (bench db only).
            # CASCADE: content tables (page discussions) reference the forum tables, and TRUNCATE
            # refuses a referenced table otherwise, even when both are empty (a fresh database).
            cursor.execute(f"TRUNCATE {tables}, members_give, members_notification RESTART IDENTITY CASCADE")
            dropped = {}
            for table in (post_table, reaction_table, read_table):
                constraints, indexes = reciprocity._secondary_schema(table)
                dropped[table] = (constraints, indexes)
                for name, _ in constraints:
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _ in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
        timings["truncate"] = time.perf_counter() - t

        t = time.perf_counter()
        gnow = datetime.fromtimestamp(group_created, UTC)
        dataset.copy_rows(
            Group._meta.db_table,
            ["name", "slug", "description", "kind", "visibility", "policy", "contributions_before_promotion",
             "created_by_id", "created", "thread_count", "post_count", "member_count", "last_activity_at"],
            [(*g, 3, None, gnow, 0, 0, 0, None) for g in groups],
        )  # fmt: skip
        dataset.copy_rows(
            GroupMembership._meta.db_table,
            ["group_id", "member_id", "status", "role", "created"],
            (
                (g + 1, pk, status, role, datetime.fromtimestamp(at, UTC))
                for (g, pk), (status, role, at) in sorted(memberships.items())
            ),
        )
        dataset.copy_rows(
            Thread._meta.db_table,
            ["group_id", "author_id", "title", "kind", "pinned", "locked", "created", "last_activity_at",
             "last_poster_id", "post_count", "accepted_answer_id", "awaits_author"],
            (
                (r[0] + 1, r[1], r[2], r[3], r[4], r[5], datetime.fromtimestamp(r[6], UTC),
                 datetime.fromtimestamp(r[6], UTC), r[1], 0, None, False)
                for r in threads
            ),
        )  # fmt: skip
        timings["copy_groups_threads"] = time.perf_counter() - t

        # Posts and their reactions, chunk by chunk; the reaction counters come from the rows drawn.
        t = time.perf_counter()
        post_columns = ["thread_id", "author_id", "number", "body", "html", "reply_to_id", "status", "created",
                        "edited_at", "like_count", "helpful_count", "insightful_count"]  # fmt: skip
        post_copy = f"COPY {post_table} ({', '.join(post_columns)}) FROM STDIN"
        reaction_copy = f"COPY {reaction_table} (post_id, member_id, kind, created) FROM STDIN"
        kinds, kind_cum = ["like", "helpful", "insightful"], _cumulative([70, 20, 10])
        for lo in range(0, len(posts), CHUNK_ROWS):
            pbuf, rbuf = io.StringIO(), io.StringIO()
            pwrite, rwrite = pbuf.write, rbuf.write
            for pid, (created, ti, number, author) in enumerate(posts[lo : lo + CHUNK_ROWS], start=lo + 1):
                row = threads[ti]
                g, tid = row[0], ti + 1
                status = "visible"
                if number > 1 and tid != live_id:
                    x = rng.random()
                    if x < 0.004:
                        status = "held"
                    elif x < 0.006:
                        status = "hidden"
                counts[status] = counts.get(status, 0) + 1
                reply_to = r"\N"
                if number > 2 and rng.random() < 0.12:
                    reply_to = post_ids[ti][rng.randrange(1, number - 1)]
                    counts["replies_to"] += 1
                like = helpful = insightful = 0
                if status != "held":
                    reactors: list[int] = []
                    if rng.random() < 0.25:
                        k = min(len(group_members[g]) - 1, 1 + int(rng.expovariate(1 / 1.2)))
                        reactors = [m for m in rng.sample(group_members[g], k) if m != author and m != viewer.pk]
                    if tid == long_id and author != viewer.pk and rng.random() < 0.15:
                        reactors.append(viewer.pk)
                    for m in reactors:
                        (kind,) = rng.choices(kinds, cum_weights=kind_cum)
                        if kind == "like":
                            like += 1
                        elif kind == "helpful":
                            helpful += 1
                        else:
                            insightful += 1
                        rwrite(f"{pid}\t{m}\t{kind}\t{_ts(min(created + rng.random() * 86400, now - 60))}\n")
                    counts["reactions"] += len(reactors)
                body, html = body_cols[rng.randrange(BODY_POOL)]
                pwrite(
                    f"{tid}\t{author}\t{number}\t{body}\t{html}\t{reply_to}\t{status}\t{_ts(created)}\t\\N\t"
                    f"{like}\t{helpful}\t{insightful}\n"
                )
            pbuf.seek(0)
            rbuf.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(post_copy, pbuf)
                cursor.copy_expert(reaction_copy, rbuf)
            log(f"  {min(lo + CHUNK_ROWS, len(posts)):,} posts copied ({time.perf_counter() - t:.0f} s)")
        timings["copy_posts_reactions"] = time.perf_counter() - t

        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for table in (post_table, reaction_table):
                constraints, indexes = dropped[table]
                for _, definition in indexes:
                    cursor.execute(definition)
                for name, definition in constraints:
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(f"ANALYZE {post_table}")
        timings["post_indexes"] = time.perf_counter() - t

        t = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in COUNTER_UPDATES:
                cursor.execute(statement)
            # Read markers: everyone has read a thread up to their own last post in it; the viewer
            # has read most of the biggest group's recent threads, and the long thread to 480.
            cursor.execute(READS_INSERT)
            constraints, indexes = dropped[read_table]
            for _, definition in indexes:
                cursor.execute(definition)
            for name, definition in constraints:
                cursor.execute(f'ALTER TABLE {read_table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                f"""INSERT INTO {read_table} (member_id, thread_id, last_read_number)
                    SELECT %s, id, greatest(1, post_count - (id %% 4)) FROM forums_thread
                    WHERE group_id = %s ORDER BY last_activity_at DESC LIMIT 200
                    ON CONFLICT (member_id, thread_id) DO UPDATE SET last_read_number = EXCLUDED.last_read_number""",
                [viewer.pk, LONG_GROUP + 1],
            )
            cursor.execute(
                f"UPDATE {read_table} SET last_read_number = %s WHERE member_id = %s AND thread_id = %s",
                [args.long_thread - 20, viewer.pk, long_id],
            )
            cursor.execute(PARTICIPANTS_INSERT)
            cursor.execute(
                f"""UPDATE {Participant._meta.db_table} SET trust_level = 3, trust_granted = true
                    WHERE member_id = ANY(%s)""",
                [posters],
            )
            cursor.execute(
                f"""INSERT INTO {Participant._meta.db_table}
                    (member_id, post_count, reactions_received, trust_level, trust_granted, suspension_reason)
                    SELECT m, 0, 0, 3, true, '' FROM unnest(%s::bigint[]) AS m ON CONFLICT (member_id) DO NOTHING""",
                [posters],
            )
        timings["counters_reads_participants"] = time.perf_counter() - t

    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in _forum_tables():
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    timings["vacuum_analyze"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    return {
        "version": FORUMS_VERSION,
        "posts": args.posts,
        "long_thread_posts": args.long_thread,
        "long_thread_id": long_id,
        "live_thread_id": live_id,
        "posters": posters,
        "members_generated_at": None,  # filled in by the caller
        "groups": len(groups),
        "threads": len(threads),
        "memberships": len(memberships),
        "distinct_bodies": BODY_POOL,
        "counts": counts,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "generation_seconds": {key: round(value, 2) for key, value in timings.items()},
    }


# The counters forums.services keeps, for every row at once:
#   Thread.post_count     every numbered post (held ones too): _write_post adds one per post
#   Thread.last_activity_at, last_poster, awaits_author   set by publish_post, i.e. by visible posts only
#   Group.thread_count    start_thread; Group.post_count, last_activity_at  publish_post (not held posts)
#   Group.member_count    active memberships (join_group, decide_membership, leave_group)
COUNTER_UPDATES = [
    """
    UPDATE forums_thread AS t
    SET post_count = s.n, last_activity_at = s.last_at, last_poster_id = s.last_poster,
        awaits_author = s.last_poster <> t.author_id
    FROM (
        SELECT thread_id, count(*) AS n,
               max(created) FILTER (WHERE status <> 'held') AS last_at,
               (array_agg(author_id ORDER BY number DESC) FILTER (WHERE status <> 'held'))[1] AS last_poster
        FROM forums_post GROUP BY thread_id
    ) AS s
    WHERE s.thread_id = t.id
    """,
    # Accepted answers on about a third of the questions: the most helpful visible answer by someone else.
    """
    UPDATE forums_thread AS t SET accepted_answer_id = a.id
    FROM (
        SELECT DISTINCT ON (p.thread_id) p.thread_id, p.id
        FROM forums_post p JOIN forums_thread q ON q.id = p.thread_id
        WHERE q.kind = 'question' AND q.id % 3 = 0 AND p.number > 1 AND p.status = 'visible'
          AND p.author_id <> q.author_id
        ORDER BY p.thread_id, p.helpful_count DESC, p.number
    ) AS a
    WHERE a.thread_id = t.id
    """,
    """
    UPDATE forums_group AS g
    SET thread_count = COALESCE(t.threads, 0), post_count = COALESCE(p.posts, 0), last_activity_at = p.last_at,
        member_count = COALESCE(m.members, 0)
    FROM forums_group AS base
    LEFT JOIN (SELECT group_id, count(*) AS threads FROM forums_thread GROUP BY group_id) AS t ON t.group_id = base.id
    LEFT JOIN (
        SELECT th.group_id, count(*) AS posts, max(p.created) AS last_at
        FROM forums_post p JOIN forums_thread th ON th.id = p.thread_id
        WHERE p.status <> 'held' GROUP BY th.group_id
    ) AS p ON p.group_id = base.id
    LEFT JOIN (
        SELECT group_id, count(*) AS members FROM forums_groupmembership WHERE status = 'active' GROUP BY group_id
    ) AS m ON m.group_id = base.id
    WHERE base.id = g.id
    """,
]
READS_INSERT = """
INSERT INTO forums_threadread (member_id, thread_id, last_read_number)
SELECT author_id, thread_id, max(number) FROM forums_post GROUP BY author_id, thread_id
"""
# Participants: every member who posted, with posts written and reactions received, and the level
# forums.trust.earned_level gives for them (REGULAR 100/50/60 days, MEMBER 20/5/14, BASIC 3/0/1).
PARTICIPANTS_INSERT = """
INSERT INTO forums_participant (member_id, post_count, reactions_received, trust_level, trust_granted, suspension_reason)
SELECT s.author_id, s.posts, s.reactions,
       CASE WHEN s.posts >= 100 AND s.reactions >= 50 AND now() - m.date_joined >= interval '60 days' THEN 3
            WHEN s.posts >= 20 AND s.reactions >= 5 AND now() - m.date_joined >= interval '14 days' THEN 2
            WHEN s.posts >= 3 AND now() - m.date_joined >= interval '1 day' THEN 1
            ELSE 0 END,
       false, ''
FROM (
    SELECT author_id, count(*) AS posts, sum(like_count + helpful_count + insightful_count) AS reactions
    FROM forums_post GROUP BY author_id
) AS s JOIN members_member m ON m.id = s.author_id
"""


def verify_forums(info: dict) -> dict:
    """The generated data must be what the app would have written: contiguous post numbers, reaction
    counters equal to the Reaction rows, stored html equal to forums.services' rendering."""
    from django.db import connection

    from forums.models import Post
    from forums.services.posting import render_body

    checks = {}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM (SELECT thread_id FROM forums_post GROUP BY thread_id
               HAVING count(*) <> max(number) OR min(number) <> 1) AS x"""
        )
        checks["threads_with_gaps"] = cursor.fetchone()[0]
        cursor.execute(
            """SELECT count(*) FROM forums_post p LEFT JOIN (
                 SELECT post_id, count(*) FILTER (WHERE kind = 'like') l, count(*) FILTER (WHERE kind = 'helpful') h,
                        count(*) FILTER (WHERE kind = 'insightful') i FROM forums_reaction GROUP BY post_id) r
               ON r.post_id = p.id
               WHERE (p.like_count, p.helpful_count, p.insightful_count)
                     IS DISTINCT FROM (COALESCE(r.l, 0), COALESCE(r.h, 0), COALESCE(r.i, 0))"""
        )
        checks["posts_with_wrong_reaction_counts"] = cursor.fetchone()[0]
        cursor.execute(
            """SELECT count(*) FROM forums_thread t WHERE post_count <>
               (SELECT count(*) FROM forums_post p WHERE p.thread_id = t.id)"""
        )
        checks["threads_with_wrong_post_count"] = cursor.fetchone()[0]
    sample = Post.objects.order_by("?")[:40]
    checks["html_sampled"] = len(sample)
    checks["html_differs"] = sum(1 for post in sample if render_body(post.body).html != post.html)
    bad = {k: v for k, v in checks.items() if k != "html_sampled" and v}
    if bad:
        raise SystemExit(f"The generated forum data is inconsistent: {bad}")
    return checks


def prepare_forums(args) -> dict:
    import dataset
    from django.db import connection

    members_marker = dataset.read_marker() or {}
    ok, why = forums_present(args, members_marker)
    if ok and not args.reset:
        marker = dataset.read_marker(FORUMS_MARKER_TABLE)
        print(
            f"Forum data present: {marker['posts']:,} posts in {marker['threads']:,} threads, generated "
            f"{marker['generated_at']} in {marker['generation_seconds']['total']:.1f} s (use --reset to rebuild)."
        )
        return {"generated_now": False, **marker}
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit(
            f"Refusing to rebuild the forums of {connection.settings_dict['NAME']!r}: not a bench database."
        )
    print(f"Generating {args.posts:,} posts ({'--reset' if args.reset else why})…")
    info = generate_forums(args)
    info["members_generated_at"] = members_marker.get("generated_at")
    info["verification"] = verify_forums(info)
    dataset.write_marker(info, FORUMS_MARKER_TABLE)
    g = info["generation_seconds"]
    print(
        f"Generated in {g['total']:.1f} s ({', '.join(f'{k} {v:.1f}s' for k, v in g.items() if k != 'total')}); "
        f"checks: {info['verification']}"
    )
    return {"generated_now": True, **info}


# --- the pages ------------------------------------------------------------------------------------------


def check_page(client, url: str, marker: bytes, expected: int, must_contain: list[bytes] = ()) -> None:
    response = client.get(url, secure=True)
    found = response.content.count(marker)
    missing = [m.decode() for m in must_contain if m not in response.content]
    if response.status_code != 200 or found != expected or missing:
        raise SystemExit(
            f"FAIL GET {url}: status {response.status_code}, {found} × {marker.decode()!r} ({expected} expected)"
            + (f", missing {missing}" if missing else "")
        )


def page_cases(client, viewer, forums: dict) -> tuple[list[Case], dict]:
    from forums import selectors
    from forums.models import Group, Thread

    long = Thread.objects.select_related("group").get(pk=forums["long_thread_id"])
    pages = math.ceil(long.post_count / selectors.POSTS_PER_PAGE)
    middle = (pages + 1) // 2
    base = long.get_absolute_url()
    thread_pages = {"page 1": base, "page 2": f"{base}?page=2", f"page {middle}": f"{base}?page={middle}",
                    f"page {pages} (last)": f"{base}?page={pages}"}  # fmt: skip
    biggest, second = Group.objects.order_by("-thread_count")[:2]
    group_pages = math.ceil(biggest.thread_count / selectors.THREADS_PER_PAGE)
    g_url, g2_url = biggest.get_absolute_url(), second.get_absolute_url()
    group_variants = [("page 1", g_url), ("page 2", f"{g_url}?page=2"),
                      (f"page {group_pages} (last)", f"{g_url}?page={group_pages}"), (second.slug, g2_url)]  # fmt: skip
    visible = selectors.visible_groups(viewer).count()

    # Every measured page is a 200 with real content: 20 posts (the right numbers), all visible groups,
    # 30 threads.
    for p, url in ((1, base), (middle, f"{base}?page={middle}"), (pages, f"{base}?page={pages}")):
        first, last = (p - 1) * 20 + 1, min(p * 20, long.post_count)
        check_page(
            client,
            url,
            b'<article class="post',
            last - first + 1,
            [f'id="post-{first}"'.encode(), f'id="post-{last}"'.encode()],
        )
    check_page(client, "/forums/", b'class="group-row"', visible, [b"You are a member"])
    check_page(client, g_url, b'class="thread-row__title"', selectors.THREADS_PER_PAGE)
    last_rows = biggest.thread_count - (group_pages - 1) * selectors.THREADS_PER_PAGE
    check_page(client, f"{g_url}?page={group_pages}", b'class="thread-row__title"', last_rows)

    variants = list(thread_pages.items())
    cases = [
        Case("thread_first", f"500-post thread, page 1 of {pages} ({base})", [base], variants, goal=True,
             expect_results=False),
        Case("thread_middle", f"500-post thread, page {middle}", [f"{base}?page={middle}"], variants, goal=True,
             expect_results=False),
        Case("thread_last", f"500-post thread, page {pages} (last)", [f"{base}?page={pages}"], variants, goal=True,
             expect_results=False),
        Case("group_list", f"/forums/ ({visible} groups visible to the viewer)", ["/forums/"],
             [("viewer", "/forums/")], goal=True, expect_results=False),
        Case("group_threads", f"{g_url} page 1 (biggest group: {biggest.thread_count:,} threads, "
             f"{biggest.post_count:,} posts)", [g_url], group_variants, goal=False, expect_results=False),
        Case("group_threads_last", f"{g_url}?page={group_pages} (its last page)", [f"{g_url}?page={group_pages}"],
             group_variants, goal=False, expect_results=False),
    ]  # fmt: skip
    parameters = {
        "long_thread": {"id": long.pk, "url": base, "posts": long.post_count, "pages": pages, "group": long.group.slug},
        "biggest_group": {"slug": biggest.slug, "threads": biggest.thread_count, "posts": biggest.post_count,
                          "pages": group_pages},
        "visible_groups": visible,
        "viewer": viewer.username,
    }  # fmt: skip
    return cases, parameters


def run_pages(args, forums: dict) -> tuple[dict, dict]:
    import dataset
    from django.test import Client

    from members.models import Member

    viewer = Member.objects.get(username=dataset.VIEWER_HANDLE)
    client = Client()
    client.force_login(viewer)
    cases, parameters = page_cases(client, viewer, forums)
    print(f"Pages as {viewer.username}: {args.warmup} warm-up + {args.requests} timed requests a case…")
    results = {}
    for case in cases:
        measure(case, client, args.requests, args.warmup)
        result = summary(case)
        result["meets_goal"] = (
            (result["median_ms"] < GOAL_PAGE_MEDIAN_MS and result["queries_constant"]) if case.goal else None
        )
        results[case.name] = result
        print(f"  {case.name:<19} median {result['median_ms']:.1f} ms, {result['queries_per_request']} queries")
    return results, parameters


# --- reporting ------------------------------------------------------------------------------------------


def print_pages(pages: dict) -> None:
    header = (
        f"{'page':<19} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'constant':>9} {'goal <40ms':>11}"
    )
    print()
    print(header)
    print("-" * len(header))
    for name, r in pages.items():
        constant = (
            "yes"
            if r["queries_constant"]
            else "NO " + "/".join(map(str, sorted(set(r["query_counts_by_variant"].values()))))
        )
        goal = "-" if r["meets_goal"] is None else ("ok" if r["meets_goal"] else "MISS")
        print(
            f"{name:<19} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f} {r['sql_ms_median']:>7.1f} "
            f"{r['queries_per_request']:>8} {constant:>9} {goal:>11}"
        )
    for name, r in pages.items():
        print(f"  {name:<19} {r['description']}")
        slowest = sorted(r["sql"], key=lambda q: -q["ms"])[:2]
        for q in slowest:
            print(f"  {'':<19}   SQL {q['ms']:.2f} ms: {' '.join(q['sql'].split())[:140]}…")
    print()


def main() -> int:
    args = parse_args()
    configure_environment(args.database_url)
    os.environ.pop("REDIS_URL", None)  # in-process: in-memory layer and cache; Daphne gets the Redis URL
    ensure_database(args.database_url)

    import django

    django.setup()

    from django.conf import settings
    from django.test.utils import override_settings

    from forums.models import Post, Thread

    data = prepare_data(Namespace(members=args.members, reset=False, database_url=args.database_url))
    forums = prepare_forums(args)

    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()

    load = os.getloadavg()[0]
    pages, parameters = {}, {}
    if args.only in (None, "pages"):
        pages, parameters = run_pages(args, forums)
    sockets = {}
    if args.only in (None, "sockets"):
        import forums_sockets

        sockets = forums_sockets.run_sockets(args, forums)

    report = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "database": _safe_url(args.database_url),
        "members": args.members,
        "posts_in_table": Post.objects.count(),
        "threads_in_table": Thread.objects.count(),
        "goals": {
            "thread_page_and_group_list_median_ms": GOAL_PAGE_MEDIAN_MS,
            "queries": "constant across pages",
            "delivery": f"every client receives every post, no failed handshake, median < {GOAL_DELIVERY_MEDIAN_MS:.0f} ms",
        },
        "data": data,
        "forums": forums,
        "pages": {"parameters": parameters, "cases": pages},
        "sockets": sockets,
        "environment": {**environment_facts(), "load_average_at_start": round(load, 2)},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    if pages:
        print_pages(pages)
    if sockets:
        forums_sockets.print_sockets(sockets)
    print(f"Results written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    missed = [n for n, r in pages.items() if r["meets_goal"] is False]
    missed += [n for n, r in sockets.get("configurations", {}).items() if not r["meets_goal"]]
    if missed:
        print(f"Goal missed: {', '.join(missed)}")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
