"""Staff pages and API of the charging room: scoped by the station's region, add a room and
a cabinet (secret shown once), rotate a secret, faults, usage per day and hour with an
Excel export, in a fixed number of queries."""

from datetime import datetime, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangqun.accounts.services import api_token_create
from dangqun.charging import services
from dangqun.charging.models import Cabinet, ChargingSession, FaultReport, Slot
from dangqun.core import crypto
from dangqun.people.models import StaffRole
from tests import factories

from .helpers import room_with_cabinet, station

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(district):
    room, _cabinet, _secret = room_with_cabinet(district.cangqian, charging=2, swap=1)
    return room


@pytest.fixture
def cangqian_admin(district):
    return factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)


@pytest.fixture
def xianlin_admin(district):
    return factories.staff(StaffRole.Role.STREET_ADMIN, district.xianlin)


def _sessions(room, days: int = 3):
    """Sessions at 08:xx and 20:xx Shanghai time on each of the last days."""
    slots = list(Slot.objects.filter(cabinet__room=room).order_by("cabinet__code", "number"))
    riders = [factories.PersonFactory() for _ in range(3)]
    today = timezone.localdate()
    for d in range(days):
        day = today - timedelta(days=d)
        for n, hour in enumerate((8, 8, 20)):
            start = timezone.make_aware(datetime(day.year, day.month, day.day, hour, 10 * n))
            slot = slots[n]
            ChargingSession.objects.create(
                slot=slot,
                person=riders[n % 2],
                kind="swap" if slot.kind == "swap" else "charge",
                started_at=start,
                ended_at=start + timedelta(minutes=40),
                energy_wh=300,
            )


def test_the_room_list_is_scoped(client, as_person, room, cangqian_admin, xianlin_admin):
    as_person(cangqian_admin)
    page = client.get(reverse("staff_charging:list"))
    assert page.status_code == 200 and room.name in page.content.decode()
    as_person(xianlin_admin)
    page = client.get(reverse("staff_charging:list"))
    assert reverse("staff_charging:room", args=[room.public_id]) not in page.content.decode()
    assert client.get(reverse("staff_charging:room", args=[room.public_id])).status_code == 404


def test_add_a_room_and_a_cabinet_shows_the_secret_once(
    client, as_person, district, cangqian_admin
):
    as_person(cangqian_admin)
    place = station(district.cangqian, name="骑手驿站")
    answer = client.post(
        reverse("staff_charging:list"), {"station": place.pk, "name": "充电间", "is_24h": "on"}
    )
    assert answer.status_code == 302
    room = place.charging_rooms.get()
    page = client.post(
        reverse("staff_charging:room", args=[room.public_id]),
        {"code": "cq-new", "charging_slots": 4, "swap_slots": 2},
    )
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    cabinet = Cabinet.objects.get(code="cq-new")
    secret = services.cabinet_secret(cabinet)
    assert secret in page.content.decode()
    assert cabinet.slots.count() == 6
    # Never again: the room's page does not show it.
    assert (
        secret
        not in client.get(reverse("staff_charging:room", args=[room.public_id])).content.decode()
    )


def test_a_station_outside_my_region_cannot_get_a_room(client, as_person, district, xianlin_admin):
    as_person(xianlin_admin)
    place = station(district.cangqian)
    answer = client.post(reverse("staff_charging:list"), {"station": place.pk, "name": "充电间"})
    assert answer.status_code == 200  # the form refuses a station it does not offer
    assert not place.charging_rooms.exists()


def test_rotate_the_secret(client, as_person, room, cangqian_admin, xianlin_admin):
    cabinet = room.cabinets.get()
    old = services.cabinet_secret(cabinet)
    as_person(xianlin_admin)
    path = reverse("staff_charging:secret_rotate", args=[cabinet.code])
    assert client.post(path).status_code == 404
    as_person(cangqian_admin)
    page = client.post(path)
    cabinet.refresh_from_db()
    new = crypto.decrypt(cabinet.secret_encrypted)
    assert new != old and new in page.content.decode()


def test_faults_list_and_close(client, as_person, room, cangqian_admin, xianlin_admin):
    fault = services.fault_report(
        actor=factories.PersonFactory(),
        slot=Slot.objects.filter(cabinet__room=room).first(),
        text="灯不亮",
    )
    as_person(xianlin_admin)
    assert "灯不亮" not in client.get(reverse("staff_charging:faults")).content.decode()
    assert (
        client.post(reverse("staff_charging:fault_close", args=[fault.public_id])).status_code
        == 404
    )
    as_person(cangqian_admin)
    assert "灯不亮" in client.get(reverse("staff_charging:faults")).content.decode()
    client.post(reverse("staff_charging:fault_close", args=[fault.public_id]), {"note": "换了灯"})
    fault.refresh_from_db()
    assert (fault.status, fault.note, fault.closed_by) == (
        FaultReport.Status.CLOSED,
        "换了灯",
        cangqian_admin,
    )


