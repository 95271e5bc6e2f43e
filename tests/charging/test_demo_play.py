"""The demo charging room stays alive (issue 13.9): `dangqun up` starts a player that the
worker runs, turn after turn; each turn every demo cabinet reports through the devices'
own signed-report service, so a newcomer finds free and busy slots hours after the demo
was loaded, not everything offline. One player per room; a rider's hold and a faulty slot
are left alone; a real room is never played."""

import json
import random
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dangqun.charging import demo_play, selectors, services, tasks
from dangqun.charging.models import Cabinet, ChargingRoom, ChargingSession, SeenReport, Slot
from tests import factories
from tests.test_setup import dangqun_up
from tests.test_setup import up_env as up_env  # the fixture: a fresh var/ and database

from .helpers import room_with_cabinet


@pytest.fixture
def queue_db(django_db_serialized_rollback, transactional_db):
    """Committed rows, so on_commit work (queuing tasks) runs as in production."""


def _demo_room(region, *, silent_for=timedelta(hours=5)):
    """A demo room whose cabinet last spoke long ago: riders see every slot offline."""
    room, cabinet, _secret = room_with_cabinet(region, code="cq-demo", charging=4, swap=2)
    ChargingRoom.objects.filter(pk=room.pk).update(is_demo=True)
    Cabinet.objects.filter(pk=cabinet.pk).update(last_report_at=timezone.now() - silent_for)
    Slot.objects.filter(cabinet=cabinet, number=6).update(state=Slot.State.FAULT)
    room.refresh_from_db()
    return room, cabinet


def _queued_turns() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=demo_play.play.module_path, status="READY").order_by(
            "run_after"
        )
    )


def _make_due() -> None:
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def _run_worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def _shown(room) -> dict:
    return dict(selectors.room_public(room.public_id).counts)


def test_the_worker_keeps_the_demo_room_alive(queue_db, district, settings):
    room, cabinet = _demo_room(district.cangqian)
    assert _shown(room) == {"offline": 6}  # hours after loading, without a player

    assert demo_play.player_start() == 1
    (first,) = _queued_turns()
    _run_worker()

    shown = _shown(room)
    assert "offline" not in shown
    assert shown.get("fault") == 1 and sum(shown.values()) == 6
    cabinet.refresh_from_db()
    assert cabinet.last_report_at > timezone.now() - timedelta(seconds=30)
    # Through the devices' own service: a signed report seen, a silence check queued.
    assert SeenReport.objects.filter(cabinet=cabinet).exists()
    assert DBTaskResult.objects.filter(task_path=tasks.check_silence.module_path).exists()
    # The next turn waits its time in the queue.
    (following,) = _queued_turns()
    assert following.pk != first.pk
    seconds = (following.run_after - timezone.now()).total_seconds()
    assert 0 < seconds <= settings.CHARGING["DEMO_REPORT_SECONDS"]

    # Hours later, turn after turn, the room is still alive and its slots change.
    seen = set()
    for _turn in range(12):
        _make_due()
        _run_worker()
        assert "offline" not in _shown(room)
        seen.update(Slot.objects.filter(cabinet=cabinet).values_list("number", "state"))
    assert len(_queued_turns()) == 1
    busy = {n for n, state in seen if state in ("charging", "occupied")}
    free = {n for n, state in seen if state == "free"}
    assert busy and free
    assert ChargingSession.objects.filter(slot__cabinet=cabinet).exists()


def test_starting_again_replaces_the_earlier_player(queue_db, district):
    _demo_room(district.cangqian)
    demo_play.player_start()
    demo_play.player_start()  # `dangqun up` run a second time
    assert len(_queued_turns()) == 2
    _run_worker()
    assert len(_queued_turns()) == 1  # the earlier player stopped at its turn
    _make_due()
    _run_worker()
    assert len(_queued_turns()) == 1


