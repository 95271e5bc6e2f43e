"""`dangqun bench registration-rush` runs end to end on a small scale: its own database, the
production server, concurrent clients, the check in the database, one JSON line at the end.
On the database the suite runs on: a scratch PostgreSQL database when DATABASE_URL names one.
No timing is asserted; the figures are the bench's to report."""

import json
import os
import subprocess
import sys

from django.db import connection


def test_bench_registration_rush_fills_the_places_and_oversells_none():
    command = [sys.executable, "-m", "dangqun.cli", "bench", "registration-rush"]
    command += ["--people", "60", "--capacity", "10", "--clients", "6", "--timeout", "10"]
    if connection.vendor == "postgresql":
        command += ["--database-url", os.environ["DATABASE_URL"]]

    done = subprocess.run(command, capture_output=True, text=True, timeout=180)

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["database"] == connection.vendor
    assert figures["oversold"] == 0
    assert figures["errors"] == 0, done.stdout
    assert (figures["confirmed"], figures["waitlisted"]) == (10, 50)
    assert (figures["answered_confirmed"], figures["answered_waitlisted"]) == (10, 50)
    assert figures["taken"] == 10
    assert figures["taken_matches"] is True
    assert figures["registered_twice"] == 0
    assert figures["trivial_errors"] == 0
    for key in ("registrations_per_s", "trivial_per_s", "ratio", "p50_ms", "p99_ms"):
        assert figures[key] is not None and figures[key] > 0, key
