"""The counter starts a booking and an activity sign-up FOR the person at the desk: its links
lead to the booking form and to the activity's sign-up, with the person chosen by their
opaque public id (never a mobile number in a URL), scoped like the counter itself."""

import re

import pytest

from dangqun.activities.models import Registration
from dangqun.bookings.models import Booking
from tests import factories
from tests.bookings.helpers import OPEN, ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(world):
    center = world.tree.xianlin_center
    center.opening_hours = OPEN
    center.save()
    return factories.SpaceFactory(center=center, name="创客空间", is_bookable=True)


@pytest.fixture
def course(world):
    return factories.activity(world.tree.xianlin_center, title="智能手机课", capacity=1)


def links(page: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', page)]


def desk_page(client, person) -> str:
    response = client.get(f"/staff/intake/counter/{person.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_booking_link_opens_the_booking_form_for_the_person(as_person, world, space):
    client = as_person(world.xianlin_staff)
    page = desk_page(client, world.resident)
    url = f"/bookings/spaces/{space.pk}/new/?for={world.resident.public_id}"
    assert url in links(page)
    assert world.resident.mobile not in "".join(links(page))  # no full mobile in a URL
    form = client.get(url).content.decode()
    assert "王小明" in form and "139****0001" in form
    assert f'name="on_behalf" value="{world.resident.public_id}"' in form
    assert 'name="on_behalf_mobile"' not in form
    response = client.post(
        url,
        {
            "date": ahead().isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
            "purpose": "读书会",
            "headcount": 5,
            "on_behalf": str(world.resident.public_id),
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.booker == world.resident and booking.created_by == world.xianlin_staff
    # Back at the counter, the booking shows.
    assert f"{ahead():%Y-%m-%d} 10:00" in desk_page(client, world.resident)


def test_booking_for_someone_outside_ones_regions_is_a_404(as_person, world, space):
    visitor = factories.PersonFactory(
        name="访客", mobile="13922220004", home_region=world.tree.yunhui
    )
    client = as_person(world.xianlin_staff)
    url = f"/bookings/spaces/{space.pk}/new/?for={visitor.public_id}"
    assert client.get(url).status_code == 404
    assert client.get(f"/bookings/spaces/{space.pk}/new/?for=not-an-id").status_code == 404
    # Once they give their full mobile number at the desk, the counter serves them.
    client.get("/staff/intake/counter/", {"q": "13922220004"})
    assert "访客" in client.get(url).content.decode()
    # A resident cannot book for someone by id.
    resident = as_person(world.other)
    assert resident.get(url).status_code == 404
    assert not Booking.objects.exists()


def test_activity_link_shows_the_sign_up_for_the_person(
    as_person, world, course, sms_outbox, django_capture_on_commit_callbacks
):
    client = as_person(world.xianlin_staff)
    page = desk_page(client, world.resident)
    url = f"/staff/activities/{course.public_id}/?for={world.resident.public_id}#sign-up"
    assert url in links(page)
    detail = client.get(url.split("#")[0]).content.decode()
    assert 'id="sign-up"' in detail and "王小明" in detail
    assert f'name="person" value="{world.resident.public_id}"' in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/activities/{course.public_id}/sign-up/",
            {"person": world.resident.public_id},
        )
    assert response["Location"] == f"/staff/intake/counter/{world.resident.public_id}/"
    registration = Registration.objects.get()
    assert registration.person == world.resident and registration.status == "confirmed"
    assert [mobile for mobile, _text in sms_outbox] == [world.resident.mobile]
    assert "智能手机课" in desk_page(client, world.resident)
    # Full now: the next one is waitlisted; signing up twice is refused beside the form.
    again = client.post(
        f"/staff/activities/{course.public_id}/sign-up/", {"person": world.resident.public_id}
    )
    assert again.status_code == 400 and 'id="sign-up-error"' in again.content.decode()
    response = client.post(
        f"/staff/activities/{course.public_id}/sign-up/", {"person": world.other.public_id}
    )
    assert response.status_code == 302
    assert Registration.objects.get(person=world.other).status == "waitlisted"


def test_activity_sign_up_is_scoped(as_person, world, course):
    visitor = factories.PersonFactory(mobile="13922220004", home_region=world.tree.yunhui)
    client = as_person(world.xianlin_staff)
    detail = f"/staff/activities/{course.public_id}/"
    assert client.get(detail, {"for": visitor.public_id}).status_code == 404
    assert client.post(f"{detail}sign-up/", {"person": visitor.public_id}).status_code == 404
    other_center = as_person(world.cangqian_staff)
    assert other_center.get(detail, {"for": world.resident.public_id}).status_code == 404
    assert (
        other_center.post(f"{detail}sign-up/", {"person": world.resident.public_id}).status_code
        == 404
    )
    assert not Registration.objects.exists()
