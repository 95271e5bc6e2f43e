"""Setting the platform up: the production settings pass Django's deploy check, `dangqun up`
starts a real server (with and without the demo district), and `dangqun demo` can be run
again without doubling anything."""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from http.cookiejar import CookieJar
from io import StringIO
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import call_command

from dangqun import demo
from dangqun.people.models import Person, PersonTag, StaffRole
from dangqun.places.models import Region, ServiceCenter, Space

START_TIMEOUT = 60


def dangqun_command() -> list[str]:
    """The installed `dangqun` script of this environment (python -m as a fallback)."""
    script = Path(sys.executable).parent / "dangqun"
    return [str(script)] if script.exists() else [sys.executable, "-m", "dangqun.cli"]


def clean_env(var_dir: Path) -> dict[str, str]:
    """This environment without any DANGQUN_* setting, with its own var/ folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGQUN_")}
    env["DANGQUN_VAR_DIR"] = str(var_dir)
    return env


# --- check --deploy ----------------------------------------------------------------------


def deploy_check(tmp_path, **variables) -> subprocess.CompletedProcess:
    env = clean_env(tmp_path / "var")
    env.update(variables)
    return subprocess.run(
        [*dangqun_command(), "check", "--deploy"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


PRODUCTION = {
    "DANGQUN_HTTPS": "1",
    "DANGQUN_ALLOWED_HOSTS": "dangqun.example.org",
    "DANGQUN_DEBUG": "0",
}


def test_production_settings_pass_the_deploy_check(tmp_path):
    key = secrets.token_urlsafe(64)[:60]
    result = deploy_check(tmp_path, DANGQUN_SECRET_KEY=key, **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output


def test_deploy_check_warns_when_https_is_not_switched_on(tmp_path):
    # The same check, without DANGQUN_HTTPS: it really inspects the security settings.
    key = secrets.token_urlsafe(64)[:60]
    production = {**PRODUCTION, "DANGQUN_HTTPS": "0"}
    result = deploy_check(tmp_path, DANGQUN_SECRET_KEY=key, **production)
    output = result.stdout + result.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output, output


# --- dangqun up --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_postgres(url: str):
    """A new, empty PostgreSQL database beside the one DATABASE_URL names; dropped after."""
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    server = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = f"dangqun_up_{secrets.token_hex(4)}"
    with psycopg.connect(**server) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(**server) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def up_env(tmp_path):
    """The environment for a `dangqun up` child: a fresh var/ folder and, on a PostgreSQL
    run (DATABASE_URL names PostgreSQL), a fresh database of its own on the same server;
    otherwise SQLite inside that var/ folder. It never touches the test database."""
    env = clean_env(tmp_path / "var")
    url = os.environ.get("DATABASE_URL", "")
    if url and dj_database_url.parse(url)["ENGINE"].endswith("postgresql"):
        with throwaway_postgres(url) as fresh:
            env["DATABASE_URL"] = fresh
            yield env
    else:
        env.pop("DATABASE_URL", None)
        yield env


class Server:
    def __init__(self, process: subprocess.Popen, port: int, log: Path):
        self.process = process
        self.base = f"http://127.0.0.1:{port}"
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str, opener=None):
        opener = opener or urllib.request.build_opener()
        return opener.open(self.base + path, timeout=10)

    def wait_healthy(self) -> dict:
        """Poll /healthz until it answers 200, the server dies, or the time is up."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"dangqun up exited with {self.process.returncode}:\n{self.output()}")
            try:
                with self.get("/healthz") as response:
                    if response.status == 200:
                        return json.loads(response.read())
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        pytest.fail(f"/healthz did not answer within {START_TIMEOUT} s:\n{self.output()}")


