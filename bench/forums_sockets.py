"""The forums benchmark's live part (run from bench/forums.py): a post delivered to many WebSocket
clients on one thread over the Redis channel layer.

For each --daphne count N: start N Daphne processes (tests/servers.py's start_daphne, port 0) on the
bench database with REDIS_URL, a CHANNEL_PREFIX and CACHE_PREFIX of this run's own and DEBUG=0; open
--clients WebSocket clients (the `websockets` package, one asyncio loop in this process) on
/ws/threads/<live thread>/, spread round-robin over the processes as a load balancer would, each with
the session cookie of a different bench member (sessions created in the database as django.contrib.auth
would, deleted afterwards) and an Origin the server allows; count failed handshakes. Then, --rounds
times (after two warm-up rounds), a bench poster submits a reply through the thread page's form: an
HTTP POST to Daphne with their session and a CSRF cookie/token, answered by a 302 to the new post. The
time from writing the POST to the last client's receipt of that post's `post.created` event is the
figure; also to the first receipt and to the POST's response, and which clients received it.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import resource
import statistics
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from directory import RESULTS_DIR, percentile

WARMUP_ROUNDS = 2
HANDSHAKES_IN_FLIGHT = 64  # how many handshakes at once while opening (a burst beyond Twisted's backlog waits)
ROUND_TIMEOUT_S = 15.0


def raise_open_files(needed: int) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = min(hard, max(needed, 4096)) if hard != resource.RLIM_INFINITY else max(needed, 4096)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))  # inherited by the Daphne processes
        soft = target
    return {"nofile_soft": soft, "nofile_hard": hard}


def create_sessions(members) -> dict[int, str]:
    """A database session per member, as django.contrib.auth.login writes it (what a browser's cookie holds)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = {}
    for member in members:
        session = store()
        session[SESSION_KEY] = member._meta.pk.value_to_string(member)
        session[BACKEND_SESSION_KEY] = "members.auth_backends.MemberBackend"
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        keys[member.pk] = session.session_key
    return keys


def delete_sessions(keys) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=list(keys)).delete()


def delete_redis_keys(url: str, prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"*{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()
    return len(keys)


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


async def post_reply(port: int, path: str, cookies: str, csrf: str, body: str) -> tuple[int, str]:
    """POST the reply form to Daphne over a fresh HTTP/1.1 connection; (status, Location)."""
    data = urlencode({"csrfmiddlewaretoken": csrf, "body": body, "reply_to": ""}).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookies}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(data)}\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
            + data
        )
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    finally:
        writer.close()
    status = int(head[0].split()[1])
    location = next((line.split(":", 1)[1].strip() for line in head if line.lower().startswith("location:")), "")
    return status, location


async def scenario(*, ports, ws_path, thread_path, client_cookies, poster_cookies, csrf, rounds, daphne_pids):
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    clients = len(client_cookies)
    receipts: dict[int, dict[int, float]] = collections.defaultdict(dict)  # number -> client -> time
    complete: dict[int, asyncio.Event] = collections.defaultdict(asyncio.Event)
    closed_during_run: dict[int, str] = {}
    failures: list[str] = []
    sockets: list = [None] * clients
    gate = asyncio.Semaphore(HANDSHAKES_IN_FLIGHT)

    async def read(i: int, ws) -> None:
        try:
            async for message in ws:
                at = time.perf_counter()
                if '"post.created"' not in message[:40]:
                    continue
                event = json.loads(message)
                got = receipts[event["number"]]
                got.setdefault(i, at)
                if len(got) == clients:
                    complete[event["number"]].set()
        except ConnectionClosed as error:
            closed_during_run[i] = f"{error.rcvd.code if error.rcvd else None}"

    async def open_one(i: int) -> None:
        port = ports[i % len(ports)]
        async with gate:
            try:
                ws = await connect(
                    f"ws://127.0.0.1:{port}{ws_path}",
                    origin=f"http://127.0.0.1:{port}",
                    additional_headers={"Cookie": client_cookies[i]},
                    open_timeout=60,
                    ping_interval=None,  # Daphne pings; the client answers while it reads
                    max_size=2**22,
                )
            except Exception as error:  # a refused or failed handshake
                failures.append(f"client {i}: {type(error).__name__}: {error}")
                return
        sockets[i] = ws
        asyncio.get_running_loop().create_task(read(i, ws))

    t = time.perf_counter()
    await asyncio.gather(*(open_one(i) for i in range(clients)))
    open_seconds = time.perf_counter() - t
    opened = [ws for ws in sockets if ws is not None]
    extensions = [type(e).__name__ for e in opened[0].protocol.extensions] if opened else []
    await asyncio.sleep(0.5)

    results = []
    for r in range(WARMUP_ROUNDS + rounds):
        port = ports[r % len(ports)]  # the load balancer's choice for the POST
        body = f"Round {r}: shipped the onboarding checklist, {uuid.uuid4().hex[:8]}. Thanks for the reviews!"
        cpu_before = [cpu_ms(pid) for pid in daphne_pids]
        own_before = time.process_time()
        t0 = time.perf_counter()
        status, location = await post_reply(port, thread_path, poster_cookies[r % len(poster_cookies)], csrf, body)
        t_response = time.perf_counter()
        if status != 302 or "post=" not in location:
            raise SystemExit(
                f"FAIL: the reply POST answered {status} (Location {location!r}); expected a 302 to the post."
            )
        number = int(parse_qs(urlsplit(location).query)["post"][0])
        try:
            await asyncio.wait_for(complete[number].wait(), ROUND_TIMEOUT_S)
        except TimeoutError:
            pass
        got = receipts[number]
        await asyncio.sleep(0.05)  # let any straggling processing finish before reading the CPU figures
        row = {
            "number": number,
            "port": port,
            "received": len(got),
            "response_ms": round((t_response - t0) * 1000, 2),
            "first_ms": round((min(got.values()) - t0) * 1000, 2) if got else None,
            "last_ms": round((max(got.values()) - t0) * 1000, 2) if got else None,
            "median_client_ms": round((statistics.median(got.values()) - t0) * 1000, 2) if got else None,
            "daphne_cpu_ms": [round(cpu_ms(pid) - b, 1) for pid, b in zip(daphne_pids, cpu_before, strict=True)],
            "client_cpu_ms": round((time.process_time() - own_before) * 1000, 1),
        }
        if r >= WARMUP_ROUNDS:
            results.append(row)
        await asyncio.sleep(0.3)

    still_open = sum(1 for i, ws in enumerate(sockets) if ws is not None and i not in closed_during_run)
    await asyncio.gather(*(ws.close() for ws in opened), return_exceptions=True)
    return {
        "open_seconds": round(open_seconds, 2),
        "handshake_failures": len(failures),
        "failures_sample": failures[:5],
        "closed_during_run": len(closed_during_run),
        "close_codes": dict(collections.Counter(closed_during_run.values())),
        "still_open_at_end": still_open,
        "extensions": extensions,
        "rounds": results,
    }


