"""API of the charging room: live availability (public), a rider's holds and fault reports
(signed in), and the devices' signed report webhook. Staff endpoints are in staff_api.py."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from dangqun.accounts.auth import AUTH
from dangqun.core.hours import local
from dangqun.core.schemas import Id, MultilineText

from . import devices, selectors, services
from .models import FaultReport, Reservation

router = Router(tags=["charging"])


class ChargingSlotOut(Schema):
    id: int
    position: int  # the slot's number in its room, as riders see it
    name: str  # as riders call it: "1号充电位" / "Slot 1"
    number: int  # the slot's number on its cabinet (the device's)
    kind: str
    state: str  # free, held, charging, occupied, fault, offline (as riders see it)
    state_label: str
    cabinet: str

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.shown

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.shown_label)

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.name

    @staticmethod
    def resolve_cabinet(obj) -> str:
        return obj.cabinet.code


class RoomOut(Schema):
    public_id: UUID
    name: str
    station_id: int
    station: str
    is_24h: bool
    free: int
    total: int
    slots: list[ChargingSlotOut]

    @staticmethod
    def resolve_station(obj) -> str:
        return obj.station.name

    @staticmethod
    def resolve_slots(obj) -> list:
        return obj.slot_list


class ReservationOut(Schema):
    public_id: UUID
    slot_id: int
    slot_name: str  # as riders call it: "1号充电位" / "Slot 1"
    slot_number: int
    cabinet: str
    room: UUID
    status: str
    expires_at: datetime
    ended_at: datetime | None

    @staticmethod
    def resolve_slot_name(obj: Reservation) -> str:
        return obj.slot.name

    @staticmethod
    def resolve_slot_number(obj: Reservation) -> int:
        return obj.slot.number

    @staticmethod
    def resolve_cabinet(obj: Reservation) -> str:
        return obj.slot.cabinet.code

    @staticmethod
    def resolve_room(obj: Reservation) -> UUID:
        return obj.slot.cabinet.room.public_id

    @staticmethod
    def resolve_status(obj: Reservation) -> str:
        if obj.status == Reservation.Status.ACTIVE and obj.expires_at <= timezone.now():
            return Reservation.Status.EXPIRED
        return obj.status

    @staticmethod
    def resolve_expires_at(obj: Reservation) -> datetime:
        return local(obj.expires_at)

    @staticmethod
    def resolve_ended_at(obj: Reservation) -> datetime | None:
        return local(obj.ended_at)


class FaultIn(Schema):
    text: Annotated[MultilineText, Field(max_length=1000)]  # required: the service says so


class FaultOut(Schema):
    public_id: UUID
    slot_id: int
    text: str
    status: str
    created_at: datetime

    @staticmethod
    def resolve_created_at(obj: FaultReport) -> datetime:
        return local(obj.created_at)


class ReportAccepted(Schema):
    cabinet: str
    slots: int


@router.get(
    "/charging/rooms",
    response=list[RoomOut],
    summary="Charging rooms with live slot states (filter by ?station=<id>)",
)
def room_list(request, station: Id | None = None):
    return selectors.rooms_public(station_id=station)


@router.get("/charging/rooms/{public_id}", response=RoomOut, summary="A charging room, live")
def room_detail(request, public_id: str):
    return selectors.room_public(public_id)


@router.post(
    "/charging/slots/{slot_id}/reservations",
    response={201: ReservationOut},
    auth=AUTH,
    summary="Hold a free slot for a short time (409 if it is taken or you hold one already)",
)
def reservation_create(request, slot_id: Id):
    slot = selectors.slot_public(slot_id)
    return Status(201, services.reservation_create(actor=request.user, slot=slot))


@router.get(
    "/me/charging/reservations",
    response=list[ReservationOut],
    auth=AUTH,
    summary="My slot reservations, newest first",
)
def my_reservations(request):
    return selectors.reservations_of(request.user)[:50]


@router.post(
    "/charging/reservations/{public_id}/cancel",
    response=ReservationOut,
    auth=AUTH,
    summary="Cancel my hold",
)
def reservation_cancel(request, public_id: str):
    reservation = selectors.reservation_of(request.user, public_id)
    return services.reservation_cancel(actor=request.user, reservation=reservation)


@router.post(
    "/charging/slots/{slot_id}/faults",
    response={201: FaultOut},
    auth=AUTH,
    summary="Report a fault of a slot",
)
def fault_create(request, slot_id: Id, payload: FaultIn):
    slot = selectors.slot_public(slot_id)
    return Status(201, services.fault_report(actor=request.user, slot=slot, text=payload.text))


REPORT_DOC = {
    "parameters": [
        {
            "in": "header",
            "name": "X-Timestamp",
            "required": True,
            "schema": {"type": "string"},
            "description": "Unix time in seconds when the report was signed",
        },
        {
            "in": "header",
            "name": "X-Signature",
            "required": True,
            "schema": {"type": "string"},
            "description": 'hex HMAC-SHA256 of "<X-Timestamp>." + the raw body, keyed with '
            "the cabinet's secret",
        },
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["slots"],
                    "properties": {
                        "slots": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["number", "state"],
                                "properties": {
                                    "number": {"type": "integer", "minimum": 1},
                                    "state": {
                                        "type": "string",
                                        "enum": ["free", "charging", "occupied", "fault"],
                                    },
                                    "energy_wh": {"type": "integer", "minimum": 0},
                                },
                            },
                        }
                    },
                }
            }
        },
    },
}


@router.post(
    "/charging/devices/{code}/report",
    response={200: ReportAccepted},
    auth=None,
    openapi_extra=REPORT_DOC,
    summary="A cabinet reports its slots (signed; 401 bad or stale signature, 409 replay, "
    "404 unknown cabinet or slot, 400 bad body)",
)
def device_report(request, code: str):
    cabinet = devices.report_receive(
        code=code,
        timestamp=request.headers.get("X-Timestamp"),
        signature=request.headers.get("X-Signature"),
        body=request.body,
    )
    return {"cabinet": cabinet.code, "slots": cabinet.slots.count()}
