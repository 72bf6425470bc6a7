#!/usr/bin/env python
"""Mutua's thread page against django-machina's topic page, in-process, measured back to back.

    /usr/bin/python3.11 -m venv /tmp/machina-venv
    /tmp/machina-venv/bin/pip install "django-machina==1.3.1" "Django>=4.2,<5" psycopg2-binary
    .venv/bin/python bench/machina_compare.py                       # 3 rounds of 200 requests each
    .venv/bin/python bench/machina_compare.py --rounds 1 --requests 50 --page last

django-machina lives only in the side virtualenv (--machina-python): it is not a Mutua dependency, and
no machina code is in this repository. bench/machina_site/ is the tiny project it runs in (machina's
documented settings, DEBUG off, its own PostgreSQL database `machina_bench`, 20 posts a page).

The same 500 posts on both sides: the bodies (Markdown) and the sequence of authors of the forums
benchmark's long thread are read from Mutua's bench database (bench/forums.py must have generated it),
and the machina side creates one forum, one topic and those 500 posts through machina's models (so its
own renderer and counters run) when its database does not hold exactly them yet.

Each side runs in a process of its own (its Python, its Django), signed in with force_login as an
ordinary member, the test Client, DEBUG off: untimed warm-up requests, then --requests timed ones
(wall time per request; process CPU over them), then one request under CaptureQueriesContext for the
query count. Rounds alternate machina, Mutua, machina, Mutua… so both see the same machine load.
Results: a table on stdout and bench/results/machina_compare.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results" / "machina_compare.json"
MUTUA_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mutua_bench_forums"
MACHINA_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/machina_bench"
MACHINA_PYTHON = "/tmp/machina-venv/bin/python"
POSTS_PER_PAGE = 20  # both sides
FORUM_NAME = "Bench forum"


# --- measuring: the same on both sides ---------------------------------------------------------------


def time_page(client, url: str, *, requests: int, warmup: int, marker: bytes, expected: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"FAIL GET {url}: {response.status_code}")
        return response

    found = get().content.count(marker)
    if found != expected:
        raise SystemExit(f"FAIL GET {url}: {found} × {marker.decode()!r}, {expected} expected")
    for _ in range(warmup):
        get()
    samples = []
    cpu_started = time.process_time()
    for _ in range(requests):
        started = time.perf_counter()
        get()
        samples.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu_started) * 1000 / requests
    with CaptureQueriesContext(connection) as captured:
        size = len(get().content)
    ordered = sorted(samples)
    return {
        "url": url,
        "requests": requests,
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(ordered[max(0, -(-95 * len(ordered) // 100) - 1)], 2),
        "process_cpu_ms_per_request": round(cpu_ms, 2),
        "queries": len(captured),
        "html_bytes": size,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


# --- the machina side (runs in the side virtualenv) --------------------------------------------------


def machina_side(args) -> dict:
    import psycopg2
    from psycopg2 import sql

    url = os.environ.setdefault("MACHINA_DATABASE_URL", args.machina_database_url)
    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        raise SystemExit(f"Refusing to use {name!r} for machina: not a bench database.")
    maintenance = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    maintenance.autocommit = True
    with maintenance.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    maintenance.close()

    sys.path.insert(0, str(BENCH_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "machina_site.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    thread = json.loads(Path(args.thread_file).read_text())
    topic = ensure_machina_topic(thread)
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-viewer"))
    pages = -(-len(thread["posts"]) // POSTS_PER_PAGE)
    page = 1 if args.page == "first" else pages
    base = f"/forum/forum/{topic.forum.slug}-{topic.forum.pk}/topic/{topic.slug}-{topic.pk}/"
    expected = min(POSTS_PER_PAGE, len(thread["posts"]) - (page - 1) * POSTS_PER_PAGE)
    import django as dj

    result = time_page(
        client,
        base if page == 1 else f"{base}?page={page}",
        requests=args.requests,
        warmup=args.warmup,
        marker=b'class="post-content"',
        expected=expected,
    )
    import machina

    return {**result, "django": dj.get_version(), "machina": getattr(machina, "__version__", "1.3.1")}


def ensure_machina_topic(thread: dict):
    """One forum with one topic holding exactly the given posts (bodies and authors), made through
    machina's models so that its renderer and denormalised counters run; rebuilt when it differs."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Post, Topic

    User = get_user_model()
    digest = thread["digest"]
    forum = Forum.objects.filter(name=FORUM_NAME).first()
    if forum is not None and forum.description == digest:
        topic = Topic.objects.select_related("forum").get(forum=forum)
        if topic.posts_count == len(thread["posts"]):
            return topic
    print(f"machina: creating the topic with {len(thread['posts'])} posts…", file=sys.stderr)
    with transaction.atomic():
        if forum is not None:
            forum.delete()
        forum = Forum.objects.create(name=FORUM_NAME, type=Forum.FORUM_POST, description=digest)
        authors = sorted({post["author"] for post in thread["posts"]})
        users = {}
        for author in authors:
            users[author], _ = User.objects.get_or_create(username=f"bench-author-{author}")
        User.objects.get_or_create(username="bench-viewer")
        first = thread["posts"][0]
        topic = Topic.objects.create(
            forum=forum, poster=users[first["author"]], subject=thread["title"][:255],
            type=Topic.TOPIC_POST, status=Topic.TOPIC_UNLOCKED, approved=True,
        )  # fmt: skip
        for number, post in enumerate(thread["posts"], 1):
            Post.objects.create(
                topic=topic, poster=users[post["author"]], approved=True, content=post["body"],
                subject=thread["title"][:255] if number == 1 else f"Re: {thread['title']}"[:255],
            )  # fmt: skip
    topic.refresh_from_db()
    return topic


