"""The resident's booking pages over HTTP: book once or weekly, see, cancel, the door pass."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.bookings import passes
from dangqun.bookings.models import Booking, BookingRule, BookingSeries, ClosedDate
from dangqun.people.models import StaffRole
from dangqun.places.models import SpaceKind
from tests import factories
from tests.bookings.helpers import MOBILE, ahead, at, direct_booking
from tests.clients import page_client
from tests.pages import error_box

pytestmark = pytest.mark.django_db


def form(day=None, start="10:00", end="11:00", **extra) -> dict:
    data = {
        "date": (day or ahead()).isoformat(),
        "start_time": start,
        "end_time": end,
        "purpose": "读书会",
        "headcount": 5,
    }
    return {**data, **extra}


def field_errors(page: str, name: str) -> list[str]:
    found = re.findall(rf'<p class="error" id="id_{name}_error">([^<]*)</p>', page)
    return [html.unescape(e) for e in found]


def box_errors(page: str) -> str:
    return html.unescape(error_box(page))


def new_url(space) -> str:
    return f"/bookings/spaces/{space.pk}/new/"


@pytest.fixture
def me(resident):
    return page_client(resident)


# Booking once


def test_booking_form_requires_sign_in(space):
    response = page_client().get(new_url(space))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/")
    response = page_client().post(new_url(space), form())
    assert response.status_code == 302
    assert Booking.objects.count() == 0


def test_resident_books_a_free_space(
    me, resident, space, sms_outbox, django_capture_on_commit_callbacks
):
    page = me.get(new_url(space)).content.decode()
    assert "Maker space" in page
    assert 'name="on_behalf_mobile"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = me.post(new_url(space), form())

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/bookings/{booking.public_id}/"
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.booker == resident
    assert booking.created_by == resident
    assert booking.space == space
    assert booking.purpose == "读书会"
    assert booking.headcount == 5
    assert timezone.localtime(booking.start) == at(ahead(), "10:00")
    assert timezone.localtime(booking.end) == at(ahead(), "11:00")
    assert len(sms_outbox) == 1
    to, text = sms_outbox[0]
    assert to == MOBILE
    assert "创客空间" in text
    assert ahead().isoformat() in text


def test_booking_page_shows_the_qr_and_the_pass_when_confirmed(me, space):
    assert me.post(new_url(space), form()).status_code == 302
    booking = Booking.objects.get()
    page = me.get(f"/bookings/{booking.public_id}/").content.decode()
    assert "Confirmed" in page
    assert "<svg" in page
    assert f'href="http://testserver{passes.pass_path(booking)}"' in page
    assert "Open the door pass" in page
    assert "读书会" in page


def test_livestream_studio_waits_for_approval_without_a_qr(
    me, center, sms_outbox, django_capture_on_commit_callbacks
):
    studio = factories.SpaceFactory(
        center=center,
        kind=SpaceKind.objects.get(code="livestream_studio"),
        name="直播间",
        is_bookable=True,
    )
    page = me.get(new_url(studio)).content.decode()
    assert "Staff approve each booking of this space." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = me.post(new_url(studio), form(start="10:00", end="11:00"))

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.status == Booking.Status.PENDING
    page = me.get(f"/bookings/{booking.public_id}/").content.decode()
    assert "Waiting for approval" in page
    assert "<svg" not in page
    assert "/bookings/pass/" not in page
    assert "Open the door pass" not in page
    assert len(sms_outbox) == 1
    assert "正在等待审核" in sms_outbox[0][1]


BAD_INPUTS = [
    # (what, the form's values, the field the error stands beside, part of the message)
    ("end before start", {"start": "11:00", "end": "10:00"}, "end_time", "end must be after"),
    ("outside hours", {"start": "19:00", "end": "21:00"}, "start_time", "Outside opening hours"),
    ("too long", {"start": "09:00", "end": "14:00"}, "end_time", "at most 240 minutes"),
    ("no length", {"start": "09:00", "end": "09:00"}, "end_time", "end must be after"),
    ("too far ahead", {"day": 40}, "start_time", "at most 30 days ahead"),
    ("in the past", {"day": -1}, "start_time", "in the past"),
    ("off the grid", {"start": "09:10", "end": "10:10"}, "start_time", "30-minute grid"),
    ("over the capacity", {"headcount": 21}, "headcount", "at most 20 people fit this space"),
    ("nobody", {"headcount": 0}, "headcount", ""),
    ("no purpose", {"purpose": ""}, "purpose", ""),
]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_shows_an_error_beside_its_field_and_saves_nothing(
    me, space, values, field, message
):
    values = dict(values)
    day = ahead(values.pop("day", 3))
    response = me.post(new_url(space), form(day=day, **values))
    assert response.status_code == 200
    page = response.content.decode()
    errors = field_errors(page, field)
    assert errors, page
    assert message in errors[0]
    others = {"date", "start_time", "end_time", "purpose", "headcount", "weeks"} - {field}
    assert not any(field_errors(page, name) for name in others)
    assert Booking.objects.count() == 0


def test_a_space_that_is_not_bookable_cannot_be_booked(me, center):
    hall = factories.SpaceFactory(center=center, name="大厅", is_bookable=False)
    page = me.get(new_url(hall)).content.decode()
    assert "This space cannot be booked." in box_errors(page)
    response = me.post(new_url(hall), form())
    assert response.status_code == 200
    assert "This space cannot be booked." in box_errors(response.content.decode())
    assert Booking.objects.count() == 0


def test_a_space_for_one_group_refuses_others_and_takes_the_group(me, resident, space):
    BookingRule.objects.create(space=space, required_tags=["new_employment"])
    response = me.post(new_url(space), form())
    assert response.status_code == 200
    assert "New-employment worker" in box_errors(response.content.decode())
    assert Booking.objects.count() == 0

    factories.tag(resident, "new_employment")
    assert me.post(new_url(space), form()).status_code == 302
    assert Booking.objects.get().booker == resident


def test_a_closed_date_cannot_be_booked(me, space, center):
    ClosedDate.objects.create(center=center, date=ahead(), reason="国庆")
    response = me.post(new_url(space), form())
    assert response.status_code == 200
    errors = field_errors(response.content.decode(), "start_time")
    assert errors == ["The center is closed on this date."]
    assert Booking.objects.count() == 0


def test_a_taken_time_is_already_booked(me, space, other):
    theirs = direct_booking(space, other, at(ahead(), "10:30"))
    response = me.post(new_url(space), form(start="10:00", end="11:00"))
    assert response.status_code == 200
    errors = field_errors(response.content.decode(), "start_time")
    assert len(errors) == 1
    assert "already booked" in errors[0]
    assert list(Booking.objects.all()) == [theirs]


def test_a_time_next_to_a_booking_is_free(me, space, other):
    direct_booking(space, other, at(ahead(), "09:00"))
    assert me.post(new_url(space), form(start="10:00", end="11:00")).status_code == 302
    assert Booking.objects.count() == 2


# Weekly


def test_weekly_booking_previews_then_books_every_week(me, resident, space):
    response = me.post(new_url(space), form(weeks=4))
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)[^<]*</td><td>(.*?)</td></tr>", page)
    assert [day for day, _ in rows] == [ahead(3 + 7 * i).isoformat() for i in range(4)]
    assert all("Free" in cell for _, cell in rows)
    assert "Confirm all weeks" in page
    assert Booking.objects.count() == 0
    assert BookingSeries.objects.count() == 0

    response = me.post(new_url(space), form(weeks=4, confirm="1"))
    assert response.status_code == 302
    assert response["Location"] == "/bookings/"
    series = BookingSeries.objects.get()
    assert series.weeks == 4
    assert series.booker == resident
    bookings = list(Booking.objects.order_by("start"))
    assert len(bookings) == 4
    assert {b.series_id for b in bookings} == {series.pk}
    assert [timezone.localtime(b.start) for b in bookings] == [
        at(ahead(3 + 7 * i), "10:00") for i in range(4)
    ]
    assert all(b.status == Booking.Status.CONFIRMED for b in bookings)


def test_weekly_booking_with_a_taken_week_saves_nothing(me, space, other):
    theirs = direct_booking(space, other, at(ahead(10), "10:00"))
    response = me.post(new_url(space), form(weeks=4))
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)[^<]*</td><td>(.*?)</td></tr>", page)
    assert len(rows) == 4
    problems = {day: html.unescape(cell) for day, cell in rows if "error" in cell}
    assert list(problems) == [ahead(10).isoformat()]
    assert "already booked" in problems[ahead(10).isoformat()]
    assert "Confirm all weeks" not in page
    assert "nothing was saved" in page

    # Confirming anyway (a stale preview, a crafted request) saves no week at all.
    response = me.post(new_url(space), form(weeks=4, confirm="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "already booked" in html.unescape(page)
    assert list(Booking.objects.all()) == [theirs]
    assert BookingSeries.objects.count() == 0


def test_weekly_booking_past_the_booking_horizon_lists_those_weeks(me, space):
    response = me.post(new_url(space), form(weeks=6, confirm="1"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert page.count("at most 30 days ahead") == 2  # weeks 5 and 6: days 31 and 38
    assert Booking.objects.count() == 0


# On behalf of someone


@pytest.fixture
def center_staff(district, center):
    return factories.staff(
        StaffRole.Role.CENTER_STAFF, district.xianlin, center, name="赵干事", mobile="13912340009"
    )


def test_staff_book_on_behalf_of_a_resident(center_staff, resident, space):
    staff = page_client(center_staff)
    assert 'name="on_behalf_mobile"' in staff.get(new_url(space)).content.decode()
    response = staff.post(new_url(space), form(on_behalf_mobile=MOBILE))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.booker == resident
    assert booking.created_by == center_staff
    # The resident sees it as their own.
    page = page_client(resident).get("/bookings/").content.decode()
    assert f"/bookings/{booking.public_id}/" in page


def test_staff_on_behalf_of_an_unknown_number(center_staff, space):
    response = page_client(center_staff).post(new_url(space), form(on_behalf_mobile="13900000000"))
    assert response.status_code == 200
    errors = field_errors(response.content.decode(), "on_behalf_mobile")
    assert errors == ["Nobody has signed up with this mobile number yet."]
    assert Booking.objects.count() == 0


def test_a_resident_cannot_book_for_someone_else(me, resident, other, space):
    assert 'name="on_behalf_mobile"' not in me.get(new_url(space)).content.decode()
    response = me.post(new_url(space), form(on_behalf_mobile=other.mobile))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.booker == resident
    assert booking.created_by == resident


# Mine, another's, cancel


def test_my_bookings_lists_mine_and_not_others(me, resident, other, space):
    me.post(new_url(space), form(purpose="我的读书会"))
    direct_booking(space, other, at(ahead(), "14:00"), purpose="别人的会")
    past = direct_booking(space, resident, at(ahead(-2), "10:00"), purpose="上周的会")
    response = me.get("/bookings/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "我的读书会" in page
    assert "上周的会" in page
    assert page.index("Coming up") < page.index("我的读书会") < page.index("Past")
    assert page.index("Past") < page.index("上周的会")
    assert f"/bookings/{past.public_id}/" in page
    assert "别人的会" not in page


def test_my_bookings_requires_sign_in(db):
    response = page_client().get("/bookings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/")


def test_another_persons_booking_is_not_found(me, other, space):
    theirs = direct_booking(space, other, at(ahead(), "14:00"))
    assert me.get(f"/bookings/{theirs.public_id}/").status_code == 404
    assert me.get(f"/bookings/{theirs.public_id}.ics").status_code == 404


def test_owner_cancels_once(me, space, sms_outbox, django_capture_on_commit_callbacks):
    me.post(new_url(space), form())
    booking = Booking.objects.get()
    cancel = f"/bookings/{booking.public_id}/cancel/"
    # The booking's page links to a page that asks first; asking cancels nothing.
    assert f'href="{cancel}"' in me.get(f"/bookings/{booking.public_id}/").content.decode()
    asked = me.get(cancel)
    assert asked.status_code == 200
    question = asked.content.decode()
    assert "Cancel this booking?" in question
    assert '<form method="post" class="card" novalidate>' in question
    assert "Yes, cancel the booking" in question
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert sms_outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = me.post(cancel, {"reason": "改期"}, follow=True)
    assert response.redirect_chain == [(f"/bookings/{booking.public_id}/", 302)]
    page = response.content.decode()
    assert "The booking is cancelled." in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.reason == "改期"
    assert "<svg" not in page
    assert "Cancel booking" not in page
    assert f'href="{cancel}"' not in page
    # Once cancelled, the question is not asked again.
    assert me.get(cancel)["Location"] == f"/bookings/{booking.public_id}/"
    assert len(sms_outbox) == 1
    assert "已取消" in sms_outbox[0][1]

    response = me.post(cancel, follow=True)
    page = response.content.decode()
    assert "This booking is not active." in page
    assert "The booking is cancelled." not in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_cancelling_someone_elses_booking_is_not_found(me, other, space):
    theirs = direct_booking(space, other, at(ahead(), "14:00"))
    assert me.post(f"/bookings/{theirs.public_id}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.CONFIRMED


def test_a_cancelled_time_can_be_booked_again(me, other, space):
    direct_booking(space, other, at(ahead(), "10:00"), status=Booking.Status.CANCELLED)
    assert me.post(new_url(space), form()).status_code == 302
    assert Booking.objects.filter(status=Booking.Status.CONFIRMED).count() == 1


# The door pass


def pass_url(booking) -> str:
    return f"/bookings/pass/{passes.pass_token(booking)}/"


def test_door_pass_is_valid_now_and_shows_only_a_masked_name(resident, space):
    soon = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=10)
    booking = direct_booking(space, resident, soon, purpose="秘密的读书会", headcount=7)
    response = page_client().get(pass_url(booking))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valid now" in page
    assert "王**" in page
    assert "王小明" not in page
    assert MOBILE not in page
    assert "秘密的读书会" not in page
    assert "Maker space" in page


def test_door_pass_of_the_booking_page_opens(me, space):
    me.post(new_url(space), form())
    booking = Booking.objects.get()
    page = me.get(f"/bookings/{booking.public_id}/").content.decode()
    link = re.search(r'href="http://testserver(/bookings/pass/[^"]+)"', page).group(1)
    response = page_client().get(link)
    assert response.status_code == 200
    # Three days ahead: a real pass, but not for now.
    assert "Not now" in response.content.decode()
    assert "Valid now" not in response.content.decode()


def test_door_pass_is_not_valid_long_before_or_after(resident, space):
    later = timezone.now() + timedelta(hours=2)
    earlier = timezone.now() - timedelta(hours=3)
    for start in (later, earlier):
        booking = direct_booking(space, resident, start)
        page = page_client().get(pass_url(booking)).content.decode()
        assert "Valid now" not in page
        assert "Not now" in page


def test_a_tampered_pass_is_not_found(resident, space):
    booking = direct_booking(space, resident, timezone.now() + timedelta(minutes=10))
    token = passes.pass_token(booking)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert page_client().get(f"/bookings/pass/{tampered}/").status_code == 404
    assert page_client().get(f"/bookings/pass/{booking.public_id}/").status_code == 404
    assert page_client().get(f"/bookings/pass/{token}/").status_code == 200


def test_a_cancelled_bookings_pass_is_not_valid(me, resident, space):
    booking = direct_booking(space, resident, timezone.now() + timedelta(minutes=10))
    url = pass_url(booking)
    assert "Valid now" in page_client().get(url).content.decode()
    assert me.post(f"/bookings/{booking.public_id}/cancel/").status_code == 302
    page = page_client().get(url).content.decode()
    assert "Valid now" not in page
    assert "Cancelled" in page
