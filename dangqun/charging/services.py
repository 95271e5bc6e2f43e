"""Writes of the charging room: rooms, cabinets and their secrets, slots; riders' holds of
a slot (reserve, cancel, expire) and fault reports; staff closing faults. Device reports
are in devices.py.

One active hold per slot and per person is the database's rule (partial unique indexes on
Reservation); the checks here only give the friendly answer first, and a refusal by the
index becomes the same answer."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import audit, crypto
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.text import clean_text
from dangqun.people import access

from . import lapses, tasks
from .errors import AlreadyHolding, SlotTaken
from .models import Cabinet, ChargingRoom, FaultReport, Reservation, Slot

# --- rooms, cabinets, secrets ---------------------------------------------------------------


@transaction.atomic
def room_create(*, actor, station, name: str, name_en: str = "", is_24h: bool = True):
    access.require(actor, access.MANAGERS, obj=station)
    room = ChargingRoom.objects.create(
        station=station,
        name=clean_text(
            name, field="name", max_length=120, required=True, message=_("Give the room a name.")
        ),
        name_en=clean_text(name_en, field="name_en", max_length=120),
        is_24h=is_24h,
    )
    audit.record(actor, "charging.room_create", room, {"station": station.pk})
    return room


def new_secret() -> str:
    return secrets.token_hex(32)


def cabinet_secret(cabinet: Cabinet) -> str:
    return crypto.decrypt(cabinet.secret_encrypted)


@transaction.atomic
def cabinet_create(
    *, actor, room: ChargingRoom, code: str, charging_slots: int, swap_slots: int = 0
) -> tuple[Cabinet, str]:
    """A cabinet with its slots numbered 1..n (charging first, then swap). Returns the
    cabinet and its new secret, which is shown once and then only stored encrypted."""
    access.require(actor, access.MANAGERS, obj=room)
    code = (code or "").strip().lower()
    if not code or Cabinet.objects.filter(code=code).exists():
        raise ValidationFailed(_("Give a device code no other cabinet has."), field="code")
    if not (0 <= charging_slots <= 64 and 0 <= swap_slots <= 64) or not (
        charging_slots + swap_slots
    ):
        raise ValidationFailed(_("A cabinet has 1 to 128 slots."), field="charging_slots")
    secret = new_secret()
    cabinet = Cabinet.objects.create(
        room=room,
        code=code,
        secret_encrypted=crypto.encrypt(secret),
        secret_rotated_at=timezone.now(),
    )
    kinds = [Slot.Kind.CHARGING] * charging_slots + [Slot.Kind.SWAP] * swap_slots
    # Riders' numbers go on from the room's last one (the room is locked for this count).
    ChargingRoom.objects.select_for_update().filter(pk=room.pk).first()
    last = Slot.objects.filter(cabinet__room=room).aggregate(last=Max("position"))["last"] or 0
    Slot.objects.bulk_create(
        Slot(cabinet=cabinet, number=n, position=last + n, kind=kind)
        for n, kind in enumerate(kinds, 1)
    )
    audit.record(actor, "charging.cabinet_create", cabinet, {"slots": len(kinds)})
    return cabinet, secret


@transaction.atomic
def cabinet_rotate_secret(*, actor, cabinet: Cabinet) -> str:
    """A new secret for the device; the old one stops working at once."""
    access.require(actor, access.MANAGERS, obj=cabinet.room)
    secret = new_secret()
    cabinet.secret_encrypted = crypto.encrypt(secret)
    cabinet.secret_rotated_at = timezone.now()
    cabinet.save(update_fields=["secret_encrypted", "secret_rotated_at"])
    audit.record(actor, "charging.secret_rotate", cabinet, {})
    return secret


@transaction.atomic
def slot_set_kind(*, actor, slot: Slot, kind: str) -> Slot:
    access.require(actor, access.MANAGERS, obj=slot.cabinet.room)
    if kind not in Slot.Kind.values:
        raise ValidationFailed(_("Choose charging or battery swap."), field="kind")
    slot.kind = kind
    slot.save(update_fields=["kind"])
    audit.record(actor, "charging.slot_kind", slot, {"kind": kind})
    return slot


# --- riders' holds ----------------------------------------------------------------------------


def expire_holds(*, now, slot: Slot | None = None, person=None) -> int:
    """Mark holds past their time as expired (of one slot and/or one person), so that their
    place in the unique indexes is free again. Returns how many."""
    holds = Reservation.objects.filter(status=Reservation.Status.ACTIVE, expires_at__lte=now)
    if slot is not None and person is not None:
        holds = holds.filter(Q(slot=slot) | Q(person=person))
    elif slot is not None:
        holds = holds.filter(slot=slot)
    elif person is not None:
        holds = holds.filter(person=person)
    return holds.update(status=Reservation.Status.EXPIRED, ended_at=now)


def shown_state(slot: Slot, now) -> str:
    """The slot's state as riders see it: offline once its cabinet has been silent too long."""
    last = slot.cabinet.last_report_at
    if last is None or last <= now - lapses.offline_after():
        return Slot.State.OFFLINE
    return slot.state


