"""The demo's charging room: at the Cangqian riders' station, two cabinets, two weeks of
sessions, the same every time; secrets only in var/, readable by the owner alone; and the
`charging-device` simulator's reports are accepted by the live server."""

import json

import pytest
from django.core.management import call_command

from dangqun import demo
from dangqun.charging import services
from dangqun.charging.models import Cabinet, ChargingRoom, ChargingSession, Slot


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return demo.load(residents=60)


def _fingerprint():
    return list(
        ChargingSession.objects.order_by(
            "started_at", "slot__cabinet__code", "slot__number"
        ).values_list("slot__cabinet__code", "slot__number", "kind", "energy_wh")[:50]
    )


def test_the_cangqian_charging_room(loaded, settings):
    room = ChargingRoom.objects.get()
    assert room.is_demo and room.is_24h and room.name == "24小时智能充换电间"
    assert room.station.center.slug == "cangqian-new-employment"
    assert sorted(Cabinet.objects.values_list("code", flat=True)) == ["cq-charge-01", "cq-swap-01"]
    assert Slot.objects.filter(kind="swap").count() == 6
    assert Slot.objects.filter(kind="charging").count() == 8
    assert ChargingSession.objects.count() > 14 * 20
    assert loaded["charging_rooms_created"] == 1
    secrets = json.loads((settings.VAR_DIR / "demo-charging-secrets").read_text())
    assert (settings.VAR_DIR / "demo-charging-secrets").stat().st_mode & 0o077 == 0
    for cabinet in Cabinet.objects.all():
        assert services.cabinet_secret(cabinet) == secrets[cabinet.code]


def test_loading_again_changes_nothing_and_is_deterministic(loaded):
    first = _fingerprint()
    again = demo.load(residents=60)
    assert again["charging_rooms_created"] == 0
    assert ChargingRoom.objects.count() == 1
    ChargingSession.objects.all().delete()
    ChargingRoom.objects.all().delete()
    demo.load(residents=60)
    assert _fingerprint() == first


@pytest.fixture
def live_demo(django_db_serialized_rollback, transactional_db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo.load(residents=10)


def test_the_simulator_reports_to_the_webhook(live_server, live_demo, capsys):
    call_command(
        "charging-device",
        "--demo",
        "--cabinet",
        "cq-swap-01",
        "--url",
        live_server.url,
        "--set",
        "1=charging,2=fault",
    )
    assert capsys.readouterr().out.startswith("200 ")
    states = dict(Slot.objects.filter(cabinet__code="cq-swap-01").values_list("number", "state"))
    assert (states[1], states[2]) == ("charging", "fault")
    call_command(
        "charging-device",
        "--cabinet",
        "cq-swap-01",
        "--secret",
        "wrong",
        "--url",
        live_server.url,
        "--set",
        "1=free",
    )
    assert capsys.readouterr().out.startswith("401 ")
    assert Slot.objects.get(cabinet__code="cq-swap-01", number=1).state == "charging"
