"""Demo data of the charging room: the Cangqian new-employment center's 24-hour smart
charging room (24小时智能充换电间) at the riders' station of that center, with a charging
cabinet and a swap cabinet, and two weeks of sessions (seeded, so the same every time).

The cabinets' secrets are generated and written to var/demo-charging-secrets (never the
repository), so `dangqun charging-device --demo` can play the devices."""

import json
import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from dangqun.core import crypto
from dangqun.people.models import Person, PersonTag
from dangqun.riders import selectors as riders

from .models import Cabinet, ChargingRoom, ChargingSession, Slot
from .services import new_secret

SEED = 2023
CENTER_SLUG = "cangqian-new-employment"
CABINETS = [("cq-charge-01", Slot.Kind.CHARGING, 8), ("cq-swap-01", Slot.Kind.SWAP, 6)]
# Riders charge around meal-time rushes and late at night (weights by hour of day).
HOUR_WEIGHTS = [3, 2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 8, 6, 4, 7, 6, 5, 6, 7, 6, 5, 6, 7, 5]
DAYS = 14


def secrets_path():
    return settings.VAR_DIR / "demo-charging-secrets"


def load_demo() -> dict:
    if ChargingRoom.objects.filter(is_demo=True).exists():
        return {"charging_rooms_created": 0}
    station = riders.center_station(CENTER_SLUG)  # made by the riders' demo, loaded first
    if station is None:
        return {"charging_rooms_created": 0}
    rng = random.Random(SEED)
    now = timezone.now()
    room = ChargingRoom.objects.create(
        station=station,
        name="24小时智能充换电间",
        name_en="24-Hour Smart Charging Room",
        is_24h=True,
        is_demo=True,
    )
    secrets = {}
    slots = []
    position = 0
    for code, kind, count in CABINETS:
        secret = new_secret()
        secrets[code] = secret
        cabinet = Cabinet.objects.create(
            room=room,
            code=code,
            secret_encrypted=crypto.encrypt(secret),
            secret_rotated_at=now,
            last_report_at=now,
        )
        states = [Slot.State.FREE, Slot.State.CHARGING, Slot.State.OCCUPIED]
        for number in range(1, count + 1):
            state = rng.choices(states, weights=[5, 3, 1])[0]
            if number == count:
                state = Slot.State.FAULT
            position += 1
            slots.append(
                Slot.objects.create(
                    cabinet=cabinet,
                    number=number,
                    position=position,
                    kind=kind,
                    state=state,
                    last_report_at=now,
                )
            )
    _write_secrets(secrets)
    return {"charging_rooms_created": 1, "charging_sessions_created": _sessions(rng, slots, now)}


def _write_secrets(secrets: dict) -> None:
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = secrets_path()
    path.write_text(json.dumps(secrets, indent=1))
    path.chmod(0o600)


def _sessions(rng: random.Random, slots: list[Slot], now) -> int:
    riders = list(
        Person.objects.filter(is_demo=True, tags__tag=PersonTag.Tag.NEW_EMPLOYMENT)
        .order_by("id")
        .values_list("pk", flat=True)[:60]
    )
    today = timezone.localdate()
    rows = []
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        for _ in range(rng.randint(25, 45)):
            hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
            start = timezone.make_aware(
                datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)))
            )
            slot = rng.choice(slots)
            swap = slot.kind == Slot.Kind.SWAP
            minutes = rng.randint(1, 4) if swap else rng.randint(40, 180)
            rows.append(
                ChargingSession(
                    slot=slot,
                    person_id=rng.choice(riders) if riders and rng.random() < 0.6 else None,
                    kind=ChargingSession.Kind.SWAP if swap else ChargingSession.Kind.CHARGE,
                    started_at=start,
                    ended_at=start + timedelta(minutes=minutes),
                    energy_wh=None if swap else rng.randint(200, 900),
                    is_demo=True,
                )
            )
    ChargingSession.objects.bulk_create(rows)
    return len(rows)