def test_usage_per_day_and_hour(
    client, as_person, room, cangqian_admin, django_assert_max_num_queries
):
    _sessions(room, days=3)
    as_person(cangqian_admin)
    today = timezone.localdate()
    query = {"start": today - timedelta(days=6), "end": today}
    with django_assert_max_num_queries(14):
        page = client.get(reverse("staff_charging:usage"), query)
    assert page.status_code == 200
    figures = page.context["figures"]
    assert [row["sessions"] for row in figures["by_day"]] == [3, 3, 3]
    assert {row["riders"] for row in figures["by_day"]} == {2}
    by_hour = {row["key"]: row for row in figures["by_hour"]}
    assert by_hour[8]["sessions"] == 6 and by_hour[20]["sessions"] == 3
    assert by_hour[20]["swaps"] == 3 and by_hour[8]["charges"] == 6
    assert figures["totals"] == {"sessions": 9, "charges": 6, "swaps": 3}


def test_usage_queries_do_not_grow_with_sessions(
    client, as_person, room, cangqian_admin, django_assert_max_num_queries
):
    as_person(cangqian_admin)
    _sessions(room, days=20)
    today = timezone.localdate()
    with django_assert_max_num_queries(14):
        client.get(
            reverse("staff_charging:usage"), {"start": today - timedelta(days=30), "end": today}
        )


def test_usage_excel(client, as_person, room, cangqian_admin):
    _sessions(room, days=2)
    as_person(cangqian_admin)
    today = timezone.localdate()
    answer = client.get(
        reverse("staff_charging:usage_export"), {"start": today - timedelta(days=1), "end": today}
    )
    assert answer.status_code == 200
    book = load_workbook(BytesIO(answer.content))
    days, hours = book.worksheets
    rows = list(days.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [3, 3]
    hour_rows = list(hours.iter_rows(min_row=2, values_only=True))
    assert len(hour_rows) == 24 and hour_rows[8][1] == 4 and hour_rows[20][1] == 2


def test_usage_refuses_a_reversed_range(client, as_person, room, cangqian_admin):
    as_person(cangqian_admin)
    today = timezone.localdate()
    answer = client.get(
        reverse("staff_charging:usage"), {"start": today, "end": today - timedelta(days=1)}
    )
    assert answer.status_code == 400


def test_residents_see_no_staff_pages(client, as_person, room):
    as_person(factories.PersonFactory())
    assert client.get(reverse("staff_charging:list")).status_code == 404


def test_staff_api(client, room, cangqian_admin, xianlin_admin):
    def auth(person):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(person=person, name='t')[1]}"}

    mine = client.get("/api/v1/staff/charging/rooms", **auth(cangqian_admin)).json()
    assert [r["public_id"] for r in mine] == [str(room.public_id)]
    assert client.get("/api/v1/staff/charging/rooms", **auth(xianlin_admin)).json() == []
    made = client.post(
        f"/api/v1/staff/charging/rooms/{room.public_id}/cabinets",
        {"code": "cq-api", "charging_slots": 2},
        content_type="application/json",
        **auth(cangqian_admin),
    )
    assert made.status_code == 201
    assert made.json()["secret"] == services.cabinet_secret(Cabinet.objects.get(code="cq-api"))
    refused = client.post(
        f"/api/v1/staff/charging/rooms/{room.public_id}/cabinets",
        {"code": "cq-api2", "charging_slots": 2},
        content_type="application/json",
        **auth(xianlin_admin),
    )
    assert refused.status_code == 404
    rotated = client.post("/api/v1/staff/charging/cabinets/cq-api/secret", **auth(cangqian_admin))
    assert rotated.json()["secret"] == services.cabinet_secret(Cabinet.objects.get(code="cq-api"))
    _sessions(room, days=1)
    today = timezone.localdate().isoformat()
    usage = client.get(
        "/api/v1/staff/charging/usage", {"start": today, "end": today}, **auth(cangqian_admin)
    ).json()
    assert usage["by_day"] == [{"key": today, "sessions": 3, "riders": 2, "charges": 2, "swaps": 1}]


def test_change_a_slots_kind(client, as_person, room, cangqian_admin, xianlin_admin):
    slot = Slot.objects.filter(cabinet__room=room, kind="charging").first()
    path = reverse("staff_charging:slot_kind", args=[slot.pk])
    as_person(xianlin_admin)
    assert client.post(path, {"kind": "swap"}).status_code == 404
    as_person(cangqian_admin)
    assert client.post(path, {"kind": "bogus"}).status_code == 302
    slot.refresh_from_db()
    assert slot.kind == "charging"
    client.post(path, {"kind": "swap"})
    slot.refresh_from_db()
    assert slot.kind == "swap"
    token = api_token_create(person=cangqian_admin, name="t")[1]
    answer = client.patch(
        f"/api/v1/staff/charging/slots/{slot.pk}",
        {"kind": "charging"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 200 and answer.json()["kind"] == "charging"


def test_the_room_list_queries_do_not_grow_with_rooms(
    client, as_person, district, cangqian_admin, django_assert_max_num_queries
):
    for n in range(6):
        room_with_cabinet(district.cangqian, code=f"cq-{n}")
    as_person(cangqian_admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("staff_charging:list"))
    assert page.content.decode().count("/staff/charging/rooms/") == 6
    with django_assert_max_num_queries(12):
        page = client.get(reverse("staff_charging:room", args=[page.context["rooms"][0].public_id]))
    assert page.status_code == 200
