"""From the counter to a booking: "find a free space" keeps the person being served through
the search, the calendar's slots and the form, and staff come back to that person's
counter page afterwards. A search also carries its time and headcount into the form."""

import re
from html import unescape

import pytest

from dangqun.bookings.models import Booking, BookingSeries
from dangqun.core.models import AuditEntry
from dangqun.people.models import StaffRole
from tests import factories
from tests.bookings.helpers import ahead
from tests.clients import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(district, center):
    return factories.staff(
        StaffRole.Role.CENTER_STAFF, district.xianlin, center, name="赵干事", mobile="13912340009"
    )


@pytest.fixture
def served(resident, district):
    """The resident lives in Xianlin: the desk may serve them without a look-up."""
    resident.home_region = district.xianlin
    resident.save()
    return resident


def search_query(**extra) -> dict:
    return {
        "date": ahead().isoformat(),
        "start_time": "10:00",
        "end_time": "11:30",
        "people": 6,
        **extra,
    }


def links(page: str, start: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', page) if h.startswith(start)]


def value_of(page: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    if not found:
        return None
    value = re.search(r'value="([^"]*)"', found.group(0))
    return unescape(value.group(1)) if value else ""


def test_the_counter_links_to_a_search_for_the_person(desk, served, space):
    page = page_client(desk).get(f"/staff/intake/counter/{served.public_id}/").content.decode()
    assert f"/bookings/search/?for={served.public_id}" in page


def test_from_the_counter_search_slot_form_and_back(desk, served, space):
    staff = page_client(desk)
    # The search opened from the counter names the person and is no search yet.
    opened = staff.get("/bookings/search/", {"for": served.public_id}).content.decode()
    assert "Booking for 王小明 (139****0001)" in opened
    assert value_of(opened, "for") == str(served.public_id)
    assert "free space" not in opened.split('<div id="results"')[1]

    # The results' links keep the person, the time and the headcount.
    found = staff.get("/bookings/search/", search_query(**{"for": served.public_id}))
    page = found.content.decode()
    assert "Booking for 王小明" in page
    book = links(page, f"/bookings/spaces/{space.pk}/new/")
    assert book == [
        f"/bookings/spaces/{space.pk}/new/?date={ahead().isoformat()}&start=10:00&end=11:30"
        f"&people=6&for={served.public_id}"
    ]
    calendar = links(page, f"/bookings/spaces/{space.pk}/calendar/")
    assert calendar and f"for={served.public_id}" in calendar[0]

    # Another slot, from the space's calendar: its links keep the person too.
    day = staff.get(calendar[0]).content.decode()
    assert "Booking for 王小明" in day
    slot_links = links(day, f"/bookings/spaces/{space.pk}/new/")
    assert slot_links and all(f"&people=6&for={served.public_id}" in h for h in slot_links)

    # The form: the person preselected, the search's time and headcount filled in.
    form = staff.get(book[0]).content.decode()
    assert "Booking for 王小明 (139****0001)" in form
    assert value_of(form, "on_behalf") == str(served.public_id)
    assert value_of(form, "date") == ahead().isoformat()
    assert value_of(form, "start_time") == "10:00"
    assert value_of(form, "end_time") == "11:30"
    assert value_of(form, "headcount") == "6"
    assert value_of(form, "on_behalf_mobile") is None

    # Booked: back to the person at the counter, not to the staff's own bookings.
    response = staff.post(
        book[0],
        {
            "date": ahead().isoformat(),
            "start_time": "10:00",
            "end_time": "11:30",
            "purpose": "调解会",
            "headcount": 6,
            "on_behalf": served.public_id,
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"/staff/intake/counter/{served.public_id}/", 302)]
    back = response.content.decode()
    assert "The booking for 王小明 is saved." in back
    booking = Booking.objects.get()
    assert (booking.booker, booking.created_by, booking.headcount) == (served, desk, 6)
    # The counter now lists the booking among the person's.
    assert f'创客空间 · <span class="nowrap">{ahead().isoformat()} 10:00</span>' in back


def test_a_weekly_booking_for_someone_returns_to_the_counter(desk, served, space):
    staff = page_client(desk)
    data = {
        "date": ahead().isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "purpose": "每周调解会",
        "headcount": 4,
        "weeks": 3,
        "on_behalf": served.public_id,
        "confirm": "1",
    }
    response = staff.post(f"/bookings/spaces/{space.pk}/new/?for={served.public_id}", data)
    assert response["Location"] == f"/staff/intake/counter/{served.public_id}/"
    assert BookingSeries.objects.get().booker == served


def test_someone_named_by_mobile_is_remembered_at_the_counter(desk, other, space):
    """Named by their full mobile number (outside the desk's regions): back to their page
    at the counter, which opens because the desk now knows them, and the look-up is audited."""
    staff = page_client(desk)
    response = staff.post(
        f"/bookings/spaces/{space.pk}/new/",
        {
            "date": ahead().isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
            "purpose": "调解会",
            "headcount": 2,
            "on_behalf_mobile": other.mobile,
        },
    )
    assert response["Location"] == f"/staff/intake/counter/{other.public_id}/"
    assert staff.get(response["Location"]).status_code == 200
    assert AuditEntry.objects.filter(action="intake.counter_lookup", actor=desk).count() == 1


def test_staff_booking_for_themselves_go_to_the_booking(desk, space):
    response = page_client(desk).post(
        f"/bookings/spaces/{space.pk}/new/",
        {
            "date": ahead().isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
            "purpose": "内部会议",
            "headcount": 2,
        },
    )
    assert response["Location"] == f"/bookings/{Booking.objects.get().public_id}/"


@pytest.mark.parametrize(
    "path",
    ["/bookings/search/", "/bookings/centers/xianlin/calendar/", "SPACE_CALENDAR", "SPACE_NEW"],
)
def test_only_staff_who_may_serve_the_person_carry_them(path, resident, other, served, space):
    path = {
        "SPACE_CALENDAR": f"/bookings/spaces/{space.pk}/calendar/",
        "SPACE_NEW": f"/bookings/spaces/{space.pk}/new/",
    }.get(path, path)
    query = {"for": served.public_id}
    assert page_client(other).get(path, query).status_code == 404
    if "new" not in path:  # the form asks to sign in first
        assert page_client().get(path, query).status_code == 404
    assert page_client(other).get(path, {"for": "not-an-id"}).status_code == 404


def test_a_resident_s_search_carries_time_and_headcount_into_the_form(resident, space):
    me = page_client(resident)
    page = me.get("/bookings/search/", search_query()).content.decode()
    (book,) = links(page, f"/bookings/spaces/{space.pk}/new/")
    assert "for=" not in book
    form = me.get(book).content.decode()
    assert value_of(form, "end_time") == "11:30"
    assert value_of(form, "headcount") == "6"
    assert "Booking for" not in form


def test_malformed_values_in_a_link_are_left_out_of_the_form(resident, space):
    page = page_client(resident).get(
        f"/bookings/spaces/{space.pk}/new/",
        {"date": "2030-13-40", "start": "25:99", "end": "x", "people": "-3"},
    )
    assert page.status_code == 200
    form = page.content.decode()
    assert value_of(form, "start_time") == ""
    assert value_of(form, "end_time") == ""
    assert value_of(form, "headcount") == "1"  # the form's own default
