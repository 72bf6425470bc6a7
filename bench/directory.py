#!/usr/bin/env python
"""Member directory benchmark: server time and SQL queries per request at community scale.

    .venv/bin/python bench/directory.py                    # 100,000 members, 200 requests a case
    .venv/bin/python bench/directory.py --members 5000 --requests 50
    .venv/bin/python bench/directory.py --reset            # rebuild the bench database from scratch

It runs against its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/mutua_bench;
override with --database-url or BENCH_DATABASE_URL; an ambient DATABASE_URL is deliberately ignored
so that `make bench` can never fill a development database with 100,000 members). The database is
created if missing and migrated on every run; the synthetic community is generated once (see
bench/dataset.py) and reused while it matches --members.

Requests go through Django's test Client in-process, logged in as one ordinary member, with DEBUG=0
settings (HTTPS requests, SECURE_SSL_REDIRECT=0, 'testserver' allowed). Each case is warmed up, then
timed over --requests requests; query counts come from separate CaptureQueriesContext runs over
several variants of the case (other names, skills, pages, profiles), which must all agree.
Results: a table on stdout and bench/results/directory.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mutua_bench"
GOAL_MEDIAN_MS = 50.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000, help="members in the bench community (default 100000)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per case (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per case first (default 20)")
    parser.add_argument("--reset", action="store_true", help="drop and regenerate the bench database")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="bench database (default $BENCH_DATABASE_URL or %(default)s)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "directory.json", help="results JSON")
    parser.add_argument("--only", nargs="*", metavar="CASE", help="run only these cases (names as in the table)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed (for CI)")
    args = parser.parse_args()
    if args.members < 10 or args.requests < 1 or args.warmup < 0:
        parser.error("--members must be at least 10 and --requests at least 1")
    return args


def configure_environment(database_url: str) -> None:
    """Production-like settings (community.settings reads them at import)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # requests are also sent with secure=True
    os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:25")  # required with DEBUG=0; the bench sends no mail
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
    os.environ["ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*hosts, "testserver"]))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # WhiteNoise (DEBUG=0) serves STATIC_ROOT and warns when it is missing; an empty one will do.
    static_root = RESULTS_DIR / "staticfiles"
    static_root.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("STATIC_ROOT", str(static_root))
    # The generator's modules (dataset, vocabulary) sit next to this file; the project one level up.
    sys.path[:0] = [str(ROOT), str(BENCH_DIR)]


# --- the database -------------------------------------------------------------------------------


def _server(database_url: str):
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(database_url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit(f"The benchmark needs PostgreSQL; {database_url!r} is {config['ENGINE']}.")
    maintenance = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    maintenance.autocommit = True
    return config["NAME"], maintenance, sql


def ensure_database(database_url: str) -> bool:
    """Create the bench database if it is missing; True when it was created."""
    name, maintenance, sql = _server(database_url)
    try:
        with maintenance.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        maintenance.close()


def drop_database(database_url: str) -> None:
    name, maintenance, sql = _server(database_url)
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop database {name!r}: only a database whose name contains 'bench' is rebuilt.")
    from django.db import connections

    connections.close_all()
    with maintenance.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    maintenance.close()


def migrate() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return time.perf_counter() - started


def prepare_data(args) -> dict:
    """Migrate, then generate the community unless the one there already matches."""
    import dataset

    created = ensure_database(args.database_url)
    info: dict = {"database_created": created, "migrate_seconds": round(migrate(), 2)}
    state = dataset.status()
    if not args.reset and state.complete(args.members):
        print(
            f"Bench data present: {state.bench_members:,} members, generated {state.marker.get('generated_at')} "
            f"in {state.marker['generation_seconds']['total']:.1f} s (use --reset to rebuild)."
        )
        info["generated_now"] = False
        info["generation"] = state.marker
        return info
    if args.reset or state.bench_members or state.other_members or state.member_skills or state.marker:
        why = (
            "--reset"
            if args.reset
            else (
                f"the data there does not match --members {args.members:,} / dataset version {dataset.DATASET_VERSION}: "
                f"{state.bench_members:,} bench members, {state.other_members:,} others, marker {state.marker}"
            )
        )
        print(f"Rebuilding the bench database ({why})…")
        drop_database(args.database_url)
        ensure_database(args.database_url)
        info["migrate_seconds"] = round(migrate(), 2)
    print(f"Generating {args.members:,} members…")
    timings = dataset.generate(args.members)
    checked = dataset.verify_search_documents()
    info["generated_now"] = True
    info["generation"] = dataset.read_marker()
    info["search_documents_verified"] = checked
    print(
        f"Generated in {timings['total']:.1f} s "
        f"({', '.join(f'{k} {v:.1f}s' for k, v in timings.items() if k != 'total')}); "
        f"search_document equals services.refresh_search_document's for {checked} sampled members."
    )
    return info


def _safe_url(url: str) -> str:
    """The URL without a password, for the results file."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


# --- the cases ------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    description: str
    timed: list[str]  # cycled through by the timed requests
    variants: list[tuple[str, str]]  # (label, url): every one must issue the same number of queries
    goal: bool  # the product goal (median < 50 ms) applies
    expect_results: bool = True
    samples_ms: list[float] = field(default_factory=list)
    query_counts: dict[str, int] = field(default_factory=dict)
    db: dict = field(default_factory=dict)


def build_cases(members: int) -> tuple[list[Case], dict]:
    """Choose realistic parameters from the generated data: the most common first names, the most
    popular skill and a mid-table one, pages near the start, middle and end, assorted profiles."""
    import dataset
    from django.db.models import Count, Q

    from members.models import Member, Skill
    from members.views.profiles import DIRECTORY_PAGE_SIZE

    active = Member.objects.filter(is_active=True)
    others = active.exclude(username=dataset.VIEWER_HANDLE)
    names = list(
        active.values("first_name")
        .annotate(n=Count("id"))
        .order_by("-n", "first_name")
        .values_list("first_name", "n")[:3]
    )
    skills = list(
        Skill.objects.filter(status=Skill.Status.APPROVED)
        .annotate(n=Count("member_skills", filter=Q(member_skills__member__is_active=True)))
        .order_by("-n", "slug")
        .values_list("slug", "n")
    )
    top_skill, top_skill_count = skills[0]
    mid_skill, mid_skill_count = skills[len(skills) // 2]
    rare = sorted(((slug, n) for slug, n in skills if 0 < n <= 100), key=lambda item: abs(item[1] - 25)) or [skills[-1]]
    rare_skill, rare_skill_count = rare[0]
    name, name_count = names[0]
    pages = max(1, math.ceil(active.count() / DIRECTORY_PAGE_SIZE))

    def url(path: str, **params) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    step = max(1, members // 60)
    first_pk = others.order_by("pk").values_list("pk", flat=True).first()
    handles = list(
        others.filter(pk__in=range(first_pk, first_pk + members, step))
        .order_by("pk")
        .values_list("username", flat=True)[:50]
    )
    annotated = others.annotate(s=Count("member_skills", distinct=True), i=Count("interests", distinct=True))
    fewest = annotated.order_by("s", "i", "pk").values_list("username", flat=True).first()
    most = annotated.order_by("-s", "-i", "pk").values_list("username", flat=True).first()

    D, API = "/members/", "/api/v1/members/"
    cases = [
        Case(
            "name_query",
            f"directory ?q={name} ({name_count:,} active members have that first name; relevance sort)",
            [url(D, q=name)],
            [
                (f"q={name}", url(D, q=name)),
                (f"q={names[1][0]}", url(D, q=names[1][0])),
                (f"q={names[2][0]}", url(D, q=names[2][0])),
                (f"q={name} page 2", url(D, q=name, page=2)),
                (f"q={name} last page", url(D, q=name, page=math.ceil(name_count / DIRECTORY_PAGE_SIZE))),
            ],
            goal=True,
        ),
        Case(
            "skill_filter",
            f"directory ?skill={top_skill} (most popular skill, {top_skill_count:,} members)",
            [url(D, skill=top_skill)],
            [
                (f"skill={top_skill}", url(D, skill=top_skill)),
                (f"skill={mid_skill}", url(D, skill=mid_skill)),
                (f"skill={top_skill} page 2", url(D, skill=top_skill, page=2)),
                (f"skill={mid_skill} page 3", url(D, skill=mid_skill, page=3)),
            ],
            goal=True,
        ),
        Case(
            "skill_rare",
            f"directory ?skill={rare_skill} (a long-tail skill, {rare_skill_count} members)",
            [url(D, skill=rare_skill)],
            [(f"skill={slug} ({n})", url(D, skill=slug)) for slug, n in rare[:4]],
            goal=True,
        ),
        Case(
            "query_and_skill",
            f"directory ?q={name}&skill={top_skill}",
            [url(D, q=name, skill=top_skill)],
            [
                (f"q={name}&skill={top_skill}", url(D, q=name, skill=top_skill)),
                (f"q={names[1][0]}&skill={top_skill}", url(D, q=names[1][0], skill=top_skill)),
                (f"q={name}&skill={skills[1][0]} page 2", url(D, q=name, skill=skills[1][0], page=2)),
            ],
            goal=True,
        ),
        Case(
            "directory_plain",
            "directory first page, no filter (name sort)",
            [D],
            [
                ("page 1", D),
                ("page 2", url(D, page=2)),
                (f"page {pages // 2}", url(D, page=pages // 2)),
                (f"page {pages} (last)", url(D, page=pages)),
            ],
            goal=False,
        ),
        Case(
            "profile",
            f"profile /members/<handle>/ (cycling through {len(handles)} members)",
            [f"/members/{h}/" for h in handles],
            [
                (f"{handles[0]}", f"/members/{handles[0]}/"),
                (f"{fewest} (fewest skills)", f"/members/{fewest}/"),
                (f"{most} (most skills+interests)", f"/members/{most}/"),
                (f"{dataset.VIEWER_HANDLE} (own profile)", f"/members/{dataset.VIEWER_HANDLE}/"),
            ],
            goal=True,
            expect_results=False,
        ),
        Case(
            "api_name_query",
            f"API /api/v1/members/?q={name}",
            [url(API, q=name)],
            [
                (f"q={name}", url(API, q=name)),
                (f"q={names[1][0]}", url(API, q=names[1][0])),
                (f"q={name} page 2", url(API, q=name, page=2)),
                (f"q={name}&skill={top_skill}", url(API, q=name, skill=top_skill)),
            ],
            goal=False,
        ),
    ]
    parameters = {
        "common_first_names": [{"name": n, "active_members": c} for n, c in names],
        "top_skill": {"slug": top_skill, "active_members": top_skill_count},
        "mid_skill": {"slug": mid_skill, "active_members": mid_skill_count},
        "rare_skills": [{"slug": slug, "active_members": n} for slug, n in rare[:4]],
        "directory_pages": pages,
        "profiles_cycled": len(handles),
    }
    return cases, parameters


# --- measuring ------------------------------------------------------------------------------------


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def fetch(client, url: str, case: Case):
    response = client.get(url, secure=True)
    if response.status_code != 200:
        where = f" -> {response.get('Location')}" if response.has_header("Location") else ""
        body = response.content[:300].decode(errors="replace") if not response.streaming else ""
        raise SystemExit(f"FAIL [{case.name}] GET {url} answered {response.status_code}{where}; expected 200.\n{body}")
    return response


def has_results(response) -> bool:
    if response["Content-Type"].startswith("application/json"):
        return bool(json.loads(response.content).get("results"))
    return b'class="member-card"' in response.content


def measure(case: Case, client, requests: int, warmup: int, capture_runs: int = 5) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Queries per request, for every variant: all must agree.
    for label, url in case.variants:
        with CaptureQueriesContext(connection) as captured:
            response = fetch(client, url, case)
        if case.expect_results and not has_results(response):
            raise SystemExit(f"FAIL [{case.name}] GET {url} returned no members; the case would measure nothing.")
        case.query_counts[label] = len(captured)

    for i in range(warmup):
        fetch(client, case.timed[i % len(case.timed)], case)

    for i in range(requests):
        url = case.timed[i % len(case.timed)]
        started = time.perf_counter_ns()
        fetch(client, url, case)
        case.samples_ms.append((time.perf_counter_ns() - started) / 1e6)

    # Where the time goes: each query's time (round trip included) over a few more requests of the
    # first timed URL, taken with an execute wrapper (finer than the debug cursor's milliseconds).
    # Separate from the timed requests above, so the wrapper's small overhead is not in them.
    runs = []
    for _ in range(capture_runs):
        run: list[dict] = []

        def timed_execute(execute, sql, params, many, context, run=run):
            started = time.perf_counter_ns()
            try:
                return execute(sql, params, many, context)
            finally:
                run.append({"ms": (time.perf_counter_ns() - started) / 1e6, "sql": sql})

        with connection.execute_wrapper(timed_execute):
            fetch(client, case.timed[0], case)
        runs.append(run)
    totals = [sum(q["ms"] for q in run) for run in runs]
    median_run = runs[totals.index(sorted(totals)[len(totals) // 2])]
    case.db = {
        "sql_ms_median": round(statistics.median(totals), 2),
        "queries": [{"ms": round(q["ms"], 2), "sql": q["sql"]} for q in median_run],
    }


def summary(case: Case) -> dict:
    counts = set(case.query_counts.values())
    median = statistics.median(case.samples_ms)
    return {
        "description": case.description,
        "url": case.timed[0] if len(case.timed) == 1 else f"{case.timed[0]} (+{len(case.timed) - 1} more)",
        "requests": len(case.samples_ms),
        "median_ms": round(median, 2),
        "p95_ms": round(percentile(case.samples_ms, 95), 2),
        "mean_ms": round(statistics.fmean(case.samples_ms), 2),
        "min_ms": round(min(case.samples_ms), 2),
        "max_ms": round(max(case.samples_ms), 2),
        "queries_per_request": case.query_counts[case.variants[0][0]],
        "query_counts_by_variant": case.query_counts,
        "queries_constant": len(counts) == 1,
        "sql_ms_median": case.db["sql_ms_median"],
        "goal_applies": case.goal,
        "meets_goal": (median < GOAL_MEDIAN_MS) if case.goal else None,
        "sql": case.db["queries"],
    }


def print_table(results: dict) -> None:
    header = (
        f"{'case':<17} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'constant':>9} {'goal <50ms':>11}"
    )
    print()
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        goal = ("ok" if r["meets_goal"] else "MISS") if r["goal_applies"] else "-"
        constant = (
            "yes"
            if r["queries_constant"]
            else "NO " + "/".join(map(str, sorted(set(r["query_counts_by_variant"].values()))))
        )
        print(
            f"{name:<17} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f} {r['sql_ms_median']:>7.1f} "
            f"{r['queries_per_request']:>8} {constant:>9} {goal:>11}"
        )
    print()
    for name, r in results.items():
        print(f"  {name:<17} {r['description']}")
        slowest = max(r["sql"], key=lambda q: q["ms"]) if r["sql"] else None
        if slowest:
            print(f"  {'':<17}   slowest SQL {slowest['ms']:.1f} ms: {slowest['sql'][:150]}…")
    print()


def environment_facts() -> dict:
    import django
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (pg_version,) = cursor.fetchone()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "members", "community", "templates"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
        dirty = [line[3:] for line in dirty if line.strip()]
    except OSError:
        commit, dirty = "", []
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg_version,
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "machine": platform.platform(),
        "debug": settings.DEBUG,
        "git_commit": commit,
        "uncommitted_app_files": dirty,
        "client": "django.test.Client in-process, force_login, secure=True; persistent DB connection",
    }


def main() -> int:
    args = parse_args()
    configure_environment(args.database_url)
    ensure_database(args.database_url)

    import django

    django.setup()

    import dataset
    from django.test import Client
    from django.test.utils import override_settings

    from members.models import Member

    data = prepare_data(args)

    # DEBUG=0 stores static files with whitenoise's manifest storage, which needs `collectstatic`
    # first; URLs of static files cost the same either way, so the plain storage stands in.
    from django.conf import settings

    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()

    cases, parameters = build_cases(args.members)
    if args.only:
        unknown = set(args.only) - {c.name for c in cases}
        if unknown:
            raise SystemExit(
                f"Unknown case(s): {', '.join(sorted(unknown))}; choose from {', '.join(c.name for c in cases)}"
            )
        cases = [c for c in cases if c.name in args.only]

    client = Client()
    client.force_login(Member.objects.get(username=dataset.VIEWER_HANDLE))
    load = os.getloadavg()[0]
    if load > 0.5 * (os.cpu_count() or 1):
        print(
            f"Note: load average {load:.1f} on {os.cpu_count()} CPUs; other work on this machine will show in the timings."
        )
    print(f"Measuring {len(cases)} cases: {args.warmup} warm-up + {args.requests} timed requests each…")
    results = {}
    for case in cases:
        measure(case, client, args.requests, args.warmup)
        results[case.name] = summary(case)
        print(f"  {case.name:<17} median {results[case.name]['median_ms']:.1f} ms")

    directory_counts = {
        name: r["queries_per_request"]
        for name, r in results.items()
        if name in {"name_query", "skill_filter", "skill_rare", "query_and_skill", "directory_plain"}
    }
    report = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "database": _safe_url(args.database_url),
        "members": args.members,
        "active_members": Member.objects.filter(is_active=True).count(),
        "requests_per_case": args.requests,
        "warmup_per_case": args.warmup,
        "goal": f"median < {GOAL_MEDIAN_MS:.0f} ms where goal_applies (directory search cases and profile); constant queries",
        "data": data,
        "parameters": parameters,
        "environment": {**environment_facts(), "load_average_at_start": round(load, 2)},
        "directory_query_counts_equal": len(set(directory_counts.values())) <= 1,
        "cases": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False))

    print_table(results)
    if not report["directory_query_counts_equal"]:
        print(f"Directory cases differ in queries per request: {directory_counts}")
    print(f"Results written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")

    slow = [n for n, r in results.items() if r["meets_goal"] is False]
    varying = [n for n, r in results.items() if not r["queries_constant"]]
    if slow:
        print(f"Median over {GOAL_MEDIAN_MS:.0f} ms: {', '.join(slow)}")
    if varying:
        print(f"Queries per request not constant across variants: {', '.join(varying)}")
    missed = slow + varying
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
