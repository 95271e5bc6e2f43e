"""`dangqun bench booking` runs end to end on a small scale: its own database, the production
server, concurrent clients, the check for double bookings, one JSON line at the end. On the
database the suite runs on: a scratch PostgreSQL database when DATABASE_URL names one.
No timing is asserted; the figures are the bench's to report."""

import json
import os
import subprocess
import sys

from django.db import connection


def test_bench_booking_runs_and_finds_no_double_booking():
    command = [sys.executable, "-m", "dangqun.cli", "bench", "booking"]
    command += ["--clients", "4", "--spaces", "2", "--attempts", "30", "--timeout", "10"]
    if connection.vendor == "postgresql":
        command += ["--database-url", os.environ["DATABASE_URL"]]

    done = subprocess.run(command, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["database"] == connection.vendor
    assert figures["double_bookings"] == 0
    assert figures["accepted"] > 0
    assert figures["accepted"] + figures["rejected"] + figures["errors"] == 30
    assert figures["errors"] == 0, done.stdout
    assert figures["active_bookings_in_database"] == figures["accepted"]
    assert figures["trivial_errors"] == 0
    for key in ("accepted_per_s", "p50_ms", "p99_ms", "trivial_per_s", "clients", "attempts"):
        assert key in figures
