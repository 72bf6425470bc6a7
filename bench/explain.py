#!/usr/bin/env python
"""EXPLAIN (ANALYZE, BUFFERS) every SQL query one page issues, against the bench database.

    .venv/bin/python bench/explain.py '/members/?q=Maria'
    .venv/bin/python bench/explain.py '/members/?skill=python' --min-ms 5
    .venv/bin/python bench/explain.py '/pay-it-back/?page=67' --as joao-otieno-1   # as another member

Requests the URL as the bench viewer (same settings as bench/directory.py, so run that first to
create the data), records each query with its parameters, then prints the plan of every query that
took at least --min-ms. Read-only: EXPLAIN ANALYZE runs inside a transaction that is rolled back.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory import DEFAULT_DATABASE_URL, configure_environment  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+", help="paths to request, e.g. '/members/?q=Maria'")
    parser.add_argument("--min-ms", type=float, default=2.0, help="explain queries at least this slow (default 2)")
    parser.add_argument(
        "--as",
        dest="handle",
        help="request as this member (default: the bench viewer); "
        "e.g. the bench receiver of bench/reciprocity.py for /pay-it-back/",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    args = parser.parse_args()
    configure_environment(args.database_url)

    import django

    django.setup()
    import dataset
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import override_settings

    from members.models import Member

    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    client = Client()
    client.force_login(Member.objects.get(username=args.handle or dataset.VIEWER_HANDLE))

    for url in args.urls:
        client.get(url, secure=True)  # warm
        recorded = []

        def record(execute, sql, params, many, context):
            started = time.perf_counter_ns()
            try:
                return execute(sql, params, many, context)
            finally:
                recorded.append(((time.perf_counter_ns() - started) / 1e6, sql, params))

        with connection.execute_wrapper(record):
            response = client.get(url, secure=True)
        print(
            f"=== GET {url} -> {response.status_code}, {len(recorded)} queries, "
            f"{sum(ms for ms, _, _ in recorded):.1f} ms SQL"
        )
        for ms, sql, params in recorded:
            if ms < args.min_ms:
                continue
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                transaction.set_rollback(True)
            print(f"\n--- {ms:.1f} ms: {cursor.db.ops.last_executed_query(cursor.cursor, sql, params)[:600]}\n{plan}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