def stop(process: subprocess.Popen) -> None:
    """Stop the server and its workers: SIGTERM to the process group, SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
    with suppress(ProcessLookupError):  # a worker that outlived its master
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def dangqun_up(tmp_path: Path, env: dict, *args: str):
    port = free_port()
    log = tmp_path / "up.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*dangqun_command(), "up", "--port", str(port), *args],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Server(process, port, log)
    finally:
        stop(process)


def test_up_without_demo_serves_a_healthy_site(tmp_path, up_env):
    with dangqun_up(tmp_path, up_env, "--no-demo") as server:
        health = server.wait_healthy()
        assert health["status"] == "ok"
        assert health["database"] == "ok"
        expected_vendor = "postgresql" if "DATABASE_URL" in up_env else "sqlite"
        assert health["vendor"] == expected_vendor
        output = server.output()
        assert f"Open {server.base}/" in output
        assert "Demo district loaded" not in output
        assert "Demo staff sign-in" not in output
        # The home page and its collected static files are served by the same server.
        with server.get("/") as response:
            page = response.read().decode()
        assert response.status == 200
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
        with server.get(stylesheet) as response:
            assert response.status == 200
            assert b"text-large" in response.read()
    if "DATABASE_URL" not in up_env:
        assert (tmp_path / "var" / "dangqun.sqlite3").exists()


def test_up_with_demo_serves_the_demo_district(tmp_path, up_env):
    with dangqun_up(tmp_path, up_env) as server:
        assert server.wait_healthy()["status"] == "ok"
        with server.get("/centers/xianlin/") as response:
            assert response.status == 200
            assert "闲林街道党群服务中心" in response.read().decode()

        output = server.output()
        assert "Demo district loaded" in output
        assert f"Open {server.base}/" in output
        # The demo's generated messages are one line, not one line each.
        assert re.search(
            r"^[1-9]\d* text messages of the demo's invented people not sent\.$", output, re.M
        )
        assert "SMS to " not in output
        password = (tmp_path / "var" / "demo-staff-password").read_text().strip()
        line = (
            f"Demo staff sign-in: {server.base}/accounts/sign-in/password/ "
            f"mobile {demo.DEMO_STAFF_MOBILE}, password {password}"
        )
        assert line in output

        # The printed credentials work: the district admin signs in and sees the back office.
        cookies = CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        with server.get("/accounts/sign-in/password/", browser) as response:
            assert response.status == 200
        csrf = next(c.value for c in cookies if c.name == "csrftoken")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "mobile": demo.DEMO_STAFF_MOBILE,
                "password": password,
                "next": "/",
            }
        ).encode()
        with browser.open(server.base + "/accounts/sign-in/password/", form, 10) as response:
            assert response.status == 200
            # Staff without a page of their own to go back to land on the back office.
            assert response.url == server.base + "/staff/"
            assert 'id="waiting"' in response.read().decode()


# --- dangqun demo ------------------------------------------------------------------------


def demo_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "centers": ServiceCenter.objects.count(),
        "spaces": Space.objects.count(),
        "people": Person.objects.count(),
        "tags": PersonTag.objects.count(),
        "staff_roles": StaffRole.objects.count(),
    }


def test_demo_twice_doubles_nothing(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first_output = StringIO()
    call_command("demo", residents=20, stdout=first_output)
    first = demo_counts()
    villages = sum(len(v) for v in demo.REGIONS.values())
    assert first["regions"] == 1 + len(demo.REGIONS) + villages
    assert first["centers"] == len(demo.CENTERS)
    assert first["spaces"] == sum(len(c["spaces"]) for c in demo.CENTERS)
    from dangqun.partners.demo_mobile import MEMBERS

    assert first["people"] == 20 + len(demo.STAFF) + len(MEMBERS)
    assert first["staff_roles"] == len(demo.STAFF)
    assert "residents_created=20" in first_output.getvalue()

    second_output = StringIO()
    call_command("demo", residents=20, stdout=second_output)
    assert demo_counts() == first
    assert "residents_created=0" in second_output.getvalue()
    password = (tmp_path / "demo-staff-password").read_text().strip()
    assert f"password {password}" in first_output.getvalue()
    assert f"password {password}" in second_output.getvalue()
