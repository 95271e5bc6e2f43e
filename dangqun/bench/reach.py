"""`dangqun bench reach`: the riders' reach search on N stations, indexed against brute force.

Builds N stations in a fresh database (a temporary SQLite file, or a scratch PostgreSQL
database with --database-url), spread over a box of eastern China (27-35° N, 115-122.5° E,
about 640 000 km²; 200 000 stations there is 0.3 a km², the density of a city's edge).
Then runs Q random reach queries (a random point in the box, 1 to 60 minutes, e-bike or
on foot, sometimes an amenity filter or open-now) twice in one process: first all through
the app's search (riders/search.py reach: H3 covering, one indexed database query, exact
ranking), then all through a brute-force scan of every station (read once into memory)
with the same exact ranking. Both must give the same stations in the same order for every
query. The straight-line engine is used
(an HTTP routing engine would measure the router, not the index)."""

import json
import random
import subprocess
import sys
import time

from .load import percentile
from .target import Target, TargetError

NAME = "reach"
HELP = "reach search over N stations: H3 index vs brute-force scan"
BOX = (27.0, 35.0, 115.0, 122.5)  # south, north, west, east
MEASURE_TIMEOUT = 6 * 3600


def add_arguments(parser) -> None:
    parser.add_argument("--stations", type=int, default=200_000, help="stations (200000)")
    parser.add_argument("--queries", type=int, default=10_000, help="reach queries (10000)")


def prepare(*, stations: int, seed: int) -> dict:
    """Inside the target: a region and N stations, inserted in batches."""
    from django.db import connection

    from dangqun.core import hours
    from dangqun.places.models import Region
    from dangqun.riders import amenities
    from dangqun.riders.models import Station

    rng = random.Random(seed)
    region = Region.objects.create(name="bench", level=Region.Level.DISTRICT, path="/1/")
    south, north, west, east = BOX
    daytime = ["07:00-22:00"] * 7
    batch = []
    started = time.perf_counter()
    for number in range(stations):
        station = Station(
            name=f"station {number}",
            region=region,
            amenities=amenities.normalize(rng.sample(amenities.CODES, rng.randint(1, 6))),
            opening_hours=[hours.ALL_DAY] * 7 if rng.random() < 0.5 else daytime,
            latitude=f"{rng.uniform(south, north):.6f}",
            longitude=f"{rng.uniform(west, east):.6f}",
            is_open=rng.random() < 0.95,
        )
        station.fill_derived()
        batch.append(station)
        if len(batch) == 5000:
            Station.objects.bulk_create(batch)
            batch = []
    Station.objects.bulk_create(batch)
    # Statistics for the query planner, as a live database has them (autovacuum on
    # PostgreSQL): without them PostgreSQL guesses the table small and scans it whole.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Station._meta.db_table)}")
    return {"stations": Station.objects.count(), "seconds": round(time.perf_counter() - started, 1)}


def _queries(count: int, seed: int):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from dangqun.riders import amenities, search, travel

    rng = random.Random(seed + 1)
    south, north, west, east = BOX
    # One moment for every open-now query, so both paths judge "open" alike.
    moment = datetime(2026, 6, 1, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    for _ in range(count):
        wanted = tuple(rng.sample(amenities.CODES, 1)) if rng.random() < 0.3 else ()
        yield search.Query(
            lat=rng.uniform(south, north),
            lng=rng.uniform(west, east),
            minutes=rng.randint(1, 60),
            mode=rng.choice([travel.EBIKE, travel.WALK]),
            amenities=wanted,
            open_now=rng.random() < 0.2,
            moment=moment,
        )


def measure(*, queries: int, seed: int) -> dict:
    """Inside the target: Q queries through the index and through a scan; same answers?"""
    import resource

    from django.db import connection

    from dangqun.riders import search, travel

    engine = travel.StraightLineEngine(detour=1.35)
    queries_made = list(_queries(queries, seed))
    # First every query through the index, as the app runs it (nothing else in memory);
    # then the scan, over every station read once. Each is timed in its own steady state,
    # not with the other's data flushing the caches between two queries.
    indexed_ms, answers = [], []
    for query in queries_made:
        started = time.perf_counter()
        hits = search.reach(query, engine)
        indexed_ms.append((time.perf_counter() - started) * 1000)
        answers.append(hits)
    all_rows = search.station_rows()
    brute_ms, mismatches, found = [], 0, 0
    for query, indexed in zip(queries_made, answers, strict=True):
        started = time.perf_counter()
        brute = search.brute_force(query, all_rows, engine)
        brute_ms.append((time.perf_counter() - started) * 1000)
        found += len(indexed)
        if indexed != brute:
            mismatches += 1
    indexed_ms.sort()
    brute_ms.sort()
    return {
        "database": connection.vendor,
        "stations": len(all_rows),
        "queries": queries,
        "results_mean": round(found / queries, 1) if queries else 0,
        "indexed_p50_ms": round(percentile(indexed_ms, 0.5), 3),
        "indexed_p99_ms": round(percentile(indexed_ms, 0.99), 3),
        "brute_p50_ms": round(percentile(brute_ms, 0.5), 3),
        "brute_p99_ms": round(percentile(brute_ms, 0.99), 3),
        "speedup_p50": round(percentile(brute_ms, 0.5) / percentile(indexed_ms, 0.5), 2),
        "identical": mismatches == 0,
        "mismatches": mismatches,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _call_long(target: Target, function: str, **kwargs) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "dangqun.bench.call", function, json.dumps(kwargs)],
        env=target.env,
        capture_output=True,
        text=True,
        timeout=MEASURE_TIMEOUT,
    )
    if done.returncode != 0:
        raise TargetError(f"{function} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(options: dict, write=print) -> dict:
    stations, queries = options["stations"], options["queries"]
    if stations < 1 or queries < 1:
        raise ValueError("stations and queries must be at least 1")
    with Target(database_url=options["database_url"], keep=options["keep"], write=write) as target:
        write(f"preparing {target.database}: {stations} stations")
        made = _call_long(target, f"{__name__}:prepare", stations=stations, seed=options["seed"])
        write(f"{made['stations']} stations in {made['seconds']} s; {queries} queries, two ways")
        figures = _call_long(target, f"{__name__}:measure", queries=queries, seed=options["seed"])
    write(
        f"indexed p50 {figures['indexed_p50_ms']} ms, p99 {figures['indexed_p99_ms']} ms; "
        f"brute force p50 {figures['brute_p50_ms']} ms; speedup {figures['speedup_p50']}x; "
        f"identical: {figures['identical']}; peak RSS {figures['peak_rss_mb']} MB"
    )
    return figures
