"""The elder-friendly check: every public page, the resident pages and the staff pages, in
Chinese, English and large-text mode, at 390 px in Chromium, measured with the page's
computed styles and boxes (tests/browser/elder.py says what and against which rule). It
prints one table and fails on any violation."""

import os
from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from dangqun import demo
from tests.browser import elder

pytestmark = pytest.mark.browser

MODES = [("zh-hans", False), ("en", False), ("zh-hans", True)]


def samples() -> dict[str, dict]:
    """Arguments for the URL patterns that take some, from the demo district's rows."""
    from dangqun.activities.models import Activity, Registration
    from dangqun.bookings.models import Booking
    from dangqun.charging.models import ChargingRoom
    from dangqun.intake.models import ServiceItem, ServiceRequest
    from dangqun.people.models import Person
    from dangqun.places.models import ServiceCenter, Space, SpaceKind
    from dangqun.riders.models import Station

    center = ServiceCenter.objects.get(slug="xianlin")
    space = Space.objects.filter(center=center).order_by("pk").first()
    activity = Activity.objects.filter(status="published").order_by("pk").first()
    registration = Registration.objects.order_by("pk").first()
    booking = Booking.objects.order_by("pk").first()
    item = ServiceItem.objects.filter(center=center, is_active=True).order_by("pk").first()
    request = ServiceRequest.objects.order_by("pk").first()
    room = ChargingRoom.objects.order_by("pk").first()
    station = Station.objects.order_by("pk").first()
    resident = Person.objects.filter(is_demo=True, staff_roles__isnull=True).first()
    kind = SpaceKind.objects.order_by("pk").first()
    slug = {"slug": center.slug}
    return {
        "places:center_detail": slug,
        "bookings:center_calendar": slug,
        "intake:catalogue": slug,
        "staff_bookings:closed_dates": slug,
        "staff_places:center_edit": slug,
        "staff_places:space_create": slug,
        "intake:item": {"slug": center.slug, "code": item.code},
        "bookings:new": {"space_id": space.pk},
        "bookings:space_calendar": {"space_id": space.pk},
        "staff_bookings:space_rule": {"space_id": space.pk},
        "staff_places:space_edit": {"space_id": space.pk},
        "staff_bookings:kind_rule": {"code": kind.code},
        "bookings:detail": {"public_id": booking.public_id},
        "activities:detail": {"public_id": activity.public_id},
        "activities:registration": {"public_id": registration.public_id},
        "staff_activities:detail": {"public_id": activity.public_id},
        "staff_activities:edit": {"public_id": activity.public_id},
        "staff_activities:desk": {"public_id": activity.public_id},
        "staff_activities:door_qr": {"public_id": activity.public_id},
        "staff_activities:sheet": {"public_id": activity.public_id},
        "staff_activities:visitors": {"public_id": activity.public_id},
        "intake:progress": {"number": request.number},
        "staff_intake:detail": {"number": request.number},
        "staff_intake:counter_person": {"public_id": resident.public_id},
        "staff_intake:counter_submit": {
            "public_id": resident.public_id,
            "slug": center.slug,
            "code": item.code,
        },
        "staff_intake:item_edit": {"code": item.code},
        "charging:room": {"public_id": room.public_id},
        "staff_charging:room": {"public_id": room.public_id},
        "riders:station_detail": {"pk": station.pk},
        "staff_riders:station_edit": {"pk": station.pk},
        "staff_workdays:year": {"year": date.today().year},
        "staff_people:person_detail": {"public_id": resident.public_id},
        "staff_volunteers:counter_person": {"public_id": resident.public_id},
        **volunteers_samples(),
        **_lead_samples(),
        **volunteers_own_samples(),
    }


def volunteers_samples() -> dict[str, dict]:
    """The volunteers' back office, from whatever the demo has of teams, rewards,
    certificates and trainings (a pattern without a row is left unmeasured, and listed)."""
    from dangqun.activities.models import Activity
    from dangqun.volunteers.models import Certificate, RewardItem, Team

    rows = {
        "staff_volunteers:team": Team.objects.order_by("pk").first(),
        "staff_volunteers:reward_edit": RewardItem.objects.order_by("pk").first(),
        "staff_volunteers:training": Activity.objects.filter(kind="training").first(),
    }
    found = {name: {"public_id": row.public_id} for name, row in rows.items() if row}
    certificate = Certificate.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    if certificate:
        found["staff_volunteers:certificate_revoke"] = {"serial": certificate.serial}
        found["certificates:verify"] = {"serial": certificate.serial}
        found["certificates:pdf"] = {"serial": certificate.serial}
    return found