def _slot_is_held(slot: Slot) -> bool:
    """The friendly check before the insert (the unique index is the guard)."""
    return Reservation.objects.filter(slot=slot, status=Reservation.Status.ACTIVE).exists()


@transaction.atomic
def reservation_create(*, actor, slot: Slot) -> Reservation:
    now = timezone.now()
    expire_holds(now=now, slot=slot, person=actor)
    current = Slot.objects.select_related("cabinet").get(pk=slot.pk)
    if shown_state(current, now) != Slot.State.FREE:
        raise SlotTaken(_("This slot is not free now."))
    if Reservation.objects.filter(person=actor, status=Reservation.Status.ACTIVE).exists():
        raise AlreadyHolding()
    if _slot_is_held(current):
        raise SlotTaken()
    try:
        with transaction.atomic():
            reservation = Reservation.objects.create(
                slot=current,
                person=actor,
                created_at=now,
                expires_at=now + timedelta(minutes=lapses.hold_minutes()),
            )
    except IntegrityError:
        # Someone got there between the check and the insert: the index said no.
        if Reservation.objects.filter(person=actor, status=Reservation.Status.ACTIVE).exists():
            raise AlreadyHolding() from None
        raise SlotTaken() from None
    transaction.on_commit(lambda: tasks.schedule_hold_expiry(reservation.pk))
    return reservation


@transaction.atomic
def reservation_cancel(*, actor, reservation: Reservation) -> Reservation:
    if reservation.person_id != actor.pk:
        raise NotFound()
    now = timezone.now()
    done = Reservation.objects.filter(pk=reservation.pk, status=Reservation.Status.ACTIVE).update(
        status=Reservation.Status.CANCELLED, ended_at=now
    )
    reservation.refresh_from_db()
    if not done and reservation.status != Reservation.Status.CANCELLED:
        raise ValidationFailed(_("This reservation has ended already."), field="reservation")
    return reservation


# --- faults -------------------------------------------------------------------------------------


@transaction.atomic
def fault_report(*, actor, slot: Slot, text: str) -> FaultReport:
    text = clean_text(
        text,
        field="text",
        max_length=1000,
        required=True,
        multiline=True,
        message=_("Say what is wrong."),
    )
    fault = FaultReport.objects.create(slot=slot, person=actor, text=text)
    audit.record(actor, "charging.fault_report", fault, {"slot": slot.pk})
    return fault


@transaction.atomic
def fault_close(*, actor, fault: FaultReport, note: str = "") -> FaultReport:
    access.require(actor, access.MANAGERS, obj=fault.slot.cabinet.room)
    if fault.status != FaultReport.Status.OPEN:
        raise ValidationFailed(_("This fault is closed already."), field="status")
    note = clean_text(note, field="note", max_length=300, multiline=True)  # never cut silently
    fault.status = FaultReport.Status.CLOSED
    fault.closed_at = timezone.now()
    fault.closed_by = actor
    fault.note = note
    fault.save(update_fields=["status", "closed_at", "closed_by", "note"])
    audit.record(actor, "charging.fault_close", fault, {})
    return fault


def usage_export_record(*, actor, room: ChargingRoom | None, start, end) -> None:
    """Usage figures left the system as a workbook: the export is in the audit log (of the
    room, or of the member of staff for all their rooms)."""
    audit.record(
        actor, "charging.usage_export", room or actor, {"start": str(start), "end": str(end)}
    )
