"""Registration rush: one popular activity opens and many residents sign up at once through
the API, each with their own token. Measures sign-ups per second and how long one takes,
against a trivial request (GET /healthz) from the same clients on the same server in the
same run; then checks in the database that nobody got a place beyond capacity, that the
places taken match the confirmed registrations, and that nobody is registered twice."""

import json

from .load import (
    Phase,
    Request,
    baseline_figures,
    baseline_line,
    percentile,
    ratio,
    rounded_ms,
    run_shared,
)
from .target import Target

NAME = "registration-rush"
HELP = "many residents sign up for one activity at once; count confirmed, waitlisted, oversold"


def add_arguments(parser) -> None:
    parser.add_argument("--people", type=int, default=5000, help="residents signing up (5000)")
    parser.add_argument("--capacity", type=int, default=500, help="places of the activity (500)")
    parser.add_argument(
        "--baseline-requests",
        type=int,
        default=None,
        help="GET /healthz requests of the baseline (as many as --people)",
    )
    for action in parser._actions:  # a rush has more clients than the common default
        if action.dest == "clients":
            action.default, action.help = 50, "concurrent clients (50)"


# --- run inside the target's own process (dangqun.bench.call) ------------------------------


def prepare(*, people: int, capacity: int) -> dict:
    """A center, its district admin, one published activity with `capacity` places whose
    sign-up is open now, and `people` residents with an API token each."""
    from datetime import datetime, time, timedelta

    from django.db import transaction
    from django.utils import timezone

    from dangqun.accounts.services import api_token_create
    from dangqun.activities.models import Activity, ActivitySession
    from dangqun.activities.services import activity_publish
    from dangqun.people.models import StaffRole
    from dangqun.people.services import person_get_or_create
    from dangqun.places.models import Region
    from dangqun.places.services import center_create, region_create

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
    admin, _created = person_get_or_create(mobile="19900009999", consent=True)
    StaffRole.objects.create(person=admin, role=StaffRole.Role.DISTRICT_ADMIN, region=district)
    now = timezone.now()
    activity = Activity.objects.create(
        title="压测热门活动",
        kind=Activity.Kind.CLASS,
        center=center,
        venue=Activity.Venue.ADDRESS,
        address="压测路1号",
        capacity=capacity,
        registration_opens=now - timedelta(hours=1),
        registration_closes=now + timedelta(days=7),
        created_by=admin,
    )
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=10), time(9, 30))
    )
    ActivitySession.objects.create(activity=activity, start=start, end=start + timedelta(hours=2))
    activity_publish(actor=admin, activity=activity)
    tokens = []
    with transaction.atomic():
        for n in range(people):
            person, _created = person_get_or_create(mobile=f"138{n:08d}", consent=True)
            tokens.append(api_token_create(person=person, name="bench")[1])
    return {"public_id": str(activity.public_id), "tokens": tokens}


