"""Reads of the charging room. Riders' reads are public (availability) or their own
(reservations); staff reads are scoped by the station's region through people/access.py.

Availability is computed on read: a slot whose cabinet has been silent longer than the
offline time shows offline, and a hold past its time no longer counts, whatever the worker
has written down yet."""

from collections import Counter
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone
from django.utils.translation import pgettext

from dangqun.core.errors import NotFound
from dangqun.people import access

from . import lapses, services
from .models import Cabinet, ChargingRoom, ChargingSession, FaultReport, Reservation, Slot

# The state riders see of a free slot someone holds (not a state the devices report).
HELD = "held"


def _slots_with_hold(now):
    held = Reservation.objects.filter(
        slot=OuterRef("pk"), status=Reservation.Status.ACTIVE, expires_at__gt=now
    )
    return Slot.objects.annotate(held=Exists(held)).order_by("number")


def _decorate(rooms: list[ChargingRoom], now) -> list[ChargingRoom]:
    """Give each slot its shown state and each room its counts (no further queries)."""
    for room in rooms:
        counts = Counter()
        room.slot_list = []
        for cabinet in room.cabinets.all():
            for slot in cabinet.slots.all():
                room.slot_list.append(slot)
                slot.cabinet = cabinet
                slot.shown = services.shown_state(slot, now)
                if slot.shown == Slot.State.FREE and slot.held:
                    slot.shown = HELD
                slot.shown_label = state_label(slot.shown)
                slot.can_reserve = slot.shown == Slot.State.FREE
                counts[slot.shown] += 1
        room.slot_list.sort(key=lambda slot: (slot.position, slot.pk))
        room.counts = counts
        room.free = counts[Slot.State.FREE]
        room.total = sum(counts.values())
        room.hold_minutes = lapses.hold_minutes()
    return rooms


def state_label(state: str) -> str:
    if state == HELD:
        return pgettext("slot state", "Reserved")
    return str(Slot.State(state).label)


def _rooms(queryset, now) -> list[ChargingRoom]:
    cabinets = Cabinet.objects.order_by("code").prefetch_related(
        Prefetch("slots", queryset=_slots_with_hold(now))
    )
    rooms = queryset.select_related("station").prefetch_related(
        Prefetch("cabinets", queryset=cabinets)
    )
    return _decorate(list(rooms), now)


def rooms_for_station(station) -> list[ChargingRoom]:
    """The station's charging rooms with live slot states, in three queries."""
    return _rooms(ChargingRoom.objects.filter(station=station), timezone.now())


def availability_by_station(station_ids) -> dict[int, dict]:
    """Free and total slots per station (for map cards), live, in three queries."""
    rooms = _rooms(ChargingRoom.objects.filter(station_id__in=list(station_ids)), timezone.now())
    summary: dict[int, dict] = {}
    for room in rooms:
        entry = summary.setdefault(room.station_id, {"free": 0, "total": 0})
        entry["free"] += room.free
        entry["total"] += room.total
    return summary


def room_public(public_id) -> ChargingRoom:
    try:
        rooms = _rooms(ChargingRoom.objects.filter(public_id=public_id), timezone.now())
    except (ValueError, TypeError, ValidationError):
        rooms = []
    if not rooms or not rooms[0].station.is_open:
        raise NotFound()
    return rooms[0]


def rooms_public(*, station_id: int | None = None) -> list[ChargingRoom]:
    queryset = ChargingRoom.objects.filter(station__is_open=True)
    if station_id is not None:
        queryset = queryset.filter(station_id=station_id)
    return _rooms(queryset.order_by("station__name", "name", "id"), timezone.now())


def slot_public(pk) -> Slot:
    slot = (
        Slot.objects.select_related("cabinet__room__station")
        .filter(pk=pk, cabinet__room__station__is_open=True)
        .first()
        if str(pk).isdigit()
        else None
    )
    if slot is None:
        raise NotFound()
    return slot


def active_hold(person) -> Reservation | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return (
        Reservation.objects.filter(
            person=person, status=Reservation.Status.ACTIVE, expires_at__gt=timezone.now()
        )
        .select_related("slot__cabinet__room__station")
        .first()
    )


