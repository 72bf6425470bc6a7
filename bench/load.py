#!/usr/bin/env python
"""A small, bounded HTTP load harness for a Mutua server on this machine.

    .venv/bin/python bench/load.py --port 8000 --path /forums/ --users 20 --seconds 30
    .venv/bin/python bench/load.py --port 8000 --path /healthz --path /forums/ --server-pid 1234
    .venv/bin/python bench/load.py --port 8000 --path /t/1/ --cookie "__Host-sessionid=..."

Fixed users (threads, one keep-alive HTTP/1.1 connection each, requests back to back), fixed
seconds, 127.0.0.1 only. Every response is checked: a status other than --expect-status (or a body
without --expect-text) counts as a failure and is reported, never timed as a success. With
--server-pid, the server process's CPU (user + system, from /proc) over the run is divided by the
requests served: the server-side cost of a page, which is what tells a page apart from the server.

Importable: `run_load(...)` returns the same dictionary the command prints as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import statistics
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


class User(threading.Thread):
    """One simulated visitor: requests its paths in turn on one connection until the deadline."""

    def __init__(self, *, port, paths, headers, deadline, expect_status, expect_text):
        super().__init__(daemon=True)
        self.port, self.paths, self.headers, self.deadline = port, paths, headers, deadline
        self.expect_status, self.expect_text = expect_status, expect_text.encode() if expect_text else b""
        self.timings_ms: list[float] = []
        self.failures: dict[str, int] = {}

    def fail(self, reason: str) -> None:
        self.failures[reason] = self.failures.get(reason, 0) + 1

    def run(self) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        turn = 0
        while time.monotonic() < self.deadline:
            path = self.paths[turn % len(self.paths)]
            turn += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=self.headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.fail(f"{type(error).__name__} on {path}")
                connection.close()
                connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
                continue
            elapsed_ms = (time.perf_counter() - started) * 1000
            if response.status != self.expect_status:
                self.fail(f"HTTP {response.status} on {path}")
            elif self.expect_text and self.expect_text not in body:
                self.fail(f"expected text missing on {path}")
            else:
                self.timings_ms.append(elapsed_ms)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        connection.close()


def run_load(
    *,
    port: int,
    paths: list[str],
    users: int = 20,
    seconds: float = 30.0,
    cookie: str = "",
    host_header: str = "localhost",
    expect_status: int = 200,
    expect_text: str = "",
    server_pids: tuple[int, ...] = (),
    on_tick=None,
) -> dict:
    """Run the load; `on_tick()` (if given) is called about every 0.25 s while it runs (sampling)."""
    headers = {"Host": host_header, "Connection": "keep-alive"}
    if cookie:
        headers["Cookie"] = cookie
    load_before = os.getloadavg()
    cpu_before = {pid: cpu_ms(pid) for pid in server_pids}
    started = time.monotonic()
    deadline = started + seconds
    crowd = [
        User(port=port, paths=paths, headers=headers, deadline=deadline, expect_status=expect_status, expect_text=expect_text)
        for _ in range(users)
    ]
    for user in crowd:
        user.start()
    while any(user.is_alive() for user in crowd):
        if on_tick is not None:
            on_tick()
        time.sleep(0.25)
    wall_s = time.monotonic() - started
    server_cpu_ms = sum(cpu_ms(pid) - before for pid, before in cpu_before.items())
    timings = [t for user in crowd for t in user.timings_ms]
    failures: dict[str, int] = {}
    for user in crowd:
        for reason, count in user.failures.items():
            failures[reason] = failures.get(reason, 0) + count
    result = {
        "paths": paths,
        "users": users,
        "seconds": round(wall_s, 1),
        "ok": len(timings),
        "failed": sum(failures.values()),
        "failures": failures,
        "requests_per_s": round(len(timings) / wall_s, 1),
        "p50_ms": round(statistics.median(timings), 1) if timings else None,
        "p95_ms": round(percentile(timings, 95), 1) if timings else None,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    if server_pids:
        served = len(timings) + result["failed"]
        result["server_cpu_ms_per_request"] = round(server_cpu_ms / served, 2) if served else None
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="the server's port on 127.0.0.1")
    parser.add_argument("--path", action="append", required=True, help="a path to request (repeat for several, taken in turn)")
    parser.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration (default 30)")
    parser.add_argument("--cookie", default="", help="Cookie header, e.g. a signed-in session")
    parser.add_argument("--host-header", default="localhost", help="Host header (one of ALLOWED_HOSTS)")
    parser.add_argument("--expect-status", type=int, default=200)
    parser.add_argument("--expect-text", default="", help="text every successful body must contain")
    parser.add_argument("--server-pid", type=int, action="append", default=[], help="server process(es) whose CPU to count")
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 0 < args.seconds <= 600:
        parser.error("--users must be 1..500 and --seconds 0..600 (this harness is bounded on purpose)")
    result = run_load(
        port=args.port,
        paths=args.path,
        users=args.users,
        seconds=args.seconds,
        cookie=args.cookie,
        host_header=args.host_header,
        expect_status=args.expect_status,
        expect_text=args.expect_text,
        server_pids=tuple(args.server_pid),
    )
    print(json.dumps(result, indent=2))
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
