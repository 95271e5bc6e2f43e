"""What a benchmark measures: a fresh database and the production server (`dangqun up`,
gunicorn) on a free loopback port, each in a process of its own with its own environment.
The bench command's own settings point at the default database; nothing here uses them."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

SETUP_TIMEOUT = 300  # seconds for migrating, filling or inspecting the database
START_TIMEOUT = 60  # seconds for the server to answer /healthz
STOP_TIMEOUT = 20  # seconds for gunicorn to stop after SIGTERM
KEPT = {"DANGQUN_WORKERS", "DANGQUN_THREADS"}


class TargetError(RuntimeError):
    pass


def migrate() -> dict:
    """Run inside the target (see call.py): create the tables."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    return {"vendor": connection.vendor}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Target:
    """A temporary DANGQUN_VAR_DIR and a fresh database: a SQLite file in that directory,
    or a scratch database on the PostgreSQL server that database_url names. Use it as a
    context manager; leaving it removes both unless keep is set."""

    def __init__(self, *, database_url: str | None = None, keep: bool = False, write=print):
        self.database_url = database_url
        self.keep = keep
        self.write = write
        self.directory: Path | None = None
        self.scratch: dict | None = None
        self.env: dict[str, str] = {}
        self.database = "postgresql" if database_url else "sqlite"

    # --- database --------------------------------------------------------------------------

    def __enter__(self) -> "Target":
        self.directory = Path(tempfile.mkdtemp(prefix="dangqun-bench-"))
        # A clean environment: no DANGQUN_HTTPS redirect, no other var dir or database; the
        # size of the server (DANGQUN_WORKERS, DANGQUN_THREADS) is the caller's to choose.
        env = {k: v for k, v in os.environ.items() if not k.startswith("DANGQUN_") or k in KEPT}
        env.pop("DATABASE_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE="dangqun.settings",
            DANGQUN_VAR_DIR=str(self.directory),
            DANGQUN_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        try:
            if self.database_url:
                env["DATABASE_URL"] = self._create_scratch_database()
            self.env = env
            vendor = self.call("dangqun.bench.target:migrate")["vendor"]
            if vendor != self.database:
                raise TargetError(f"expected a {self.database} database, got {vendor}")
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if self.keep:
            self.write(
                f"kept: {self.directory}" + (f", {self.scratch['url']}" if self.scratch else "")
            )
            return
        if self.scratch:
            self._drop_scratch_database()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def _server_connection(self, config: dict):
        import psycopg

        for maintenance in ("postgres", "template1"):
            try:
                return psycopg.connect(
                    dbname=maintenance,
                    user=config.get("USER") or None,
                    password=config.get("PASSWORD") or None,
                    host=config.get("HOST") or None,
                    port=config.get("PORT") or None,
                    autocommit=True,
                    connect_timeout=10,
                )
            except psycopg.OperationalError as error:
                last = error
        raise TargetError(f"cannot reach the PostgreSQL server: {last}")

    def _create_scratch_database(self) -> str:
        from psycopg import sql

        config = dj_database_url.parse(self.database_url)
        if "postgresql" not in config["ENGINE"]:
            raise TargetError("--database-url must name a PostgreSQL server (postgres://...)")
        base = re.sub(r"[^a-z0-9_]", "_", (config.get("NAME") or "dangqun").lower())
        name = f"{base[:50]}_{os.getpid()}"
        with self._server_connection(config) as server:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = urlsplit(self.database_url)._replace(path=f"/{name}").geturl()
        self.scratch = {"name": name, "config": config, "url": url}
        self.write(f"scratch database {name} created")
        return url

    def _drop_scratch_database(self) -> None:
        from psycopg import sql

        name = sql.Identifier(self.scratch["name"])
        with self._server_connection(self.scratch["config"]) as server:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        self.write(f"scratch database {self.scratch['name']} dropped")

    def call(self, function: str, **kwargs) -> dict:
        """Run module:function(**kwargs) in a process set up for the target; its JSON result."""
        done = subprocess.run(
            [sys.executable, "-m", "dangqun.bench.call", function, json.dumps(kwargs)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=SETUP_TIMEOUT,
        )
        if done.returncode != 0:
            raise TargetError(f"{function} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    # --- server ----------------------------------------------------------------------------

    @contextmanager
    def server(self, *, workers: int | None = None, threads: int | None = None):
        """`dangqun up --no-demo` on a free loopback port; yields its base URL and stops it
        (SIGTERM, then SIGKILL of its own process group) however the block ends."""
        port = free_port()
        command = [sys.executable, "-m", "dangqun.cli", "up", "--no-demo"]
        command += ["--host", "127.0.0.1", "--port", str(port)]
        if workers:
            command += ["--workers", str(workers)]
        if threads:
            command += ["--threads", str(threads)]
        log_path = self.directory / "server.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            base_url = f"http://127.0.0.1:{port}"
            self._wait_until_healthy(process, base_url, log_path)
            yield base_url
        finally:
            self._stop(process)

    def _wait_until_healthy(self, process, base_url: str, log_path: Path) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise TargetError(f"the server exited:\n{_tail(log_path)}")
            try:
                with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise TargetError(f"the server did not answer in {START_TIMEOUT} s:\n{_tail(log_path)}")

    @staticmethod
    def _stop(process) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=STOP_TIMEOUT)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