def run_configuration(n: int, args, *, env: dict, ports_log_dir: Path, **kwargs) -> dict:
    import sys

    from django.conf import settings as django_settings

    sys.path.insert(0, str(django_settings.BASE_DIR))
    from tests.servers import start_daphne, stop, wait_for_port

    processes = []
    try:
        for i in range(n):
            processes.append(start_daphne(f"daphne-{n}-{i + 1}", env, ports_log_dir))
        ports = [wait_for_port(process, log, timeout=30) for process, log in processes]
        outcome = asyncio.run(
            scenario(ports=ports, daphne_pids=[p.pid for p, _ in processes], rounds=args.rounds, **kwargs)
        )
    finally:
        for process, _ in processes:
            stop(process)
    rounds = outcome["rounds"]
    last = [r["last_ms"] for r in rounds if r["last_ms"] is not None]
    everyone = all(r["received"] == args.clients for r in rounds)
    median = statistics.median(last) if last else None
    return {
        "daphne_processes": n,
        "clients": args.clients,
        **{k: v for k, v in outcome.items() if k != "rounds"},
        "timed_rounds": len(rounds),
        "every_client_received_every_post": everyone,
        "posts_missing_receipts": sum(args.clients - r["received"] for r in rounds),
        "submit_to_last_ms": {
            "median": round(median, 1) if median is not None else None,
            "p95": round(percentile(last, 95), 1) if last else None,
            "max": round(max(last), 1) if last else None,
        },
        "submit_to_first_ms_median": round(statistics.median(r["first_ms"] for r in rounds if r["first_ms"]), 1),
        "submit_to_median_client_ms_median": round(
            statistics.median(r["median_client_ms"] for r in rounds if r["median_client_ms"]), 1
        ),
        "post_response_ms_median": round(statistics.median(r["response_ms"] for r in rounds), 1),
        "daphne_cpu_ms_per_round_median": [
            round(statistics.median(r["daphne_cpu_ms"][i] for r in rounds), 1) for i in range(n)
        ],
        "client_cpu_ms_per_round_median": round(statistics.median(r["client_cpu_ms"] for r in rounds), 1),
        "meets_goal": bool(
            everyone
            and outcome["handshake_failures"] == 0
            and outcome["closed_during_run"] == 0
            and median is not None
            and median < 400.0
        ),
        "rounds": rounds,
    }


