"""Rows and signed reports for the charging room's tests."""

import json
import time
from decimal import Decimal

from django.utils import timezone

from dangqun.charging import devices, services
from dangqun.charging.models import Cabinet, Slot
from dangqun.people.models import StaffRole
from dangqun.riders.models import Station
from tests import factories


def station(region, *, name="暖蜂驿站（仓前）", **extra) -> Station:
    values = {"latitude": Decimal("30.293500"), "longitude": Decimal("119.989800")}
    return Station.objects.create(name=name, region=region, **{**values, **extra})


def room_with_cabinet(region, *, code="cq-a", charging=4, swap=2, reported=True):
    """A station in the region with a room and one cabinet; every slot free (reported now)
    unless reported is False (then the cabinet has never spoken: offline).
    Returns (room, cabinet, secret)."""
    admin = factories.staff(StaffRole.Role.DISTRICT_ADMIN, region)
    room = services.room_create(actor=admin, station=station(region), name="24小时智能充换电间")
    cabinet, secret = services.cabinet_create(
        actor=admin, room=room, code=code, charging_slots=charging, swap_slots=swap
    )
    if reported:
        Slot.objects.filter(cabinet=cabinet).update(state=Slot.State.FREE)
        Cabinet.objects.filter(pk=cabinet.pk).update(last_report_at=timezone.now())
        cabinet.refresh_from_db()
    return room, cabinet, secret


def signed(secret: str, payload, *, at: int | None = None) -> tuple[bytes, dict]:
    """A report body and its headers (as the test client takes them)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    timestamp = str(int(time.time()) if at is None else at)
    return body, {
        "HTTP_X_TIMESTAMP": timestamp,
        "HTTP_X_SIGNATURE": devices.sign(secret, timestamp, body),
    }


def report_path(code: str) -> str:
    return f"/api/v1/charging/devices/{code}/report"


def post_report(client, code, secret, payload, **kwargs):
    body, headers = signed(secret, payload, **kwargs)
    return client.post(report_path(code), body, content_type="application/json", **headers)


def states(cabinet) -> dict[int, str]:
    return dict(Slot.objects.filter(cabinet=cabinet).values_list("number", "state"))
