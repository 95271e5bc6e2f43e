"""Signed device reports over HTTP: accepted and applied; refused with nothing changed when
the signature is wrong, the timestamp stale, the report replayed, the cabinet or a slot
unknown, or the body bad. Sessions open and close with the slot states; silence turns slots
offline (on read at once, and written down by the worker's task)."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.charging import devices, tasks
from dangqun.charging.models import Cabinet, ChargingSession, Reservation, SeenReport, Slot
from dangqun.charging.selectors import rooms_for_station
from dangqun.charging.services import reservation_create
from tests import factories

from .helpers import post_report, report_path, room_with_cabinet, signed, states

pytestmark = pytest.mark.django_db


@pytest.fixture
def cabinet(district):
    room, cabinet, secret = room_with_cabinet(district.cangqian)
    return cabinet, secret


def test_a_signed_report_updates_the_slots(client, cabinet):
    cab, secret = cabinet
    answer = post_report(
        client,
        cab.code,
        secret,
        {"slots": [{"number": 1, "state": "charging"}, {"number": 2, "state": "fault"}]},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"cabinet": cab.code, "slots": 6}
    assert states(cab) == {1: "charging", 2: "fault", 3: "free", 4: "free", 5: "free", 6: "free"}
    cab.refresh_from_db()
    assert cab.last_report_at is not None
    assert SeenReport.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_SIGNATURE": "0" * 64},
        {"HTTP_X_SIGNATURE": ""},
        {"HTTP_X_SIGNATURE": None},
        {"HTTP_X_SIGNATURE": "é" * 64},
    ],
    ids=["wrong", "empty", "missing", "not-ascii"],
)
def test_a_bad_signature_is_refused_and_changes_nothing(client, cabinet, headers):
    cab, secret = cabinet
    body, good = signed(secret, {"slots": [{"number": 1, "state": "charging"}]})
    sent = {**good, **{k: v for k, v in headers.items() if v is not None}}
    if headers.get("HTTP_X_SIGNATURE", "x") is None:
        del sent["HTTP_X_SIGNATURE"]
    answer = client.post(report_path(cab.code), body, content_type="application/json", **sent)
    assert answer.status_code == 401
    assert answer.json()["code"] == "bad_signature"
    assert states(cab)[1] == "free"
    assert not SeenReport.objects.exists()


def test_a_report_signed_with_another_cabinets_secret_is_refused(client, district, cabinet):
    cab, _secret = cabinet
    _room, other, other_secret = room_with_cabinet(district.cangqian, code="cq-b")
    answer = post_report(
        client, cab.code, other_secret, {"slots": [{"number": 1, "state": "charging"}]}
    )
    assert answer.status_code == 401
    assert states(cab)[1] == "free"


def test_a_changed_body_breaks_the_signature(client, cabinet):
    cab, secret = cabinet
    body, headers = signed(secret, {"slots": [{"number": 1, "state": "free"}]})
    forged = body.replace(b"free", b"fault")
    answer = client.post(report_path(cab.code), forged, content_type="application/json", **headers)
    assert answer.status_code == 401
    assert states(cab)[1] == "free"


@pytest.mark.parametrize("offset", [-301, 301, None])
def test_a_stale_or_missing_timestamp_is_refused(client, cabinet, offset):
    cab, secret = cabinet
    at = int(time.time()) + (offset or 0)
    body, headers = signed(secret, {"slots": [{"number": 1, "state": "charging"}]}, at=at)
    if offset is None:
        del headers["HTTP_X_TIMESTAMP"]
    answer = client.post(report_path(cab.code), body, content_type="application/json", **headers)
    assert answer.status_code == 401
    assert answer.json()["code"] == "stale"
    assert states(cab)[1] == "free"


def test_the_window_is_a_setting(client, cabinet, settings):
    cab, secret = cabinet
    settings.CHARGING = {**settings.CHARGING, "SIGNATURE_WINDOW_SECONDS": 30}
    at = int(time.time()) - 60
    answer = post_report(
        client, cab.code, secret, {"slots": [{"number": 1, "state": "charging"}]}, at=at
    )
    assert answer.status_code == 401


def test_a_replayed_report_is_refused(client, cabinet):
    cab, secret = cabinet
    body, headers = signed(secret, {"slots": [{"number": 1, "state": "charging"}]})
    first = client.post(report_path(cab.code), body, content_type="application/json", **headers)
    assert first.status_code == 200
    # The slot moves on; then an eavesdropper sends the old report again.
    post_report(
        client,
        cab.code,
        secret,
        {"slots": [{"number": 1, "state": "free", "energy_wh": 500}]},
        at=int(time.time()) + 1,
    )
    assert states(cab)[1] == "free"
    again = client.post(report_path(cab.code), body, content_type="application/json", **headers)
    assert again.status_code == 409
    assert again.json()["code"] == "replayed"
    assert states(cab)[1] == "free"
    assert ChargingSession.objects.filter(ended_at__isnull=True).count() == 0


def test_an_unknown_cabinet_is_404(client, cabinet):
    _cab, secret = cabinet
    answer = post_report(client, "nope", secret, {"slots": [{"number": 1, "state": "free"}]})
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_a_report_naming_an_unknown_slot_changes_nothing(client, cabinet):
    cab, secret = cabinet
    before = Cabinet.objects.get(pk=cab.pk).last_report_at
    answer = post_report(
        client,
        cab.code,
        secret,
        {"slots": [{"number": 1, "state": "charging"}, {"number": 99, "state": "free"}]},
    )
    assert answer.status_code == 404
    assert answer.json()["field"] == "number"
    assert states(cab)[1] == "free"
    assert not ChargingSession.objects.exists()
    assert not SeenReport.objects.exists()
    assert Cabinet.objects.get(pk=cab.pk).last_report_at == before


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"slots": []}',
        b'{"slots": [{"number": "1", "state": "free"}]}',
        b'{"slots": [{"number": 1, "state": "exploded"}]}',
        b'{"slots": [{"number": 1, "state": "offline"}]}',
        b'{"slots": [{"number": 1, "state": "free"}, {"number": 1, "state": "fault"}]}',
        b'{"slots": [{"number": 1, "state": "charging", "energy_wh": -5}]}',
        b"\xff\xfe",
    ],
)
def test_a_bad_body_is_400_and_changes_nothing(client, cabinet, body):
    cab, secret = cabinet
    answer = post_report(client, cab.code, secret, body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["message"]
    assert set(states(cab).values()) == {"free"}
    assert not SeenReport.objects.exists()


def test_sessions_open_and_close_with_the_slot_states(client, cabinet):
    cab, secret = cabinet
    rider = factories.PersonFactory()
    slot1 = Slot.objects.get(cabinet=cab, number=1)
    hold = reservation_create(actor=rider, slot=slot1)
    t = int(time.time())
    post_report(
        client,
        cab.code,
        secret,
        {
            "slots": [
                {"number": 1, "state": "charging", "energy_wh": 0},
                {"number": 5, "state": "occupied"},
            ]
        },
        at=t,
    )
    hold.refresh_from_db()
    assert hold.status == Reservation.Status.USED
    charge = ChargingSession.objects.get(slot=slot1)
    assert (charge.kind, charge.person, charge.ended_at) == ("charge", rider, None)
    swap = ChargingSession.objects.get(slot__number=5)
    assert (swap.kind, swap.person) == ("swap", None)
    post_report(
        client,
        cab.code,
        secret,
        {"slots": [{"number": 1, "state": "charging", "energy_wh": 250}]},
        at=t + 1,
    )
    charge.refresh_from_db()
    assert charge.energy_wh == 250 and charge.ended_at is None
    post_report(
        client,
        cab.code,
        secret,
        {
            "slots": [
                {"number": 1, "state": "free", "energy_wh": 410},
                {"number": 5, "state": "free"},
            ]
        },
        at=t + 2,
    )
    charge.refresh_from_db()
    swap.refresh_from_db()
    assert charge.energy_wh == 410 and charge.ended_at is not None
    assert swap.ended_at is not None
    assert ChargingSession.objects.count() == 2


def test_a_silent_cabinet_shows_offline_on_read(cabinet, settings):
    cab, _secret = cabinet
    settings.CHARGING = {**settings.CHARGING, "OFFLINE_AFTER_SECONDS": 60}
    (room,) = rooms_for_station(cab.room.station)
    assert room.free == 6
    Cabinet.objects.filter(pk=cab.pk).update(last_report_at=timezone.now() - timedelta(seconds=61))
    (room,) = rooms_for_station(cab.room.station)
    assert room.free == 0
    assert room.counts == {"offline": 6}


def test_the_silence_task_marks_slots_offline_and_closes_sessions(client, cabinet, settings):
    cab, secret = cabinet
    settings.CHARGING = {**settings.CHARGING, "OFFLINE_AFTER_SECONDS": 60}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    post_report(client, cab.code, secret, {"slots": [{"number": 1, "state": "charging"}]})
    cab.refresh_from_db()
    assert cab.silence_check_at is not None
    # Reports kept coming: the check finds the cabinet alive and waits for the new due time.
    assert tasks.check_silence.call(cab.pk) is False
    assert states(cab)[1] == "charging"
    last = timezone.now() - timedelta(seconds=120)
    Cabinet.objects.filter(pk=cab.pk).update(last_report_at=last)
    assert tasks.check_silence.call(cab.pk) is True
    assert set(states(cab).values()) == {"offline"}
    session = ChargingSession.objects.get()
    assert session.ended_at == last
    cab.refresh_from_db()
    assert cab.silence_check_at is None
    # The next report brings it back and queues a new check.
    post_report(client, cab.code, secret, {"slots": [{"number": 2, "state": "free"}]})
    assert states(cab)[2] == "free"
    cab.refresh_from_db()
    assert cab.silence_check_at is not None


def test_the_secret_is_stored_encrypted(cabinet):
    cab, secret = cabinet
    assert secret not in cab.secret_encrypted
    assert len(secret) == 64


def test_sign_matches_the_documented_recipe():
    import hashlib
    import hmac

    body = json.dumps({"slots": []}).encode()
    expected = hmac.new(b"k", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert devices.sign("k", "1700000000", body) == expected
