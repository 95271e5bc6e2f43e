"""Device reports: a cabinet posts the state of its slots, signed with its own secret.

    POST /api/v1/charging/devices/{code}/report
    X-Timestamp: <Unix seconds>
    X-Signature: hex(HMAC-SHA256(secret, "<X-Timestamp>." + raw body))
    {"slots": [{"number": 1, "state": "charging", "energy_wh": 120}, ...]}

Refused, with nothing changed: an unknown cabinet (404), a timestamp missing or further than
the window from the server's clock (401 stale), a wrong signature (401 bad_signature), a
report seen before (409 replayed: accepted signatures are kept in the database for the
window, so every server process knows them), a body that is not such JSON (400), a slot
number the cabinet does not have (404).

A slot entering `charging` or `occupied` opens a session (charge for a charging slot, swap for
a swap slot; the rider who held the slot is its person, and the hold is used); leaving them
closes it, with the last energy reported."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core.errors import NotFound, ValidationFailed

from . import lapses, services, tasks
from .errors import BadSignature, ReplayedReport, StaleReport
from .models import Cabinet, ChargingSession, Reservation, SeenReport, Slot

REPORTABLE = (Slot.State.FREE, Slot.State.CHARGING, Slot.State.OCCUPIED, Slot.State.FAULT)
BUSY = (Slot.State.CHARGING, Slot.State.OCCUPIED)
MAX_ENERGY_WH = 100_000


def window_seconds() -> int:
    return settings.CHARGING["SIGNATURE_WINDOW_SECONDS"]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _check_time(timestamp: str | None) -> None:
    try:
        sent = int(timestamp or "")
    except ValueError:
        raise StaleReport() from None
    if abs(time.time() - sent) > window_seconds():
        raise StaleReport()


def _parse(body: bytes) -> list[dict]:
    """The slots of the report, checked; anything else is a 400."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(_("The report is not valid JSON."), field="body") from None
    rows = payload.get("slots") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not rows or len(rows) > 256:
        raise ValidationFailed(_("The report must list 1 to 256 slots."), field="slots")
    cleaned, numbers = [], set()
    for row in rows:
        if not isinstance(row, dict):
            raise ValidationFailed(_("Each slot must be an object."), field="slots")
        number, state, energy = row.get("number"), row.get("state"), row.get("energy_wh")
        if type(number) is not int or number in numbers:
            raise ValidationFailed(_("Each slot needs its own whole number."), field="number")
        if state not in REPORTABLE:
            raise ValidationFailed(
                _("A slot's state is free, charging, occupied or fault."), field="state"
            )
        if energy is not None and (type(energy) is not int or not 0 <= energy <= MAX_ENERGY_WH):
            raise ValidationFailed(_("energy_wh is a whole number of Wh."), field="energy_wh")
        numbers.add(number)
        cleaned.append({"number": number, "state": state, "energy_wh": energy})
    return cleaned


def report_receive(*, code: str, timestamp: str | None, signature: str | None, body: bytes):
    """Check and apply one report; returns the cabinet. See the module's docstring."""
    cabinet = Cabinet.objects.select_related("room").filter(code=code).first()
    if cabinet is None:
        raise NotFound(_("No cabinet has this code."))
    _check_time(timestamp)
    expected = sign(services.cabinet_secret(cabinet), timestamp, body)
    given = (signature or "").strip().lower().encode("utf-8", "replace")
    if not hmac.compare_digest(given, expected.encode()):
        raise BadSignature()
    rows = _parse(body)
    _apply(cabinet, expected, rows)
    return cabinet


@transaction.atomic
def _apply(cabinet: Cabinet, signature: str, rows: list[dict]) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            SeenReport.objects.create(signature=signature, cabinet=cabinet, received_at=now)
    except IntegrityError:
        raise ReplayedReport() from None
    SeenReport.objects.filter(
        received_at__lt=now - timedelta(seconds=2 * window_seconds())
    ).delete()
    # The cabinet first, then its slots: the silence check locks in the same order.
    Cabinet.objects.select_for_update().filter(pk=cabinet.pk).first()
    slots = {s.number: s for s in Slot.objects.select_for_update().filter(cabinet=cabinet)}
    unknown = [row["number"] for row in rows if row["number"] not in slots]
    if unknown:
        raise NotFound(
            _("The cabinet has no slot %(number)s.") % {"number": unknown[0]}, field="number"
        )
    for row in rows:
        _apply_slot(slots[row["number"]], row["state"], row["energy_wh"], now)
    Cabinet.objects.filter(pk=cabinet.pk).update(last_report_at=now)
    claimed = Cabinet.objects.filter(pk=cabinet.pk, silence_check_at__isnull=True).update(
        silence_check_at=now + lapses.offline_after()
    )
    if claimed:
        transaction.on_commit(lambda: tasks.schedule_silence_check(cabinet.pk))


def _apply_slot(slot: Slot, state: str, energy: int | None, now) -> None:
    was_busy, busy = slot.state in BUSY, state in BUSY
    if busy and not was_busy:
        _open_session(slot, now, energy)
    elif was_busy and not busy:
        lapses.close_session(slot, now, energy)
    elif busy and energy is not None:
        ChargingSession.objects.filter(slot=slot, ended_at__isnull=True).update(energy_wh=energy)
    slot.state = state
    slot.last_report_at = now
    slot.save(update_fields=["state", "last_report_at"])


def _open_session(slot: Slot, now, energy: int | None) -> None:
    hold = (
        Reservation.objects.filter(slot=slot, status=Reservation.Status.ACTIVE, expires_at__gt=now)
        .select_related("person")
        .first()
    )
    if hold is not None:
        Reservation.objects.filter(pk=hold.pk).update(status=Reservation.Status.USED, ended_at=now)
    lapses.close_session(slot, now, None)  # a session left open by a silence is over
    kind = ChargingSession.Kind.SWAP if slot.kind == Slot.Kind.SWAP else ChargingSession.Kind.CHARGE
    ChargingSession.objects.create(
        slot=slot,
        person=hold.person if hold else None,
        kind=kind,
        started_at=now,
        energy_wh=energy,
    )


def send_report(url: str, code: str, secret: str, payload: dict) -> tuple[int, str]:
    """The device's side: sign and post one report to the site at url; returns the HTTP
    status and the answer's text (used by `dangqun charging-device`)."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        f"{url.rstrip('/')}/api/v1/charging/devices/{code}/report",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Timestamp": timestamp,
            "X-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except urllib.error.URLError as error:
        raise ConnectionError(f"Cannot reach {url}: {error.reason}") from None