def inspect(*, public_id: str) -> dict:
    """After the run, from the database: registrations by status, places taken, capacity,
    and people with more than one active registration."""
    from django.db.models import Count

    from dangqun.activities.models import Activity, Registration

    activity = Activity.objects.get(public_id=public_id)
    by_status = dict(
        Registration.objects.filter(activity=activity)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    twice = (
        Registration.objects.filter(activity=activity, status__in=Registration.ACTIVE)
        .values("person")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "capacity": activity.capacity,
        "taken": activity.taken,
        "by_status": by_status,
        "registered_twice": twice,
    }


# --- the measurement -----------------------------------------------------------------------


def sign_up_requests(*, tokens: list[str], public_id: str) -> list[Request]:
    """One sign-up per resident."""
    path = f"/api/v1/activities/{public_id}/registrations"
    return [Request("POST", path, b"", {"Authorization": f"Bearer {token}"}) for token in tokens]


def run(options: dict, write=print) -> dict:
    people, capacity, clients = options["people"], options["capacity"], options["clients"]
    if clients < 1 or people < 1 or capacity < 1:
        raise ValueError("people, capacity and clients must be at least 1")
    limits = {"timeout": options["timeout"], "max_seconds": options["max_seconds"]}
    with Target(database_url=options["database_url"], keep=options["keep"], write=write) as target:
        write(f"preparing {target.database}: one activity with {capacity} places, {people} people")
        made = target.call(f"{__name__}:prepare", people=people, capacity=capacity)
        with target.server(workers=options["workers"], threads=options["threads"]) as url:
            write(f"server up at {url}")
            health = Request("GET", "/healthz")
            run_shared(url, [health] * 2 * clients, clients, **limits)  # warm up
            baseline = options["baseline_requests"] or people
            trivial = run_shared(url, [health] * baseline, clients, **limits)
            work = sign_up_requests(tokens=made["tokens"], public_id=made["public_id"])
            rush = run_shared(url, work, clients, **limits)
        found = target.call(f"{__name__}:inspect", public_id=made["public_id"])
        figures = _figures(options, target.database, trivial, rush, found)
        _report(figures, rush, write)
    return figures


def _answered_status(outcome) -> str | None:
    if outcome.status != 201:
        return None
    try:
        return json.loads(outcome.body).get("status")
    except (ValueError, AttributeError):
        return None


def _figures(options: dict, database: str, trivial: Phase, rush: Phase, found: dict) -> dict:
    answered = [_answered_status(o) for o in rush.outcomes]
    by_status = found["by_status"]
    confirmed = by_status.get("confirmed", 0)
    offered = by_status.get("offered", 0)
    latencies = rush.latencies({201})
    registered = answered.count("confirmed") + answered.count("waitlisted")
    figures = {
        "scenario": NAME,
        "database": database,
        "people": options["people"],
        "capacity": found["capacity"],
        "clients": options["clients"],
        "confirmed": confirmed,
        "waitlisted": by_status.get("waitlisted", 0),
        # Places held (confirmed, or offered from the waiting list) beyond capacity.
        "oversold": max(0, confirmed + offered - found["capacity"]),
        "taken": found["taken"],
        "taken_matches": found["taken"] == confirmed + offered,
        "registered_twice": found["registered_twice"],
        "answered_confirmed": answered.count("confirmed"),
        "answered_waitlisted": answered.count("waitlisted"),
        "errors": len(rush.outcomes) - registered,
        "seconds": round(rush.seconds, 3),
        "registrations_per_s": round(rush.per_second(registered), 1),
        "p50_ms": rounded_ms(percentile(latencies, 0.50)),
        "p99_ms": rounded_ms(percentile(latencies, 0.99)),
        **baseline_figures(trivial),
    }
    figures["ratio"] = ratio(figures["registrations_per_s"], figures)
    return figures


def _report(f: dict, rush: Phase, write) -> None:
    write(baseline_line(f))
    write(
        f"rush: {f['people']} sign-ups from {f['clients']} clients for {f['capacity']} places "
        f"in {f['seconds']} s: answered confirmed {f['answered_confirmed']}, waitlisted "
        f"{f['answered_waitlisted']}, errors {f['errors']}"
    )
    write(
        f"  registrations per s {f['registrations_per_s']}, p50 {f['p50_ms']} ms, "
        f"p99 {f['p99_ms']} ms, ratio to the baseline {f['ratio']}"
    )
    write(
        f"database: confirmed {f['confirmed']}, waitlisted {f['waitlisted']}, places taken "
        f"{f['taken']} of {f['capacity']}, oversold {f['oversold']}, registered twice "
        f"{f['registered_twice']}"
    )
    if not f["taken_matches"]:
        write("  WARNING: places taken differ from the confirmed and offered registrations")
    samples = [o for o in rush.outcomes if o.status != 201 or o.error][:5]
    for o in samples:
        write(f"  error sample: {o.status} {o.error or o.body[:200].decode(errors='replace')}")
