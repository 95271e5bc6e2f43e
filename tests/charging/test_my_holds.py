"""A rider's hold of a charging slot shows where the rider looks for what they booked:
on "my bookings" and on the riders' page, named as riders name slots, with the way back to
the room and a cancel button that comes back to the same page. Nobody else sees it."""

import pytest
from django.urls import reverse

from dangqun.charging import services
from dangqun.charging.models import Reservation, Slot
from tests import factories

from .helpers import room_with_cabinet

pytestmark = pytest.mark.django_db

PAGES = ["bookings:mine", "riders:home"]


@pytest.fixture
def hold(district):
    room, cabinet, _secret = room_with_cabinet(district.cangqian, charging=3, swap=2)
    rider = factories.PersonFactory()
    slot = Slot.objects.get(cabinet=cabinet, number=4)  # the first swap slot
    return services.reservation_create(actor=rider, slot=slot)


@pytest.mark.parametrize("page", PAGES)
def test_the_hold_shows_with_its_room_and_ways_on(client, as_person, hold, page):
    as_person(hold.person)
    html = client.get(reverse(page)).content.decode()
    assert f'id="hold-{hold.public_id}"' in html
    assert "4号换电位" in html and "我预留的充电位" in html
    assert hold.slot.cabinet.room.name in html and hold.slot.cabinet.room.station.name in html
    assert reverse("charging:room", args=[hold.slot.cabinet.room.public_id]) in html
    assert reverse("charging:cancel", args=[hold.public_id]) in html
    assert hold.slot.cabinet.code not in html  # the device's code is for staff


@pytest.mark.parametrize("page", PAGES)
def test_cancelling_there_comes_back_there(client, as_person, hold, page):
    as_person(hold.person)
    here = reverse(page)
    answer = client.post(
        reverse("charging:cancel", args=[hold.public_id]), {"next": here}, follow=True
    )
    assert answer.redirect_chain[-1][0] == here
    hold.refresh_from_db()
    assert hold.status == Reservation.Status.CANCELLED
    assert f'id="hold-{hold.public_id}"' not in answer.content.decode()


def test_nobody_else_sees_it(client, as_person, hold):
    assert f"hold-{hold.public_id}" not in client.get(reverse("riders:home")).content.decode()
    as_person(factories.PersonFactory())
    for page in PAGES:
        assert f"hold-{hold.public_id}" not in client.get(reverse(page)).content.decode()


def test_an_ended_hold_is_not_shown(client, as_person, hold):
    Reservation.objects.filter(pk=hold.pk).update(status=Reservation.Status.USED)
    as_person(hold.person)
    for page in PAGES:
        assert "我预留的充电位" not in client.get(reverse(page)).content.decode()


def test_english(client, as_person, hold):
    hold.person.language = "en"
    hold.person.save()
    as_person(hold.person)
    html = client.get(reverse("bookings:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My charging slot" in html and "Slot 4" in html
