#!/usr/bin/env python
"""Metrics benchmark: the rollup rebuild, an incremental run, the dashboard, a metric page and the
PDF report, in-process, on a database that already holds a community.

    DATABASE_URL=sqlite:///db.sqlite3 .venv/bin/python bench/metrics.py        # the make run demo
    .venv/bin/python bench/metrics.py --database-url postgres://postgres@127.0.0.1:5432/mutua_x

It writes nothing but the rollups (which it rebuilds). It does NOT generate the issue's bench data
(100,000 members, 1,000,000 posts, 5,000,000 gives): see bench/README.md ("Metrics") for what was
measured and what was not. Timed with the test Client as a sponsor, as bench/directory.py does.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--requests", type=int, default=15, help="timed requests a page (default 15)")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL (a database with a community in it)")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from community.roles import Role
    from members.models import Member
    from metrics import rollups

    logging.disable(logging.WARNING)
    results: dict = {"database": connection.vendor}

    started = time.perf_counter()
    results["rollup_rows"] = rollups.rollup_metrics(rebuild=True)
    results["rebuild_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    rollups.rollup_metrics()
    results["incremental_s"] = round(time.perf_counter() - started, 2)

    sponsor = Member.objects.filter(groups__name=Role.SPONSOR.value).first()
    if sponsor is None:
        parser.error("the database has no executive sponsor to read the reports as")
    client = Client()
    client.force_login(sponsor)
    pages = {
        "dashboard_30_days": "/metrics/",
        "dashboard_90_days": "/metrics/?period=last90",
        "metric_page": "/metrics/time_to_first_reply/",
        "metric_page_weekly": "/metrics/active_members/?period=last90&granularity=week",
        "csv": "/metrics/gives.csv?period=last90",
    }
    for name, url in pages.items():
        client.get(url)  # warm: templates, the value model
        times, queries = [], set()
        for _ in range(args.requests):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                assert client.get(url).status_code == 200, url
                times.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured))
        results[name] = {"median_ms": round(statistics.median(times), 1), "queries": sorted(queries)}
    started = time.perf_counter()
    assert client.get("/metrics/report.pdf?period=last90").status_code == 200
    results["pdf_first_s"] = round(time.perf_counter() - started, 2)  # includes vl-convert's first call
    started = time.perf_counter()
    assert client.get("/metrics/report.pdf?period=last90").status_code == 200
    results["pdf_s"] = round(time.perf_counter() - started, 2)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
