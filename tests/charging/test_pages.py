"""Riders' pages: the station's page shows the live slots (and polls), a signed-in rider
holds a free slot and sees it held, a second hold or a taken slot is refused with a clear
message, cancel, report a fault; the live block alone; unknown ids are 404."""

import uuid

import pytest
from django.urls import reverse

from dangqun.charging.models import FaultReport, Reservation, Slot
from tests import factories

from .helpers import room_with_cabinet

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(district):
    room, _cabinet, _secret = room_with_cabinet(district.cangqian, charging=3, swap=1)
    return room


def _slot(room, number) -> Slot:
    return Slot.objects.get(cabinet__room=room, number=number)


def test_the_station_page_shows_live_slots(client, room, django_assert_max_num_queries):
    Slot.objects.filter(pk=_slot(room, 2).pk).update(state="charging")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("riders:station_detail", args=[room.station.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    # Refreshed by the room's own script, every CHARGING["POLL_SECONDS"] (15 s).
    assert 'data-poll-seconds="15"' in html
    assert "charging/live.js" in html
    assert "hx-trigger" not in html
    assert reverse("charging:room_live", args=[room.public_id]) in html
    # Slots are named for people, numbered in the room; the device's code is not shown.
    assert "1号充电位" in html and "3号充电位" in html and "4号换电位" in html
    assert "cq-a" not in html
    # The block is a region named by its heading, not a div with a label; changes are
    # announced through one polite status line.
    assert f'aria-labelledby="room-{room.public_id}-name"' in html
    assert '<div class="charging">' in html
    assert html.count('role="status" aria-live="polite" data-live-announce') == 1
    assert html.count('class="slot slot-free"') == 3
    assert html.count('class="slot slot-charging"') == 1
    assert "3 个空闲" in html or "3 slots free" in html or "3 个空位" in html
    # Not signed in: no reserve buttons, one sign-in link.
    assert reverse("charging:reserve", args=[_slot(room, 1).pk]) not in html
    assert reverse("accounts:sign_in") in html


def test_a_rider_reserves_from_the_station_page_and_sees_it_held(client, as_person, room):
    rider = factories.PersonFactory()
    as_person(rider)
    station_page = reverse("riders:station_detail", args=[room.station.pk])
    html = client.get(station_page).content.decode()
    reserve = reverse("charging:reserve", args=[_slot(room, 1).pk])
    assert reserve in html
    answer = client.post(reserve, {"next": station_page}, follow=True)
    assert answer.redirect_chain[-1][0] == station_page
    hold = Reservation.objects.get(person=rider)
    assert hold.status == "active" and hold.slot == _slot(room, 1)
    html = answer.content.decode()
    assert 'class="charging-hold"' in html
    assert reverse("charging:cancel", args=[hold.public_id]) in html
    assert 'class="slot slot-held"' in html
    # One hold at a time: no more reserve buttons.
    assert reverse("charging:reserve", args=[_slot(room, 2).pk]) not in html


def test_a_second_hold_is_refused_with_a_message(client, as_person, room, english):
    rider = factories.PersonFactory(language="en")
    as_person(rider)
    client.post(reverse("charging:reserve", args=[_slot(room, 1).pk]))
    answer = client.post(reverse("charging:reserve", args=[_slot(room, 2).pk]), follow=True)
    assert "You already hold a slot" in answer.content.decode()
    assert Reservation.objects.filter(person=rider).count() == 1


def test_a_taken_slot_is_refused_with_a_message(client, as_person, room):
    factories_rider = factories.PersonFactory()
    as_person(factories_rider)
    client.post(reverse("charging:reserve", args=[_slot(room, 1).pk]))
    other = factories.PersonFactory()
    as_person(other)
    answer = client.post(reverse("charging:reserve", args=[_slot(room, 1).pk]), follow=True)
    assert 'class="msg error"' in answer.content.decode()
    assert not Reservation.objects.filter(person=other).exists()


def test_cancel_frees_the_slot(client, as_person, room):
    rider = factories.PersonFactory()
    as_person(rider)
    client.post(reverse("charging:reserve", args=[_slot(room, 1).pk]))
    hold = Reservation.objects.get(person=rider)
    client.post(reverse("charging:cancel", args=[hold.public_id]))
    hold.refresh_from_db()
    assert hold.status == "cancelled"
    other = factories.PersonFactory()
    as_person(other)
    client.post(reverse("charging:reserve", args=[_slot(room, 1).pk]))
    assert Reservation.objects.get(person=other).status == "active"


def test_someone_elses_hold_cannot_be_cancelled(client, as_person, room):
    rider = factories.PersonFactory()
    as_person(rider)
    client.post(reverse("charging:reserve", args=[_slot(room, 1).pk]))
    hold = Reservation.objects.get(person=rider)
    as_person(factories.PersonFactory())
    assert client.post(reverse("charging:cancel", args=[hold.public_id])).status_code == 404
    hold.refresh_from_db()
    assert hold.status == "active"


def test_reserving_needs_sign_in_and_post(client, room):
    reserve = reverse("charging:reserve", args=[_slot(room, 1).pk])
    answer = client.post(reserve)
    assert answer.status_code == 302 and reverse("accounts:sign_in") in answer["Location"]
    assert not Reservation.objects.exists()


def test_the_live_block_alone(client, room):
    answer = client.get(
        reverse("charging:room_live", args=[room.public_id]), {"next": "https://evil.example/"}
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "<html" not in html
    assert html.strip().startswith('<section class="card charging-room"')
    assert "evil.example" not in html
    assert answer["Cache-Control"] == "no-store"


def test_the_room_page(client, room):
    answer = client.get(reverse("charging:room", args=[room.public_id]))
    assert answer.status_code == 200
    assert room.station.name in answer.content.decode()


def test_report_a_fault(client, as_person, room):
    rider = factories.PersonFactory()
    as_person(rider)
    page = reverse("charging:fault", args=[room.public_id])
    assert client.get(page).status_code == 200
    refused = client.post(page, {"slot": _slot(room, 2).pk, "text": ""})
    assert refused.status_code == 400
    assert client.post(page, {"slot": "999999", "text": "坏了"}).status_code == 400
    assert not FaultReport.objects.exists()
    done = client.post(page, {"slot": _slot(room, 2).pk, "text": "插上不充电"})
    assert done.status_code == 302
    fault = FaultReport.objects.get()
    assert (fault.slot, fault.person, fault.text) == (_slot(room, 2), rider, "插上不充电")


@pytest.mark.parametrize(
    "name,args",
    [
        ("charging:room", [uuid.uuid4()]),
        ("charging:room_live", [uuid.uuid4()]),
    ],
)
def test_unknown_rooms_are_404(client, name, args):
    assert client.get(reverse(name, args=args)).status_code == 404


def test_unknown_slot_is_404(client, as_person, db):
    as_person(factories.PersonFactory())
    assert client.post(reverse("charging:reserve", args=[987654])).status_code == 404


def test_a_closed_station_hides_its_room(client, room):
    room.station.is_open = False
    room.station.save()
    assert client.get(reverse("charging:room", args=[room.public_id])).status_code == 404
