"""The charging room's API for riders: live rooms, hold, cancel, my holds, faults; and its
entries in the OpenAPI document."""

import uuid

import pytest

from dangqun.charging import services
from dangqun.charging.models import FaultReport, Reservation, Slot
from tests import factories
from tests.clients import Api

from .helpers import room_with_cabinet

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(district):
    room, _cabinet, _secret = room_with_cabinet(district.cangqian, charging=2, swap=1)
    return room


def app(person=None) -> Api:
    """A rider's app at /api/v1, signed in with a Bearer token."""
    return Api(person, token=True)


def _slot(room, number) -> Slot:
    return Slot.objects.get(cabinet__room=room, number=number)


def test_rooms_are_listed_live_in_few_queries(client, room, django_assert_num_queries):
    Slot.objects.filter(pk=_slot(room, 3).pk).update(state="fault")
    with django_assert_num_queries(3):
        answer = client.get("/api/v1/charging/rooms", {"station": room.station.pk})
    assert answer.status_code == 200
    (body,) = answer.json()
    assert body["public_id"] == str(room.public_id)
    assert (body["free"], body["total"], body["is_24h"]) == (2, 3, True)
    assert [(s["number"], s["kind"], s["state"]) for s in body["slots"]] == [
        (1, "charging", "free"),
        (2, "charging", "free"),
        (3, "swap", "fault"),
    ]


def test_a_room_by_id_and_unknown_ids(client, room):
    assert client.get(f"/api/v1/charging/rooms/{room.public_id}").json()["free"] == 3
    assert client.get(f"/api/v1/charging/rooms/{uuid.uuid4()}").status_code == 404
    assert client.get("/api/v1/charging/rooms/not-a-uuid").status_code == 404


def test_hold_then_the_slot_shows_held(client, room):
    rider = factories.PersonFactory()
    rider_app = app(rider)
    slot = _slot(room, 1)
    answer = rider_app.post(f"/charging/slots/{slot.pk}/reservations")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["slot_id"], body["slot_number"], body["status"]) == (slot.pk, 1, "active")
    assert body["expires_at"].endswith("+08:00")
    live = client.get(f"/api/v1/charging/rooms/{room.public_id}").json()
    assert live["slots"][0]["state"] == "held"
    assert live["free"] == 2
    mine = rider_app.get("/me/charging/reservations").json()
    assert [m["public_id"] for m in mine] == [body["public_id"]]


def test_refusals_are_clear_and_change_nothing(client, room):
    first, second = factories.PersonFactory(), factories.PersonFactory()
    slot = _slot(room, 1)
    app(first).post(f"/charging/slots/{slot.pk}/reservations")
    taken = app(second).post(f"/charging/slots/{slot.pk}/reservations")
    assert taken.status_code == 409
    assert taken.json()["code"] == "slot_taken" and taken.json()["message"]
    again = app(first).post(f"/charging/slots/{_slot(room, 2).pk}/reservations")
    assert again.status_code == 409
    assert again.json()["code"] == "already_holding"
    Slot.objects.filter(pk=_slot(room, 3).pk).update(state="fault")
    fault = app(second).post(f"/charging/slots/{_slot(room, 3).pk}/reservations")
    assert fault.status_code == 409
    missing = app(second).post("/charging/slots/999999/reservations")
    assert missing.status_code == 404
    assert Reservation.objects.filter(status="active").count() == 1


def test_holding_needs_sign_in(client, room):
    answer = client.post(f"/api/v1/charging/slots/{_slot(room, 1).pk}/reservations")
    assert answer.status_code == 401
    assert not Reservation.objects.exists()


def test_cancel_own_hold_only(client, room):
    rider = factories.PersonFactory()
    body = app(rider).post(f"/charging/slots/{_slot(room, 1).pk}/reservations").json()
    path = f"/charging/reservations/{body['public_id']}/cancel"
    assert app(factories.PersonFactory()).post(path).status_code == 404
    done = app(rider).post(path)
    assert done.status_code == 200 and done.json()["status"] == "cancelled"


def test_report_a_fault(client, room):
    rider = factories.PersonFactory()
    slot = _slot(room, 2)
    rider_app = app(rider)
    empty = rider_app.post(f"/charging/slots/{slot.pk}/faults", {"text": " "})
    assert empty.status_code == 400 and empty.json()["field"] == "text"
    made = rider_app.post(f"/charging/slots/{slot.pk}/faults", {"text": "充电口松动"})
    assert made.status_code == 201
    assert FaultReport.objects.get().text == "充电口松动"


def test_the_openapi_document_describes_the_webhook(client):
    doc = client.get("/api/v1/openapi.json").json()
    report = doc["paths"]["/api/v1/charging/devices/{code}/report"]["post"]
    headers = {p["name"] for p in report["parameters"] if p["in"] == "header"}
    assert headers == {"X-Timestamp", "X-Signature"}
    assert "slots" in report["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "/api/v1/charging/slots/{slot_id}/reservations" in doc["paths"]
    assert "/api/v1/staff/charging/usage" in doc["paths"]


def test_slots_are_named_for_people_and_numbered_in_the_room(client, room):
    admin = factories.staff("district_admin", room.station.region)
    services.cabinet_create(actor=admin, room=room, code="cq-more", charging_slots=1, swap_slots=1)
    body = client.get(f"/api/v1/charging/rooms/{room.public_id}").json()
    rows = [(s["position"], s["name"], s["cabinet"], s["number"]) for s in body["slots"]]
    assert rows == [
        (1, "1号充电位", "cq-a", 1),
        (2, "2号充电位", "cq-a", 2),
        (3, "3号换电位", "cq-a", 3),
        (4, "4号充电位", "cq-more", 1),
        (5, "5号换电位", "cq-more", 2),
    ]
    english = client.get(f"/api/v1/charging/rooms/{room.public_id}", HTTP_ACCEPT_LANGUAGE="en")
    assert [s["name"] for s in english.json()["slots"]][2:4] == ["Slot 3", "Slot 4"]


def test_my_holds_carry_the_slot_s_name(room):
    rider = factories.PersonFactory()
    chinese = Api(rider, token=True, language="zh-hans")
    held = chinese.post(f"/charging/slots/{_slot(room, 3).pk}/reservations")
    assert held.status_code == 201 and held.json()["slot_name"] == "3号换电位"
    (mine,) = app(rider).get("/me/charging/reservations").json()
    assert (mine["slot_name"], mine["slot_number"], mine["cabinet"]) == ("Slot 3", 3, "cq-a")