def _lead_samples() -> dict[str, dict]:
    """A team leader's pages, from the demo's first team with a task (none: not measured)."""
    from dangqun.volunteers.models import HoursEntry, Shift, Task

    task = Task.objects.order_by("pk").first()
    if task is None:
        return {}
    team = {"public_id": task.team.public_id}
    found = {f"volunteers_lead:{name}": team for name in ("team", "ledger", "task_new")}
    found.update({f"volunteers_lead:{n}": team for n in ("honour", "honour_new")})
    found.update({f"volunteers_lead:{n}": team for n in ("corrections", "missed")})
    found["volunteers_lead:shift_new"] = {"public_id": task.public_id}
    shift = Shift.objects.filter(task__team=task.team).order_by("-start").first()
    for name in ("shift", "shift_assign", "shift_cancel") if shift else ():
        found[f"volunteers_lead:{name}"] = {"public_id": shift.public_id}
    entry = HoursEntry.objects.filter(team=task.team, minutes__gt=0).order_by("pk").first()
    if entry is not None:
        found["volunteers_lead:entry_correct"] = {"public_id": entry.public_id}
    return found


def volunteers_own_samples() -> dict[str, dict]:
    """The volunteer's own pages: a team (the riders' first) and a shift to come that the
    measured resident holds a place on (else any shift to come, which is theirs alone and
    so left out). A pattern without a row in the demo is left unmeasured, and listed."""
    from django.utils import timezone

    from dangqun.bookings.models import Booking
    from dangqun.volunteers.models import Shift, Team

    found = {}
    team = Team.objects.order_by("-is_riders_team", "pk").first()
    if team:
        found["volunteers:team"] = {"public_id": team.public_id}
    coming = Shift.objects.filter(end__gt=timezone.now()).order_by("start", "pk")
    booking = Booking.objects.order_by("pk").first()
    held = coming.filter(
        activity__registrations__person=booking.booker if booking else None,
        activity__registrations__status="confirmed",
    ).first()
    shift = held or coming.first()
    if shift:
        found["volunteers:shift"] = {"public_id": shift.public_id}
    return found


