#!/usr/bin/env python
"""Database connections under ASGI: does PostgreSQL's connection count hold under load?

    .venv/bin/python bench/pool.py --database-url postgres://postgres@127.0.0.1:5432/mutua_pool
    .venv/bin/python bench/pool.py --database-url ... --only pgbouncer --pool-size 20 --users 50 --seconds 30

For each configuration, one Daphne process (DEBUG=0) serves the database's community while
bench/load.py sends --users concurrent users for --seconds (the forum list, a public thread,
/healthz, in turn), and a sampler counts PostgreSQL's client connections to that database in
pg_stat_activity every 0.25 s. Configurations:

- `direct-0`:    Daphne straight to PostgreSQL, CONN_MAX_AGE=0 (a connection per request, closed after)
- `direct-60`:   Daphne straight to PostgreSQL, CONN_MAX_AGE=60 (what piled up to 100 connections)
- `pgbouncer`:   Daphne to a PgBouncer (Debian's /usr/sbin/pgbouncer, started here on a free port)
                 in transaction mode with --pool-size server connections, DISABLE_SERVER_SIDE_CURSORS=1,
                 CONN_MAX_AGE=0 — the topology of docker-compose.yml.

The database needs a community in it (`manage.py migrate`, `seed_demo`, `seed_forums`, `seed_content`).
Reports, per configuration: the most and the last connections seen, requests/s, p50/p95, failures.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PGBOUNCER = "/usr/sbin/pgbouncer"
CONFIGURATIONS = ("direct-0", "direct-60", "pgbouncer")
STATIC_ROOT = BENCH_DIR / "results" / "staticfiles"
SECRET_KEY = secrets.token_urlsafe(50)

sys.path.insert(0, str(BENCH_DIR))
from load import run_load  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"process exited early:\n{log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listened on {port}:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def start_pgbouncer(*, target, pool_size: int, workdir: Path) -> tuple[subprocess.Popen, int]:
    """A PgBouncer in transaction mode in front of the target database (trust auth, as this machine's)."""
    port = free_port()
    ini = workdir / "pgbouncer.ini"
    ini.write_text(
        "[databases]\n"
        f"{target.path.lstrip('/')} = host={target.hostname} port={target.port or 5432} user={target.username}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = any\npool_mode = transaction\n"
        f"default_pool_size = {pool_size}\nmax_db_connections = {pool_size}\nreserve_pool_size = 0\n"
        "max_client_conn = 1000\nignore_startup_parameters = extra_float_digits\n"
        f"logfile = {workdir / 'pgbouncer.log'}\npidfile = {workdir / 'pgbouncer.pid'}\n"
    )
    log = workdir / "pgbouncer.out"
    # PgBouncer refuses to run as root: it then runs as the postgres account, which must write here.
    as_user = ["-u", "postgres"] if os.geteuid() == 0 else []
    workdir.chmod(0o777)
    with log.open("wb") as out:
        process = subprocess.Popen([PGBOUNCER, *as_user, str(ini)], stdout=out, stderr=subprocess.STDOUT)
    wait_for_port(port, process, log)
    return process, port


def production_env(database_url: str, extra_env: dict | None = None) -> dict:
    """DEBUG=0 settings on plain HTTP, as a proxy would see the site."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "localhost",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(STATIC_ROOT),
        **(extra_env or {}),
    }
    env.pop("REDIS_URL", None)
    return env


def start_daphne(*, database_url: str, extra_env: dict, workdir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = production_env(database_url, extra_env)
    log = workdir / "daphne.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/daphne"), "-b", "127.0.0.1", "-p", str(port), "community.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for_port(port, process, log)
    return process, port


class ConnectionSampler:
    """Counts the client connections to one database, from a connection of its own (not counted)."""

    def __init__(self, database_url: str):
        import psycopg2

        self.database = urlsplit(database_url).path.lstrip("/")
        self.connection = psycopg2.connect(database_url)
        self.connection.autocommit = True
        self.samples: list[int] = []

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'"
                " AND pid <> pg_backend_pid()",
                [self.database],
            )
            return cursor.fetchone()[0]

    def sample(self) -> None:
        self.samples.append(self.count())


def public_paths(database_url: str) -> list[str]:
    """The pages the users request in turn: the forum list, a public thread, the health check."""
    import psycopg2

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT g.slug, t.id FROM forums_thread t JOIN forums_group g ON g.id = t.group_id"
            " WHERE g.visibility = 'public' ORDER BY t.id LIMIT 1"
        )
        row = cursor.fetchone()
    if row is None:
        raise SystemExit("no public thread in this database: seed it first (seed_demo, seed_forums)")
    return ["/forums/", f"/forums/{row[0]}/{row[1]}/", "/healthz"]


def run_configuration(name: str, args, paths: list[str]) -> dict:
    target = urlsplit(args.database_url)
    with tempfile.TemporaryDirectory(prefix=f"mutua-pool-{name}-") as tmp:
        workdir = Path(tmp)
        pgbouncer = None
        try:
            if name == "pgbouncer":
                pgbouncer, bouncer_port = start_pgbouncer(target=target, pool_size=args.pool_size, workdir=workdir)
                url = target._replace(netloc=f"{target.username}@127.0.0.1:{bouncer_port}").geturl()
                extra = {"CONN_MAX_AGE": "0", "DISABLE_SERVER_SIDE_CURSORS": "1"}
            else:
                url = args.database_url
                extra = {"CONN_MAX_AGE": name.split("-")[1]}
            daphne, port = start_daphne(database_url=url, extra_env=extra, workdir=workdir)
            sampler = ConnectionSampler(args.database_url)
            try:
                before = sampler.count()
                result = run_load(
                    port=port, paths=paths, users=args.users, seconds=args.seconds,
                    server_pids=(daphne.pid,), on_tick=sampler.sample,
                )
                time.sleep(1)
                result.update(
                    configuration=name,
                    connections_before=before,
                    connections_max=max(sampler.samples, default=before),
                    connections_after_1s=sampler.count(),
                    samples=len(sampler.samples),
                )
                if name == "pgbouncer":
                    result["pool_size"] = args.pool_size
                    result["held_pool_size"] = result["connections_max"] <= args.pool_size
            finally:
                stop(daphne)
                sampler.connection.close()
        finally:
            if pgbouncer is not None:
                stop(pgbouncer)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database with a community in it")
    parser.add_argument("--only", nargs="*", choices=CONFIGURATIONS, help="configurations to run (default all)")
    parser.add_argument("--pool-size", type=int, default=20, help="PgBouncer's server connections (default 20)")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds per configuration (default 30)")
    args = parser.parse_args()
    if not Path(PGBOUNCER).exists() and (not args.only or "pgbouncer" in args.only):
        parser.error(f"{PGBOUNCER} is missing: apt-get install -y pgbouncer (or --only direct-0 direct-60)")
    paths = public_paths(args.database_url)
    # DEBUG=0 serves the hashed static files of collectstatic's manifest, as production does
    # (built once: delete bench/results/staticfiles after changing static files).
    if not (STATIC_ROOT / "staticfiles.json").exists():
        subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT, env=production_env(args.database_url), check=True,
        )
    results = []
    for name in args.only or CONFIGURATIONS:
        result = run_configuration(name, args, paths)
        results.append(result)
        print(json.dumps(result, indent=2), flush=True)
    return 0 if all(r["failed"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
