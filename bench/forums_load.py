#!/usr/bin/env python
"""The forum pages through Daphne under load, next to /healthz in the same run.

    .venv/bin/python bench/forums_load.py                        # 20 users, 20 s a page, signed in
    .venv/bin/python bench/forums_load.py --pages healthz thread --seconds 30
    .venv/bin/python bench/forums_load.py --redis-url redis://127.0.0.1:6379/5   # the cache in Redis

One Daphne process (DEBUG=0, collected static files, CONN_MAX_AGE as --conn-max-age) serves the forums
benchmark's database (bench/forums.py must have generated it). A database session is created for the
bench viewer (`bench-viewer`, as the in-process benchmark signs in), and bench/load.py sends --users
concurrent users on keep-alive connections for --seconds per page, one page after the other against the
same process: after --warmup-seconds of untimed load on that page, the timed run, whose server CPU
(user + system of the Daphne process, from /proc) is divided by the requests served. Every response
is checked (status 200 and the page's own marker). Pages:

- `healthz`: /healthz (database, cache and channel layer checks): what the server itself costs;
- `thread`:  the 500-post thread's first page (20 posts);
- `forums`:  /forums/ (the groups);
- `group`:   the biggest group's thread list, first page.

Reported per page: requests/s, p50/p95, server CPU ms per request, and each page's CPU per request and
requests/s relative to /healthz. Without --redis-url the cache is the app's default (LocMem, per
process); with it, Django's cache and the channel layer use that Redis under a prefix of the run's own,
deleted afterwards. Results: stdout and bench/results/forums_load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from load import run_load  # noqa: E402
from pool import STATIC_ROOT, free_port, production_env, stop, wait_for_port  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mutua_bench_forums"
PAGES = ("healthz", "thread", "forums", "group")
MARKERS = {"healthz": '"database": "ok"', "thread": '<article class="post', "forums": 'class="group-row"',
           "group": 'class="thread-row__title"'}  # fmt: skip


def setup_django(database_url: str) -> None:
    from directory import configure_environment

    configure_environment(database_url)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def page_paths() -> dict[str, str]:
    import dataset
    from forums.models import Group, Thread

    marker = dataset.read_marker("bench_forums")
    if marker is None:
        raise SystemExit("No forum data in this database: run bench/forums.py --only pages first.")
    thread = Thread.objects.get(pk=marker["long_thread_id"])
    biggest = Group.objects.order_by("-thread_count").first()
    return {"healthz": "/healthz", "thread": thread.get_absolute_url(), "forums": "/forums/",
            "group": biggest.get_absolute_url()}  # fmt: skip


def viewer_cookie() -> tuple[str, str]:
    import dataset
    from django.conf import settings
    from forums_sockets import create_sessions

    from members.models import Member

    viewer = Member.objects.get(username=dataset.VIEWER_HANDLE)
    key = create_sessions([viewer])[viewer.pk]
    return key, f"{settings.SESSION_COOKIE_NAME}={key}"


def start_daphne(database_url: str, extra_env: dict, workdir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**production_env(database_url), **extra_env}
    env["ALLOWED_HOSTS"] = "localhost"
    env["SECRET_KEY"] = os.environ["SECRET_KEY"]  # the session's auth hash was signed with it (setup_django)
    log = workdir / "daphne.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/daphne"), "-b", "127.0.0.1", "-p", str(port), "community.asgi:application"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    wait_for_port(port, process, log)
    return process, port


def delete_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_FORUMS_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES), help="in this order")
    parser.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    parser.add_argument("--seconds", type=float, default=20.0, help="timed seconds a page (default 20)")
    parser.add_argument("--warmup-seconds", type=float, default=3.0, help="untimed load a page first (default 3)")
    parser.add_argument("--conn-max-age", default="0", help="CONN_MAX_AGE for Daphne (default the app's 0)")
    parser.add_argument("--redis-url", help="put the cache and channel layer in this Redis (default: LocMem)")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results" / "forums_load.json")
    args = parser.parse_args()

    setup_django(args.database_url)
    paths = page_paths()
    if not (STATIC_ROOT / "staticfiles.json").exists():  # DEBUG=0 serves collectstatic's manifest
        subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT, env=production_env(args.database_url), check=True,
        )  # fmt: skip
    session_key, cookie = viewer_cookie()
    prefix = f"bench-load-{secrets.token_hex(4)}"
    extra = {"CONN_MAX_AGE": args.conn_max_age}
    if args.redis_url:
        extra.update(REDIS_URL=args.redis_url, CACHE_PREFIX=prefix, CHANNEL_PREFIX=prefix)
    results = {}
    try:
        with tempfile.TemporaryDirectory(prefix="mutua-forums-load-") as tmp:
            daphne, port = start_daphne(args.database_url, extra, Path(tmp))
            try:
                for page in args.pages:
                    common = dict(port=port, paths=[paths[page]], users=args.users, cookie=cookie,
                                  expect_text=MARKERS[page], server_pids=(daphne.pid,))  # fmt: skip
                    warm = run_load(seconds=args.warmup_seconds, **common)
                    if warm["failed"]:
                        raise SystemExit(f"{page}: {warm['failures']} during the warm-up")
                    result = run_load(seconds=args.seconds, **common)
                    results[page] = result
                    print(
                        f"{page:<8} {paths[page]}: {result['requests_per_s']:.1f} req/s, p50 {result['p50_ms']} ms, "
                        f"p95 {result['p95_ms']} ms, server CPU {result['server_cpu_ms_per_request']} ms/request, "
                        f"failed {result['failed']}, load {result['load_average_before'][0]}→"
                        f"{result['load_average_after'][0]}",
                        flush=True,
                    )
            finally:
                stop(daphne)
    finally:
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key=session_key).delete()
        if args.redis_url:
            delete_redis_keys(args.redis_url, prefix)
    if "healthz" in results:
        base = results["healthz"]
        for page, result in results.items():
            if page != "healthz" and base["server_cpu_ms_per_request"] and result["requests_per_s"]:
                result["cpu_vs_healthz"] = round(result["server_cpu_ms_per_request"] / base["server_cpu_ms_per_request"], 2)
                result["rate_vs_healthz"] = round(result["requests_per_s"] / base["requests_per_s"], 3)
                print(f"{page}/healthz: CPU per request × {result['cpu_vs_healthz']}, requests/s × {result['rate_vs_healthz']}")
    report = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "users": args.users, "seconds": args.seconds, "conn_max_age": args.conn_max_age,
        "cache": "redis" if args.redis_url else "locmem", "paths": paths, "pages": results,
    }  # fmt: skip
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2))
    return 1 if any(r["failed"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
