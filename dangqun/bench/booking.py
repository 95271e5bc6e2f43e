"""Booking under contention: many residents book the same few spaces at overlapping times
through the API, at once. Measures how many bookings are accepted per second and how long a
request takes, against a trivial request (GET /healthz) on the same server in the same run,
and checks afterwards, in the database, that no two active bookings of a space overlap."""

import json
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .load import Phase, Request, baseline_figures, baseline_line, percentile, ratio, rounded_ms
from .load import run as run_clients
from .target import Target

NAME = "booking"
HELP = "book a few spaces from many clients at once; count accepted, rejected, double bookings"
SHANGHAI = ZoneInfo("Asia/Shanghai")
LENGTHS = (30, 60, 90, 120)  # minutes
FIRST_START, LAST_START = time(8, 0), time(19, 30)
ACTIVE = "('pending', 'confirmed')"


def add_arguments(parser) -> None:
    parser.add_argument("--spaces", type=int, default=5, help="bookable spaces (5)")
    parser.add_argument("--attempts", type=int, default=400, help="booking requests (400)")
    parser.add_argument(
        "--days", type=int, default=3, help="the requests fall on the next DAYS days (3)"
    )
    parser.add_argument(
        "--baseline-requests",
        type=int,
        default=None,
        help="GET /healthz requests of the baseline (as many as --attempts)",
    )


# --- run inside the target's own process (dangqun.bench.call) ------------------------------


def prepare(*, spaces: int, residents: int) -> dict:
    """A center open around the clock, its bookable spaces, residents with API tokens."""
    from dangqun.accounts.services import api_token_create
    from dangqun.people.services import person_get_or_create
    from dangqun.places.models import Region
    from dangqun.places.services import center_create, region_create, space_create

    district = region_create(actor=None, name="压测区", level=Region.Level.DISTRICT)
    center = center_create(
        actor=None,
        region=district,
        data={
            "name": "压测党群服务中心",
            "address": "压测路1号",
            "latitude": "30.2624",
            "longitude": "119.9723",
            "opening_hours": ["24h"] * 7,
        },
    )
    space_ids = [
        space_create(
            actor=None,
            center=center,
            data={
                "name": f"功能室{n + 1}",
                "kind": "maker_space",
                "capacity": 50,
                "is_bookable": True,
            },
        ).pk
        for n in range(spaces)
    ]
    tokens = []
    for n in range(residents):
        person, _created = person_get_or_create(mobile=f"139{n:08d}", consent=True)
        tokens.append(api_token_create(person=person, name="bench")[1])
    return {"space_ids": space_ids, "tokens": tokens}


