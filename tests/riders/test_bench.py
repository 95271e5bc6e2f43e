"""`dangqun bench reach` end to end on a small scale: its own database, N stations, Q queries
through the index and through a scan, one JSON line at the end. On the database the suite
runs on. No timing is asserted; the figures are the bench's to report."""

import json
import os
import subprocess
import sys

from django.db import connection


def test_bench_reach_agrees_with_the_scan():
    command = [sys.executable, "-m", "dangqun.cli", "bench", "reach"]
    command += ["--stations", "800", "--queries", "60"]
    if connection.vendor == "postgresql":
        command += ["--database-url", os.environ["DATABASE_URL"]]

    done = subprocess.run(command, capture_output=True, text=True, timeout=300)

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["database"] == connection.vendor
    assert (figures["stations"], figures["queries"]) == (800, 60)
    assert figures["identical"] is True and figures["mismatches"] == 0
    for key in ("indexed_p50_ms", "indexed_p99_ms", "brute_p50_ms", "speedup_p50", "peak_rss_mb"):
        assert figures[key] is not None and figures[key] > 0, key