def run_sockets(args, forums: dict) -> dict:
    import dataset
    from django.conf import settings
    from django.utils.crypto import get_random_string

    from forums.models import Thread
    from members.models import Member

    limits = raise_open_files(2 * args.clients + 512)
    thread = Thread.objects.select_related("group").get(pk=forums["live_thread_id"])
    posters = list(Member.objects.filter(pk__in=forums["posters"]).order_by("pk"))
    readers = list(
        Member.objects.filter(is_active=True, email__endswith="@" + dataset.BENCH_DOMAIN)
        .exclude(pk__in=forums["posters"])
        .exclude(username=dataset.VIEWER_HANDLE)
        .order_by("pk")[: args.clients]
    )
    if len(readers) < args.clients:
        raise SystemExit(f"Only {len(readers)} members to open {args.clients} sockets; use more --members.")
    t = time.perf_counter()
    reader_keys = create_sessions(readers)
    poster_keys = create_sessions(posters)
    sessions_seconds = time.perf_counter() - t
    csrf = get_random_string(32)  # an unmasked CSRF secret is a valid form token for Django
    session_cookie, csrf_cookie = settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME
    prefix = f"mutua-bench-forums-{uuid.uuid4().hex[:12]}"
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
    redis_url = args.redis_url
    if args.redis_socket_timeout is not None:
        redis_url += ("&" if "?" in redis_url else "?") + f"socket_timeout={args.redis_socket_timeout:g}"
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": prefix,
        "CACHE_PREFIX": prefix,
        "ALLOWED_HOSTS": ",".join(dict.fromkeys([*hosts, "127.0.0.1"])),
        "LOG_LEVEL": "INFO",  # Daphne's "Listening on" line tells the port it chose
        "PYTHONUNBUFFERED": "1",
    }
    if args.conn_max_age is not None:
        env["CONN_MAX_AGE"] = str(args.conn_max_age)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log_dir = RESULTS_DIR / "daphne"
    log_dir.mkdir(parents=True, exist_ok=True)
    posts_before = thread.post_count
    configurations = {}
    print(
        f"Sockets: {args.clients:,} clients on {thread.get_absolute_url()} (live thread, {posts_before} posts), "
        f"{args.rounds} timed rounds (+{WARMUP_ROUNDS} warm-up) per Daphne count {args.daphne}; Redis {args.redis_url}"
    )
    try:
        for n in args.daphne:
            result = run_configuration(
                n,
                args,
                env=env,
                ports_log_dir=log_dir,
                ws_path=f"/ws/threads/{thread.pk}/",
                thread_path=thread.get_absolute_url(),
                client_cookies=[f"{session_cookie}={reader_keys[m.pk]}" for m in readers],
                poster_cookies=[f"{session_cookie}={poster_keys[m.pk]}; {csrf_cookie}={csrf}" for m in posters],
                csrf=csrf,
            )
            configurations[f"daphne_{n}"] = result
            s = result["submit_to_last_ms"]
            print(
                f"  {n} Daphne: handshakes failed {result['handshake_failures']}, every post to every client "
                f"{result['every_client_received_every_post']}, submit→last median {s['median']} ms, p95 {s['p95']} ms"
            )
    finally:
        delete_sessions([*reader_keys.values(), *poster_keys.values()])
        removed = delete_redis_keys(args.redis_url, prefix)
    thread.refresh_from_db()
    return {
        "thread": {
            "id": thread.pk,
            "url": thread.get_absolute_url(),
            "posts_before": posts_before,
            "posts_after": thread.post_count,
        },  # fmt: skip
        "submit": "HTTP POST of the thread page's reply form to Daphne (session + CSRF), 302 to the new post",
        "clients_authenticated_as": f"{args.clients} distinct bench members (database sessions)",
        "channel_layer": {
            "backend": "channels_redis.core.RedisChannelLayer",
            "redis_url": redis_url,
            "socket_timeout": args.redis_socket_timeout or "redis-py default (5 s)",
            "prefix": prefix,
            "capacity": int(os.environ.get("CHANNEL_CAPACITY", 1000)),
            "redis_keys_removed_after": removed,
        },
        "conn_max_age": env.get("CONN_MAX_AGE", "0 (app default)"),
        "sessions_seconds": round(sessions_seconds, 2),
        "open_files": limits,
        "configurations": configurations,
    }


def print_sockets(sockets: dict) -> None:
    header = (
        f"{'sockets':<10} {'clients':>8} {'hs fail':>8} {'all got all':>12} {'last med':>9} {'last p95':>9} "
        f"{'first med':>10} {'POST ms':>8} {'daphne CPU ms':>14} {'client CPU':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, r in sockets["configurations"].items():
        s = r["submit_to_last_ms"]
        print(
            f"{name:<10} {r['clients']:>8} {r['handshake_failures']:>8} "
            f"{'yes' if r['every_client_received_every_post'] else 'NO':>12} {s['median']:>9} {s['p95']:>9} "
            f"{r['submit_to_first_ms_median']:>10} {r['post_response_ms_median']:>8} "
            f"{'/'.join(map(str, r['daphne_cpu_ms_per_round_median'])):>14} {r['client_cpu_ms_per_round_median']:>11}"
        )
    print()