@pytest.fixture
def district(browser_db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo.load(residents=12)
    from dangqun.activities.models import Activity
    from dangqun.activities.services import registration_create
    from dangqun.bookings.models import Booking
    from dangqun.intake.models import ServiceRequest
    from dangqun.people.models import Person

    # The resident whose pages are measured: the one with a booking, who also has a
    # registration and a request (the demo gives them to different people).
    resident = Booking.objects.order_by("pk").first().booker
    activity = Activity.objects.filter(status="published").order_by("pk").first()
    registration_create(actor=resident, activity=activity)
    ServiceRequest.objects.filter(pk=ServiceRequest.objects.order_by("pk").first().pk).update(
        person=resident
    )
    staff = Person.objects.get(mobile=demo.DEMO_STAFF_MOBILE)
    return resident, staff


def measure(page, mode_large: bool, lang: str, catalogue: list, axe_js: str) -> dict:
    page.keyboard.press("Tab")  # keyboard modality: script focus now shows :focus-visible
    found = page.evaluate(
        elder.MEASURE_JS, {"large": mode_large, "lang": lang, "catalogue": catalogue}
    )
    found["focus"] = page.evaluate(elder.FOCUS_JS)
    page.add_script_tag(content=axe_js)
    found["axe"] = page.evaluate(
        """async tags => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(
                v => v.id + ' x' + v.nodes.length + ' ' + v.nodes[0].target.join(' '));
        }""",
        elder.AXE_TAGS,
    )
    return found


def problems_of(got: dict, large: bool) -> list[str]:
    """What one page in one mode breaks, one line each."""
    problems = []
    if got["axe"]:
        problems += [f"axe {v}" for v in got["axe"]]
    if large and got["small"]:
        share = 100 * got["small"] / max(got["texts"], 1)
        problems.append(
            f"text under 18px: {share:.0f}% of characters, smallest "
            f"{got['minText']:.1f}px at {got['minTextWhere']}"
        )
    bad_targets = [t for t in got["targets"] if not t[4]]
    if bad_targets:
        worst = min(bad_targets)
        problems.append(
            f"{len(bad_targets)} targets under {44 if large else 24}px, smallest "
            f"{worst[1]}x{worst[2]} {worst[3]}"
        )
    weak = [f for f in got["focus"] if f[0] < elder.MIN_FOCUS_CONTRAST]
    if weak:
        problems.append(
            f"{len(weak)} focus rings under 3:1, worst {min(weak)[0]} {min(weak)[1]} {min(weak)[2]}"
        )
    if got["lineFails"]:
        problems.append(f"line height under 1.3: {got['lineFails'][:2]}")
    if got["chrome"] > elder.MAX_CHROME_SHARE * 844:
        problems.append(f"header and tab bar take {got['chrome']}px of 844")
    if got["dupIds"]:
        problems.append(f"duplicate ids {got['dupIds'][:5]}")
    if got["otherLang"]:
        problems.append(f"other language: {got['otherLang'][:3]}")
    return problems


def test_every_page_in_every_mode(district, new_context, live_server):
    axe_file = elder.axe_path()
    if axe_file is None:
        message = "axe-core is missing: set DANGQUN_AXE_JS to axe.min.js (npm install axe-core@4)"
        if os.environ.get("DANGQUN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    axe_js = Path(axe_file).read_text(encoding="utf-8")
    resident, staff = district

    arguments = samples()
    urls, no_sample = {}, []
    for name, _route, args in elder.named_patterns():
        if not args:
            urls[name] = elder.url_of(name, {})
        elif name in arguments:
            urls[name] = elder.url_of(name, arguments[name])
        else:
            no_sample.append(name)
    clients = {"public": Client(), "resident": Client(), "staff": Client()}
    clients["resident"].force_login(resident)
    clients["staff"].force_login(staff)
    pages, left_out = elder.classify(urls, clients)
    catalogue = sorted(elder.Catalogue.load().chinese - elder.data_strings())
    sessions = {who: c.cookies["sessionid"].value for who, c in clients.items() if who != "public"}

    rows, failures, weights = [], [], []
    contexts = {}
    only = os.environ.get("DANGQUN_ELDER_ONLY", "")
    for lang, large in MODES:
        for who in ("public", "resident", "staff"):
            context = new_context(
                locale="zh-CN" if lang != "en" else "en-US", width=390, height=844
            )
            cookies = [
                {"name": "django_language", "value": lang, "url": live_server.url},
                {
                    "name": "dq_text",
                    "value": "large" if large else "normal",
                    "url": live_server.url,
                },
            ]
            if who in sessions:
                cookies.append(
                    {"name": "sessionid", "value": sessions[who], "url": live_server.url}
                )
            context.add_cookies(cookies)
            contexts[(lang, large, who)] = context.new_page()
    for page_info in pages:
        if only and only not in page_info.name:
            continue
        for lang, large in MODES:
            mode = f"{lang}{' large' if large else ''}"
            browser_page = contexts[(lang, large, page_info.who)]
            browser_page.goto(page_info.url)
            got = measure(browser_page, large, lang, catalogue, axe_js)
            problems = problems_of(got, large)
            smallest_target = min((t[0] for t in got["targets"]), default=0)
            focus_min = min((f[0] for f in got["focus"]), default=0)
            rows.append(
                (
                    page_info.url,
                    page_info.who,
                    mode,
                    len(got["axe"]),
                    got["minText"],
                    smallest_target,
                    focus_min,
                    len(got["focus"]),
                    got["chrome"],
                    "OK" if not problems else "FAIL",
                )
            )
            failures += [f"{page_info.url} [{mode}, {page_info.who}]: {p}" for p in problems]
            if lang == "zh-hans" and not large:
                cookies = {"django_language": lang}
                if page_info.who in sessions:
                    cookies["sessionid"] = sessions[page_info.who]
                weights.append(
                    (*elder.gzipped_size(live_server.url, page_info.url, cookies), page_info.url)
                )

    header = (
        "page",
        "who",
        "mode",
        "axe",
        "min text px",
        "min target px",
        "min focus",
        "tabs",
        "header px",
        "",
    )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print()
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    print(f"\nPages measured: {len(pages)} x {len(MODES)} modes")
    print(f"Left out: {left_out}")
    print(f"Not measured, no sample arguments (actions, feeds, files): {no_sample}")
    for sent, whole, url in sorted(weights, reverse=True)[:3]:
        print(f"Heaviest: {url} {whole} bytes, sent {sent} bytes gzipped")
    if rows:
        large_rows = [r for r in rows if "large" in r[2]]
        print(
            f"Smallest text in large mode: {min(r[4] for r in large_rows):.1f}px; "
            f"smallest target: normal {min(r[5] for r in rows if 'large' not in r[2])}px, "
            f"large {min(r[5] for r in large_rows)}px; "
            f"lowest focus contrast {min(r[6] for r in rows if r[7])}; "
            f"header and tab bar at most {max(r[8] for r in rows)}px"
        )
    print("\n".join(failures))
    assert {p.who for p in pages} == {"public", "resident", "staff"}
    for must in ("/", "/riders/map/", "/bookings/", "/intake/mine/", "/staff/"):
        assert must in {p.url for p in pages}, f"{must} was not measured"
    assert all(sent > 0 for sent, _whole, _url in weights), "pages sent without gzip"
    assert not failures, f"{len(failures)} violations (see the table above)"
