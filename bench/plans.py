#!/usr/bin/env python
"""Plans benchmark: the plan page and the first page of each outreach list, in-process, on a
database that already holds a community with its metrics' rollups.

    .venv/bin/python bench/plans.py --database-url postgres://postgres@127.0.0.1:5432/mutua_bench_plans
    DATABASE_URL=sqlite:////tmp/plans/demo.sqlite3 .venv/bin/python bench/plans.py   # the make run demo

When the database has no plan, it makes one through the services (a plan in its 60th day with an
objective on each kind of metric, a beta group and outreach sent), as a community manager. Timed
with the test Client as a manager; the load average is recorded with each run (the machine is shared).
Targets (issue 11): plan page median < 80 ms with constant queries; each list's first page < 150 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
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

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from community.roles import Role
    from members.models import Member
    from plans import outreach, services
    from plans.models import Plan, Programme

    logging.disable(logging.WARNING)
    manager = Member.objects.filter(groups__name=Role.MANAGER.value, is_active=True).order_by("pk").first()
    if manager is None:
        parser.error("the database has no community manager")
    plan = Plan.objects.filter(status=Plan.Status.ACTIVE).order_by("-start").first()
    if plan is None:
        from forums.models import Group

        plan = services.create_plan(actor=manager, title="Bench plan",
                                    start=timezone.localdate() - timedelta(days=59))
        for kind, key in [(Programme.Kind.ACQUISITION, "new_members"), (Programme.Kind.ACQUISITION, "members_total"),
                          (Programme.Kind.CONTENT, "threads"), (Programme.Kind.CONTENT, "active_members"),
                          (Programme.Kind.CONTENT, "time_to_first_reply"), (Programme.Kind.OUTREACH, "gives")]:
            services.add_objective(actor=manager, plan=plan, programme=plan.programmes.get(kind=kind), metric=key,
                                   target=100, owner=manager)
        group = Group.objects.order_by("-post_count").first()
        if group is not None:
            services.set_beta_group(actor=manager, plan=plan, group=group)
            services.add_objective(actor=manager, plan=plan, programme=plan.programmes.get(kind=Programme.Kind.BETA),
                                   metric="beta:posts", target=100, owner=manager)
        members = list(Member.objects.filter(groups__name=Role.MEMBER.value).order_by("pk")[:20])
        services.send_outreach(actor=manager, plan=plan, list_key="quiet", members=members,
                               message="We missed your answers on the integration threads this month.")
    client = Client()
    client.force_login(manager)
    pages = {"plan_page": f"/plans/{plan.pk}/", "plans_list": "/plans/"}
    pages.update({f"outreach_{key}": f"/plans/{plan.pk}/outreach/?list={key}" for key in outreach.LISTS})
    results: dict = {"database": connection.vendor, "load_average": os.getloadavg()}
    for name, url in pages.items():
        client.get(url)  # warm
        times, queries = [], set()
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                assert client.get(url).status_code == 200, url
                times.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured))
        times.sort()
        results[name] = {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
            "queries": sorted(queries),
        }
        print(f"{name:28} median {results[name]['median_ms']:8.1f} ms  p95 {results[name]['p95_ms']:8.1f} ms  "
              f"queries {results[name]['queries']}", flush=True)
    results["load_average_after"] = os.getloadavg()
    print("load average before/after:", results["load_average"], results["load_average_after"])
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "plans.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
