#!/usr/bin/env python
"""Metrics benchmark: the rollup rebuild, an incremental run, the dashboard, a metric page and the
PDF report, in-process, on a database that already holds a community.

    .venv/bin/python bench/metrics_data.py      # the issue's community in mutua_bench (once)
    createdb -h 127.0.0.1 -U postgres -T mutua_bench mutua_bench_metrics
    .venv/bin/python bench/metrics.py --database-url postgres://postgres@127.0.0.1:5432/mutua_bench_metrics
    DATABASE_URL=sqlite:///db.sqlite3 .venv/bin/python bench/metrics.py        # the make run demo

It writes nothing but the rollups (which it rebuilds), so it runs on a copy of mutua_bench (other
benchmarks copy mutua_bench as a template, which needs it unchanged and without connections).
Every figure is measured --runs times with the load average at its start; timed with the test
Client as a sponsor, as bench/directory.py does.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--requests", type=int, default=15, help="timed requests a page and run (default 15)")
    parser.add_argument("--runs", type=int, default=3, help="runs of every measurement (default 3)")
    parser.add_argument("--skip-rebuild", action="store_true", help="keep the rollups there (measure the rest)")
    parser.add_argument("--skip-incremental", action="store_true", help="no incremental runs (measure the pages)")
    parser.add_argument("--since-days", type=int, default=0,
                        help="instead of rebuilds, roll up only the last N days once (enough for the reports)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "metrics.json")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL (a database with a community in it)")
    sys.path.insert(0, str(ROOT / "bench"))
    from directory import configure_environment

    configure_environment(args.database_url)  # DEBUG=0, production-like settings, as the other benchmarks
    import django

    django.setup()
    import logging

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from community.roles import Role
    from members.models import Member
    from metrics import rollups

    from django.conf import settings
    from django.test.utils import override_settings

    logging.disable(logging.WARNING)
    # No collectstatic manifest here: plain static storage, as bench/directory.py's measure.
    override_settings(STORAGES={
        **settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }).enable()
    results: dict = {"database": connection.vendor, "name": connection.settings_dict["NAME"], "runs": []}

    def backend_cpu() -> float:
        """CPU seconds PostgreSQL's backend for this connection has used (same machine: /proc)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return float("nan")

    def timed(name, call):
        # On a shared machine wall time mostly measures the queue for the CPU: CPU time is recorded too.
        load, cpu, db_cpu = _load(), time.process_time(), backend_cpu()
        started = time.perf_counter()
        outcome = call()
        seconds = round(time.perf_counter() - started, 2)
        used = {"python_cpu_s": round(time.process_time() - cpu, 2), "postgres_cpu_s": round(backend_cpu() - db_cpu, 2)}
        results["runs"].append({"figure": name, "seconds": seconds, **used, "load": load})
        print(f"{name}: {seconds} s, CPU python {used['python_cpu_s']} s + postgres {used['postgres_cpu_s']} s "
              f"(load {load})", flush=True)
        return outcome

    if args.since_days:
        from datetime import timedelta

        from django.utils import timezone

        since = timezone.localdate() - timedelta(days=args.since_days)
        results["rollup_rows"] = timed(f"since_{args.since_days}_days", lambda: rollups.rollup_metrics(since=since))
    for _ in range(0 if args.skip_rebuild or args.since_days else args.runs):
        results["rollup_rows"] = timed("rebuild", lambda: rollups.rollup_metrics(rebuild=True))
    for _ in range(0 if args.skip_incremental else args.runs):
        timed("incremental", rollups.rollup_metrics)

    sponsor = Member.objects.filter(groups__name=Role.SPONSOR.value).first()
    if sponsor is None:
        parser.error("the database has no executive sponsor to read the reports as")
    client = Client()
    client.force_login(sponsor)
    pages = {
        "dashboard_30_days": "/metrics/",
        "dashboard_90_days": "/metrics/?period=last90",
        "metric_page": "/metrics/time_to_first_reply/",
        "metric_page_active": "/metrics/active_members/",
        "metric_page_weekly": "/metrics/active_members/?period=last90&granularity=week",
        "csv": "/metrics/gives.csv?period=last90",
    }
    for name, url in pages.items():
        assert client.get(url, secure=True).status_code == 200, url  # warm: templates, the value model
        for _ in range(args.runs):
            load = _load()
            times, queries = [], set()
            for _ in range(args.requests):
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    assert client.get(url, secure=True).status_code == 200, url
                    times.append((time.perf_counter() - started) * 1000)
                queries.add(len(captured))
            median = round(statistics.median(times), 1)
            results["runs"].append({"figure": name, "median_ms": median, "queries": sorted(queries), "load": load})
            print(f"{name}: median {median} ms, queries {sorted(queries)} (load {load})", flush=True)
    timed("pdf_first", lambda: client.get("/metrics/report.pdf?period=last90", secure=True))  # vl-convert's first call
    for _ in range(args.runs):
        response = timed("pdf", lambda: client.get("/metrics/report.pdf?period=last90", secure=True))
        assert response.status_code == 200
    pdf = ROOT / "bench" / "results" / "metrics-report.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(response.content)
    args.output.write_text(json.dumps(results, indent=2))
    print(f"Results: {args.output}; the last PDF: {pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
