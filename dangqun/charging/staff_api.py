"""Staff API of the charging room, scoped by the station's region: rooms with live slots,
cabinets (created with a secret shown once; secret rotation), faults and usage figures."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import ValidationFailed
from dangqun.core.schemas import Day, Id, RequiredText, Text
from dangqun.people import access
from dangqun.people.decorators import staff_endpoint

from . import selectors, services
from .api import RoomOut
from .models import FaultReport, Slot

router = Router(tags=["staff"], auth=AUTH)


class StaffRoomOut(RoomOut):
    open_faults: int


class CabinetIn(Schema):
    code: Annotated[RequiredText, Field(max_length=40)]
    charging_slots: Annotated[int, Field(ge=0, le=64)]
    swap_slots: Annotated[int, Field(ge=0, le=64)] = 0


class SecretOut(Schema):
    cabinet: str
    secret: str  # shown this once; only its encrypted form is stored


class StaffFaultOut(Schema):
    public_id: UUID
    room: str
    cabinet: str
    slot_number: int
    text: str
    status: str
    created_at: datetime
    note: str

    @staticmethod
    def resolve_room(obj) -> str:
        return obj.slot.cabinet.room.name

    @staticmethod
    def resolve_cabinet(obj) -> str:
        return obj.slot.cabinet.code

    @staticmethod
    def resolve_slot_number(obj) -> int:
        return obj.slot.number

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return timezone.localtime(obj.created_at)


class ChargingCloseIn(Schema):
    note: Annotated[Text, Field(max_length=300)] = ""


class FigureRow(Schema):
    key: str
    sessions: int
    riders: int
    charges: int
    swaps: int

    @staticmethod
    def resolve_key(obj) -> str:
        return str(obj["key"])


class UsageOut(Schema):
    by_day: list[FigureRow]
    by_hour: list[FigureRow]


@router.get("/charging/rooms", response=list[StaffRoomOut], summary="Charging rooms in my regions")
@staff_endpoint(roles=access.MANAGERS)
def room_list(request):
    return selectors.rooms_for_staff(request.user)


@router.post(
    "/charging/rooms/{public_id}/cabinets",
    response={201: SecretOut},
    summary="Add a cabinet with its slots; the answer holds its secret, shown this once",
)
@staff_endpoint(roles=access.MANAGERS)
def cabinet_create(request, public_id: str, payload: CabinetIn):
    room = selectors.room_for_staff(request.user, public_id)
    cabinet, secret = services.cabinet_create(
        actor=request.user,
        room=room,
        code=payload.code,
        charging_slots=payload.charging_slots,
        swap_slots=payload.swap_slots,
    )
    return Status(201, {"cabinet": cabinet.code, "secret": secret})


@router.post(
    "/charging/cabinets/{code}/secret",
    response=SecretOut,
    summary="Give the cabinet a new secret (the old one stops working); shown this once",
)
@staff_endpoint(roles=access.MANAGERS)
def secret_rotate(request, code: str):
    cabinet = selectors.cabinet_for_staff(request.user, code)
    return {
        "cabinet": cabinet.code,
        "secret": services.cabinet_rotate_secret(actor=request.user, cabinet=cabinet),
    }


class SlotKindIn(Schema):
    kind: Slot.Kind


class StaffSlotOut(Schema):
    id: int
    number: int
    kind: str
    state: str


@router.patch("/charging/slots/{slot_id}", response=StaffSlotOut, summary="Change a slot's kind")
@staff_endpoint(roles=access.MANAGERS)
def slot_update(request, slot_id: Id, payload: SlotKindIn):
    slot = selectors.slot_for_staff(request.user, slot_id)
    return services.slot_set_kind(actor=request.user, slot=slot, kind=payload.kind)


@router.get(
    "/charging/faults", response=list[StaffFaultOut], summary="Fault reports (?status=open|closed)"
)
@staff_endpoint(roles=access.MANAGERS)
def fault_list(request, status: FaultReport.Status | Literal[""] = FaultReport.Status.OPEN):
    return selectors.faults_for_staff(request.user, status=status or None)[:200]


@router.post("/charging/faults/{public_id}/close", response=StaffFaultOut, summary="Close a fault")
@staff_endpoint(roles=access.MANAGERS)
def fault_close(request, public_id: str, payload: ChargingCloseIn):
    fault = selectors.fault_for_staff(request.user, public_id)
    return services.fault_close(actor=request.user, fault=fault, note=payload.note)


@router.get(
    "/charging/usage",
    response=UsageOut,
    summary="Sessions, distinct riders, charges and swaps per day and per hour of day",
)
@staff_endpoint(roles=access.MANAGERS)
def usage(request, start: Day, end: Day, room: Annotated[Text, Field(max_length=64)] | None = None):
    if end < start:
        raise ValidationFailed(_("The end must not be before the start."), field="end")
    chosen = selectors.room_for_staff(request.user, room) if room else None
    return selectors.usage(request.user, room=chosen, start=start, end=end)
