"""Servers for tests that need more than one process: Daphne in a subprocess, on the database the
test committed to (and, on SQLite, what it wrote there read back), with Redis keys of its own; and a
throwaway redis-server a test can stop and start again."""

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection, connections

DAPHNE = shutil.which("daphne", path=str(Path(sys.executable).parent)) or "daphne"
LISTENING = re.compile(r"Listening on TCP address 127\.0\.0\.1:(\d+)")


def in_clean_thread(function, *args, **kwargs):
    """Call `function` in a thread of its own, closing the thread's database connections after.

    Channels' sync/async bridges refuse to start in a thread whose event loop is running, and once
    pytest-playwright's session-wide browser has started, the main thread always has one. Sending
    and awaiting from a fresh thread keeps these tests meaningful whatever ran before them.
    """

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def database_url_for_subprocesses(tmp_path: Path, *, application_name: str) -> str:
    """A database the Daphne processes can open that holds what this test committed."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        # Named, so that the test can wait for their sessions to end before the database is dropped.
        return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}?application_name={application_name}"
    # pytest-django's SQLite test database lives in memory: copy it to a file the processes share.
    path = tmp_path / "realtime.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"sqlite:///{path}"


def read_back_what_the_server_committed(database_url: str) -> None:
    """On SQLite the server wrote to its file copy: bring that into the test database for the ORM."""
    if not database_url.startswith("sqlite:///"):
        return  # PostgreSQL: the server wrote to the test database itself
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def start_daphne(name: str, env: dict, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [DAPHNE, "-e", "tcp:port=0:interface=127.0.0.1", "community.asgi:application"],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, log


def wait_for_port(process: subprocess.Popen, log: Path, timeout: float = 30) -> int:
    # Generous: on a loaded two-core machine Daphne has taken more than 12 s to start.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = LISTENING.search(log.read_text(errors="replace"))
        if match:
            return int(match.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"Daphne did not start listening:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextmanager
def daphne_server(tmp_path: Path, *, database_url: str, prefix: str, redis_url: str) -> Iterator[str]:
    """Serve the project with Daphne on a free port; yields its base URL and always stops it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": prefix,  # its channel layer and cache keys are this test's alone
        "CACHE_PREFIX": prefix,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "INFO",  # Daphne's "Listening on" line tells us the port it chose
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the server runs as in production
    process, log = start_daphne("daphne", env, tmp_path)
    try:
        yield f"http://127.0.0.1:{wait_for_port(process, log)}"
    finally:
        stop(process)
        wait_for_sessions_to_end(prefix)
        print(f"--- Daphne log ({log}) ---\n{log.read_text(errors='replace')[-20_000:]}")  # shown on failure


def wait_for_sessions_to_end(application_name: str, timeout: float = 5) -> None:
    """A killed server's PostgreSQL sessions linger a moment; DROP DATABASE at the end of the run
    refuses to run while any is left."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application_name])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


def delete_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throwaway Redis on `port`, with nothing kept on disk, that a test can stop and start again on
    the same port (Redis restarted); stopped on leaving a `with` block. Needs the redis-server binary
    (the `redis_server_binary` fixture skips without it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.02)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=5)
            self._process = None

    def __enter__(self) -> "RedisServer":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