def current_holds(person) -> list[Reservation]:
    """The person's holds still running (at most one: the database's rule), with their
    room and station, for "my bookings" and the riders' page; none for a visitor."""
    hold = active_hold(person)
    return [hold] if hold is not None else []


def reservations_of(person):
    """The person's reservations, newest first."""
    return Reservation.objects.filter(person=person).select_related("slot__cabinet__room")


def reservation_of(person, public_id) -> Reservation:
    try:
        return Reservation.objects.select_related("slot__cabinet__room").get(
            person=person, public_id=public_id
        )
    except (Reservation.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


# --- staff ------------------------------------------------------------------------------------


def rooms_for_staff(user) -> list[ChargingRoom]:
    queryset = access.scope(user, ChargingRoom.objects.all()).annotate(
        open_faults=Count(
            "cabinets__slots__faults",
            filter=Q(cabinets__slots__faults__status=FaultReport.Status.OPEN),
        )
    )
    return _rooms(queryset.order_by("station__name", "name", "id"), timezone.now())


def room_for_staff(user, public_id) -> ChargingRoom:
    room = access.get_or_404(user, ChargingRoom.objects.all(), public_id=public_id)
    return _rooms(ChargingRoom.objects.filter(pk=room.pk), timezone.now())[0]


def cabinet_for_staff(user, code) -> Cabinet:
    cabinet = Cabinet.objects.select_related("room__station__region").filter(code=code).first()
    if cabinet is None:
        raise NotFound()
    access.require(user, access.MANAGERS, obj=cabinet.room)
    return cabinet


def slot_for_staff(user, pk) -> Slot:
    slot = Slot.objects.select_related("cabinet__room__station__region").filter(pk=pk).first()
    if slot is None:
        raise NotFound()
    access.require(user, access.MANAGERS, obj=slot.cabinet.room)
    return slot


def faults_for_staff(user, *, status: str | None = FaultReport.Status.OPEN):
    queryset = access.scope(user, FaultReport.objects.all()).select_related(
        "slot__cabinet__room__station", "person"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def fault_for_staff(user, public_id) -> FaultReport:
    return access.get_or_404(
        user,
        FaultReport.objects.select_related("slot__cabinet__room__station__region"),
        public_id=public_id,
    )


def open_fault_count_for_staff(user) -> int:
    """Open fault reports in this member of staff's regions (the back office's home)."""
    return faults_for_staff(user).count()


def sessions_for_staff(user, *, room: ChargingRoom | None = None, start=None, end=None):
    rooms = access.scope(user, ChargingRoom.objects.all())
    queryset = ChargingSession.objects.filter(slot__cabinet__room__in=rooms)
    if room is not None:
        queryset = queryset.filter(slot__cabinet__room=room)
    if start is not None:
        queryset = queryset.filter(started_at__gte=_day_start(start))
    if end is not None:
        queryset = queryset.filter(started_at__lt=_day_start(end + timedelta(days=1)))
    return queryset


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _figures(queryset, key) -> list[dict]:
    rows = (
        queryset.annotate(key=key)
        .values("key")
        .annotate(
            sessions=Count("id"),
            riders=Count("person", distinct=True),
            charges=Count("id", filter=Q(kind=ChargingSession.Kind.CHARGE)),
            swaps=Count("id", filter=Q(kind=ChargingSession.Kind.SWAP)),
        )
        .order_by("key")
    )
    return list(rows)


def usage(user, *, room=None, start=None, end=None) -> dict:
    """Sessions, distinct riders (known from their holds), charges and swaps, per day and
    per hour of day (Shanghai time), in two queries."""
    tz = timezone.get_current_timezone()
    queryset = sessions_for_staff(user, room=room, start=start, end=end)
    by_day = _figures(queryset, TruncDate("started_at", tzinfo=tz))
    by_hour = {row["key"]: row for row in _figures(queryset, ExtractHour("started_at", tzinfo=tz))}
    empty = {"sessions": 0, "riders": 0, "charges": 0, "swaps": 0}
    hours = [{"key": h, **{k: by_hour.get(h, empty)[k] for k in empty}} for h in range(24)]
    totals = {k: sum(row[k] for row in by_day) for k in ("sessions", "charges", "swaps")}
    return {"by_day": by_day, "by_hour": hours, "totals": totals}