def inspect() -> dict:
    """After the run: active bookings, and pairs of them of one space that overlap."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM bookings_booking WHERE status IN {ACTIVE}")
        active = cursor.fetchone()[0]
        cursor.execute(
            f"""SELECT COUNT(*) FROM bookings_booking a
                JOIN bookings_booking b ON a.space_id = b.space_id AND a.id < b.id
                WHERE a.status IN {ACTIVE} AND b.status IN {ACTIVE}
                  AND a."start" < b."end" AND b."start" < a."end" """
        )
        overlapping = cursor.fetchone()[0]
    return {"active": active, "overlapping_pairs": overlapping}


# --- the measurement -----------------------------------------------------------------------


def booking_requests(
    *, tokens: list[str], space_ids: list[int], attempts: int, days: int, seed: int
) -> list[list[Request]]:
    """attempts requests for random 30-120 minute slots on the 30-minute grid, shared out
    among the clients (one resident's token each); with few spaces and days many collide."""
    rng = random.Random(seed)
    today = datetime.now(SHANGHAI).date()
    starts = _half_hours(FIRST_START, LAST_START)
    work: list[list[Request]] = [[] for _ in tokens]
    for n in range(attempts):
        day = today + timedelta(days=rng.randint(1, days))
        start = _at(day, rng.choice(starts))
        end = start + timedelta(minutes=rng.choice(LENGTHS))
        body = {
            "space_id": rng.choice(space_ids),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "purpose": "压测预约",
            "headcount": rng.randint(1, 10),
        }
        token = tokens[n % len(tokens)]
        work[n % len(tokens)].append(
            Request(
                "POST",
                "/api/v1/bookings",
                json.dumps(body).encode(),
                {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
        )
    return work


def _half_hours(first: time, last: time) -> list[time]:
    minutes = range(first.hour * 60 + first.minute, last.hour * 60 + last.minute + 1, 30)
    return [time(m // 60, m % 60) for m in minutes]


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=SHANGHAI)


def _is_already_booked(body: bytes) -> bool:
    try:
        return json.loads(body).get("code") == "already_booked"
    except (ValueError, AttributeError):
        return False


def run(options: dict, write=print) -> dict:
    clients, attempts = options["clients"], options["attempts"]
    if clients < 1 or attempts < 1 or options["spaces"] < 1 or not 1 <= options["days"] <= 28:
        raise ValueError("clients, attempts and spaces must be at least 1, days 1 to 28")
    limits = {"timeout": options["timeout"], "max_seconds": options["max_seconds"]}
    baseline_requests = options["baseline_requests"] or attempts
    with Target(database_url=options["database_url"], keep=options["keep"], write=write) as target:
        write(f"preparing {target.database}: {options['spaces']} spaces, {clients} residents")
        made = target.call(
            "dangqun.bench.booking:prepare", spaces=options["spaces"], residents=clients
        )
        with target.server(workers=options["workers"], threads=options["threads"]) as url:
            write(f"server up at {url}")
            health = Request("GET", "/healthz")
            run_clients(url, [[health] * 2 for _ in range(clients)], **limits)  # warm up
            trivial = run_clients(url, _share([health] * baseline_requests, clients), **limits)
            work = booking_requests(
                tokens=made["tokens"],
                space_ids=made["space_ids"],
                attempts=attempts,
                days=options["days"],
                seed=options["seed"],
            )
            booking = run_clients(url, work, **limits)
        found = target.call("dangqun.bench.booking:inspect")
        figures = _figures(options, target.database, trivial, booking, found)
        _report(figures, booking, write)
    return figures


def _share(requests: list[Request], clients: int) -> list[list[Request]]:
    return [requests[i::clients] for i in range(clients)]


def _figures(options: dict, database: str, trivial: Phase, booking: Phase, found: dict) -> dict:
    accepted = booking.count(201)
    rejected = sum(1 for o in booking.outcomes if o.status == 409 and _is_already_booked(o.body))
    answered = booking.latencies()
    figures = {
        "scenario": NAME,
        "database": database,
        "clients": options["clients"],
        "spaces": options["spaces"],
        "attempts": options["attempts"],
        "accepted": accepted,
        "rejected": rejected,
        "errors": len(booking.outcomes) - accepted - rejected,
        "double_bookings": found["overlapping_pairs"],
        "active_bookings_in_database": found["active"],
        "seconds": round(booking.seconds, 3),
        "accepted_per_s": round(booking.per_second(accepted), 1),
        "requests_per_s": round(booking.per_second(len(answered)), 1),
        "p50_ms": rounded_ms(percentile(answered, 0.50)),
        "p99_ms": rounded_ms(percentile(answered, 0.99)),
        **baseline_figures(trivial),
    }
    figures["ratio"] = ratio(figures["requests_per_s"], figures)
    return figures


def _report(f: dict, booking: Phase, write) -> None:
    write(baseline_line(f))
    write(
        f"booking: {f['attempts']} requests from {f['clients']} clients on {f['spaces']} spaces "
        f"in {f['seconds']} s: accepted {f['accepted']}, rejected (already booked) "
        f"{f['rejected']}, errors {f['errors']}"
    )
    write(
        f"  accepted per s {f['accepted_per_s']}, requests per s {f['requests_per_s']}, "
        f"p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms"
    )
    if f["trivial_per_s"]:
        write(
            f"  a booking request costs {f['trivial_per_s'] / max(f['requests_per_s'], 0.1):.1f}"
            " trivial requests"
        )
    write(
        f"database: {f['active_bookings_in_database']} active bookings, "
        f"{f['double_bookings']} overlapping pairs (double bookings)"
    )
    if f["active_bookings_in_database"] != f["accepted"]:
        write("  WARNING: the database holds a different number of bookings than were accepted")
    samples = [o for o in booking.outcomes if o.status not in (201, 409) or o.error][:5]
    for o in samples:
        write(f"  error sample: {o.status} {o.error or o.body[:200].decode(errors='replace')}")
