"""The demo's cabinets, played while the site runs (`dangqun up` starts the player when the
demo district is loaded), so a newcomer finds the demo charging room alive hours later:
free and busy slots changing, not everything offline.

Each turn, every cabinet of a demo room sends a report as a real cabinet does: signed with
its own secret and taken by the same device-report service (devices.report_receive), so
sessions open and close, holds are used, and the silence check stays quiet. A slot a rider
holds is left free for them; a faulty slot stays faulty. The next turn is a task queued for
the worker (settings.CHARGING["DEMO_REPORT_SECONDS"], 0 turns the player off).

One player per room: starting a player writes a new token on the room, and a turn whose
token is not the room's ends its chain (a player left in the queue by an earlier run stops
at its next turn)."""

import contextlib
import json
import random
import time
import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangqun.core.errors import DomainError

from . import devices, services
from .models import Cabinet, ChargingRoom, Reservation, Slot

# Chances per turn: a free slot is taken, a charging slot or a battery in a swap slot
# is done. About half the slots are free at any time.
TAKEN = 0.12
DONE = {Slot.State.CHARGING: 0.1, Slot.State.OCCUPIED: 0.35}


def turn_seconds() -> int:
    return settings.CHARGING["DEMO_REPORT_SECONDS"]


@transaction.atomic
def player_start() -> int:
    """Start a player for each demo room (replacing any earlier one); returns how many."""
    if turn_seconds() <= 0:
        return 0
    rooms = list(ChargingRoom.objects.filter(is_demo=True).values_list("pk", flat=True))
    for room_id in rooms:
        token = str(uuid.uuid4())
        ChargingRoom.objects.filter(pk=room_id).update(demo_player=token)
        transaction.on_commit(partial(play.enqueue, room_id, token))
    return len(rooms)


@task()
def play(room_id: int, player: str) -> bool:
    """One turn, then the next one queued; False (and no next turn) for a replaced player."""
    if not play_turn(room_id=room_id, player=player):
        return False
    at = timezone.now() + timedelta(seconds=turn_seconds())
    transaction.on_commit(lambda: play.using(run_after=at).enqueue(room_id, player))
    _forget_old_turns()
    return True


def _forget_old_turns() -> None:
    """A turn every half minute would leave thousands of finished rows a day in the task
    table; the demo keeps the last hour of its own turns, nothing else's."""
    DBTaskResult.objects.filter(
        task_path=play.module_path,
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__lt=timezone.now() - timedelta(hours=1),
    ).delete()


@transaction.atomic
def play_turn(*, room_id: int, player: str, rng: random.Random | None = None) -> bool:
    """Every cabinet of the room reports once; False if this player is not the room's."""
    room = ChargingRoom.objects.select_for_update().filter(pk=room_id, is_demo=True).first()
    if room is None or str(room.demo_player) != player or turn_seconds() <= 0:
        return False
    rng = rng or random.Random()
    for cabinet in Cabinet.objects.filter(room=room).order_by("code"):
        _report(cabinet, {"slots": next_states(cabinet, rng)})
    return True


def next_states(cabinet: Cabinet, rng: random.Random) -> list[dict]:
    """What the cabinet reports this turn: each slot's next state (see the module)."""
    held = Reservation.objects.filter(
        slot=OuterRef("pk"), status=Reservation.Status.ACTIVE, expires_at__gt=timezone.now()
    )
    rows = []
    for slot in cabinet.slots.annotate(held=Exists(held)).order_by("number"):
        state = _next_state(slot, rng)
        row = {"number": slot.number, "state": state}
        if state == Slot.State.CHARGING:
            row["energy_wh"] = rng.randint(50, 900)
        rows.append(row)
    return rows


def _next_state(slot: Slot, rng: random.Random) -> str:
    busy = Slot.State.OCCUPIED if slot.kind == Slot.Kind.SWAP else Slot.State.CHARGING
    if slot.held:
        return Slot.State.FREE  # the rider who holds it plugs in, not the demo
    if slot.state == Slot.State.FAULT:
        return Slot.State.FAULT
    if slot.state == Slot.State.OFFLINE:  # back after a silence: as the cabinet finds it
        return busy if rng.random() < 0.4 else Slot.State.FREE
    if slot.state == Slot.State.FREE:
        return busy if rng.random() < TAKEN else Slot.State.FREE
    return Slot.State.FREE if rng.random() < DONE.get(slot.state, 0.2) else slot.state


def _report(cabinet: Cabinet, payload: dict) -> None:
    body = json.dumps(payload, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    signature = devices.sign(services.cabinet_secret(cabinet), timestamp, body)
    # The same report twice in one second is refused as a replay: the first one stands.
    with contextlib.suppress(DomainError):
        devices.report_receive(
            code=cabinet.code, timestamp=timestamp, signature=signature, body=body
        )