def test_a_rider_s_hold_and_a_faulty_slot_are_left_alone(queue_db, district):
    room, cabinet = _demo_room(district.cangqian, silent_for=timedelta(seconds=1))
    rider = factories.PersonFactory()
    held = Slot.objects.get(cabinet=cabinet, number=2)
    Slot.objects.filter(pk=held.pk).update(state=Slot.State.FREE)
    hold = services.reservation_create(actor=rider, slot=held)
    demo_play.player_start()
    player = str(ChargingRoom.objects.get(pk=room.pk).demo_player)
    rng = random.Random(7)
    for _turn in range(25):
        assert demo_play.play_turn(room_id=room.pk, player=player, rng=rng)
        SeenReport.objects.all().delete()  # many turns within one second in this test
    hold.refresh_from_db()
    assert hold.status == "active"
    states = dict(Slot.objects.filter(cabinet=cabinet).values_list("number", "state"))
    assert states[2] == "free" and states[6] == "fault"


def test_no_player_for_real_rooms_nor_when_turned_off(queue_db, district, settings):
    room, _cabinet, _secret = room_with_cabinet(district.cangqian, code="cq-real")
    assert demo_play.player_start() == 0
    assert not _queued_turns()
    # A turn for a real room, or with a wrong token, plays nothing.
    assert not demo_play.play_turn(room_id=room.pk, player="x")
    demo_room, _ = _demo_room(district.xianlin)
    settings.CHARGING = {**settings.CHARGING, "DEMO_REPORT_SECONDS": 0}
    assert demo_play.player_start() == 0
    assert not _queued_turns()
    assert not demo_play.play_turn(room_id=demo_room.pk, player=str(demo_room.demo_player))


# --- under `dangqun up` ------------------------------------------------------------------


def _demo_room_as_riders_see_it(server) -> dict:
    with server.get("/api/v1/charging/rooms") as response:
        (room,) = json.loads(response.read())
    return room


def test_dangqun_up_keeps_the_demo_room_alive(tmp_path, up_env):
    """A room silent for OFFLINE_AFTER_SECONDS shows offline; under `up` the demo room keeps
    showing free and busy slots long past that, because its cabinets keep reporting."""
    up_env.update(
        DANGQUN_CHARGING_OFFLINE_AFTER_SECONDS="4", DANGQUN_CHARGING_DEMO_REPORT_SECONDS="1"
    )
    with dangqun_up(tmp_path, up_env) as server:
        server.wait_healthy()
        offline_by = time.monotonic() + 5  # what was loaded before now is offline by then
        assert "The demo charging room's cabinets report every 1 s" in server.output()
        loaded = _demo_room_as_riders_see_it(server)
        # Wait until every state the demo was loaded with would have gone offline, and the
        # slots have changed since: the room as riders see it is the players' work.
        deadline = time.monotonic() + 120
        while True:
            room = _demo_room_as_riders_see_it(server)
            states = [slot["state"] for slot in room["slots"]]
            changed = states != [slot["state"] for slot in loaded["slots"]]
            if changed and "offline" not in states and time.monotonic() > offline_by:
                break
            assert time.monotonic() < deadline, f"{states}\n{server.output()}"
            time.sleep(0.5)
    assert {"free"} & set(states) and {"charging", "occupied"} & set(states)
    assert [slot["name"] for slot in room["slots"]][:2] == ["1号充电位", "2号充电位"]


def test_the_player_keeps_only_the_last_hour_of_its_finished_turns(queue_db, district):
    _demo_room(district.cangqian)
    demo_play.player_start()
    _run_worker()
    for _turn in range(3):
        _make_due()
        _run_worker()
    finished = DBTaskResult.objects.filter(
        task_path=demo_play.play.module_path, status="SUCCESSFUL"
    )
    assert finished.count() == 4
    # Two of them long ago: the next turn forgets those, keeps the recent ones.
    old = list(finished.order_by("finished_at").values_list("pk", flat=True)[:2])
    DBTaskResult.objects.filter(pk__in=old).update(finished_at=timezone.now() - timedelta(hours=2))
    _make_due()
    _run_worker()
    assert not DBTaskResult.objects.filter(pk__in=old).exists()
    assert finished.count() == 3