# --- the Mutua side (Mutua's virtualenv) -------------------------------------------------------------


def mutua_side(args) -> dict:
    sys.path.insert(0, str(BENCH_DIR))
    from directory import configure_environment

    configure_environment(args.database_url)
    os.environ.pop("REDIS_URL", None)  # the app's default cache and channel layer (in memory)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    import dataset
    from forums.models import Thread
    from members.models import Member

    override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    ).enable()
    marker = dataset.read_marker("bench_forums")
    thread = Thread.objects.get(pk=marker["long_thread_id"])
    client = Client()
    client.force_login(Member.objects.get(username=dataset.VIEWER_HANDLE))
    pages = -(-thread.post_count // POSTS_PER_PAGE)
    page = 1 if args.page == "first" else pages
    expected = min(POSTS_PER_PAGE, thread.post_count - (page - 1) * POSTS_PER_PAGE)
    url = thread.get_absolute_url() + ("" if page == 1 else f"?page={page}")
    result = time_page(
        client, url, requests=args.requests, warmup=args.warmup, marker=b'<article class="post', expected=expected
    )
    return {**result, "django": django.get_version()}


def mutua_thread(database_url: str) -> dict:
    """The long thread's title, bodies and (renumbered) authors, for the machina side to copy."""
    import hashlib

    import psycopg2

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT info FROM bench_forums ORDER BY at DESC LIMIT 1")
        info = cursor.fetchone()[0]
        info = info if isinstance(info, dict) else json.loads(info)
        cursor.execute("SELECT title FROM forums_thread WHERE id = %s", [info["long_thread_id"]])
        title = cursor.fetchone()[0]
        cursor.execute(
            "SELECT author_id, body FROM forums_post WHERE thread_id = %s ORDER BY number", [info["long_thread_id"]]
        )
        rows = cursor.fetchall()
    renumber: dict[int, int] = {}
    posts = [{"author": renumber.setdefault(author, len(renumber) + 1), "body": body} for author, body in rows]
    digest = hashlib.sha256(json.dumps([title, posts]).encode()).hexdigest()[:16]
    return {"title": title, "posts": posts, "digest": f"bench {digest}"}


# --- the orchestrator --------------------------------------------------------------------------------


def run_side(python: str, side: str, args, thread_file: Path) -> dict:
    command = [
        python, str(Path(__file__).resolve()), "--side", side, "--thread-file", str(thread_file),
        "--requests", str(args.requests), "--warmup", str(args.warmup), "--page", args.page,
        "--database-url", args.database_url, "--machina-database-url", args.machina_database_url,
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{side} side failed:\n{done.stderr[-3000:]}\n{done.stdout[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="machina then Mutua, this many times (default 3)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests a side and round (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first (default 20)")
    parser.add_argument("--page", choices=["first", "last"], default="first", help="which page of the 500 posts")
    parser.add_argument("--database-url", default=MUTUA_DATABASE_URL, help="Mutua's forums bench database")
    parser.add_argument("--machina-database-url", default=MACHINA_DATABASE_URL, help="machina's own database")
    parser.add_argument("--machina-python", default=MACHINA_PYTHON, help="the side virtualenv's python")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--side", choices=["machina", "mutua"], help=argparse.SUPPRESS)
    parser.add_argument("--thread-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        result = machina_side(args) if args.side == "machina" else mutua_side(args)
        print(json.dumps(result))
        return 0
    if not Path(args.machina_python).exists():
        raise SystemExit(f"{args.machina_python} is missing: make the side virtualenv first (see the docstring).")

    load_start = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="machina-compare-") as tmp:
        thread_file = Path(tmp) / "thread.json"
        thread_file.write_text(json.dumps(mutua_thread(args.database_url)))
        rounds = []
        for number in range(1, args.rounds + 1):
            machina = run_side(args.machina_python, "machina", args, thread_file)
            mutua = run_side(str(ROOT / ".venv/bin/python"), "mutua", args, thread_file)
            ratio = mutua["median_ms"] / machina["median_ms"]
            rounds.append({"round": number, "machina": machina, "mutua": mutua, "ratio_median": round(ratio, 3)})
            print(
                f"round {number}: machina {machina['median_ms']:.1f} ms (p95 {machina['p95_ms']:.1f}, "
                f"CPU {machina['process_cpu_ms_per_request']:.1f} ms, {machina['queries']} queries) · Mutua "
                f"{mutua['median_ms']:.1f} ms (p95 {mutua['p95_ms']:.1f}, CPU {mutua['process_cpu_ms_per_request']:.1f}"
                f" ms, {mutua['queries']} queries) · ratio {ratio:.2f} · load {mutua['load_average']}",
                flush=True,
            )
    report = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "page": args.page,
        "load_average_at_start": load_start,
        "rounds": rounds,
        "ratio_of_medians": round(
            statistics.median(r["mutua"]["median_ms"] for r in rounds)
            / statistics.median(r["machina"]["median_ms"] for r in rounds),
            3,
        ),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2))
    print(f"Mutua / machina, median of the rounds' medians: {report['ratio_of_medians']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
