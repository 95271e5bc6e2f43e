"""iCalendar files of bookings: one's own booking, a space's public feed of busy times, and
the private feed of one's own bookings."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from dangqun.bookings import passes
from dangqun.bookings.models import Booking
from tests import factories
from tests.bookings.helpers import ahead, at, direct_booking
from tests.bookings.helpers import booking_row as book
from tests.clients import page_client

pytestmark = pytest.mark.django_db

ZONE = "Asia/Shanghai"


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return Calendar.from_ical(response.content)


def unfolded(response) -> str:
    """The file's text with folded lines joined, so a split word is still found."""
    return response.content.decode().replace("\r\n ", "").replace("\r\n\t", "")


def uid(booking) -> str:
    return f"booking-{booking.public_id}@dangqun"


def event_uids(calendar: Calendar) -> set[str]:
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def assert_shanghai_zone(calendar: Calendar) -> None:
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == [ZONE]
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            assert event[name].params["TZID"] == ZONE


# One's own booking


def test_owner_downloads_the_booking(resident, space):
    booking = book(space, resident, ahead(), "10:00", "11:30", "骑手恳谈会")
    response = page_client(resident).get(f"/bookings/{booking.public_id}.ics")
    calendar = parse(response)
    assert f'filename="booking-{booking.public_id}.ics"' in response["Content-Disposition"]
    assert_shanghai_zone(calendar)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == uid(booking)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == at(ahead(), "10:00")
    assert end == at(ahead(), "11:30")
    assert start.utcoffset() == timedelta(hours=8)
    assert (start.hour, start.minute) == (10, 0)
    assert "骑手恳谈会" in str(event["SUMMARY"])
    assert "创客空间" in str(event["SUMMARY"])
    assert "闲林街道党群服务中心" in str(event["LOCATION"])
    assert str(event["URL"]) == f"http://testserver/bookings/{booking.public_id}/"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(calendar["VERSION"]) == "2.0"


def test_the_booking_page_links_the_file(resident, space):
    booking = book(space, resident, ahead(), "10:00", "11:00", "读书会")
    page = page_client(resident).get(f"/bookings/{booking.public_id}/").content.decode()
    assert f'href="/bookings/{booking.public_id}.ics"' in page


def test_a_pending_booking_is_tentative(resident, space):
    booking = book(space, resident, ahead(), "10:00", "11:00", "直播", status="pending")
    calendar = parse(page_client(resident).get(f"/bookings/{booking.public_id}.ics"))
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"


def test_only_the_owner_downloads_the_booking(resident, other, space):
    booking = book(space, resident, ahead(), "10:00", "11:00", "读书会")
    url = f"/bookings/{booking.public_id}.ics"
    assert page_client(other).get(url).status_code == 404
    anonymous = page_client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/")


# The public feed of a space


def test_space_feed_shows_busy_times_and_names_no_one(resident, other, space, center):
    mine = book(space, resident, ahead(), "10:00", "11:00", "王家的秘密会")
    theirs = book(space, other, ahead(1), "14:00", "15:00", "李家的私事", status="pending")
    book(space, other, ahead(), "15:00", "16:00", "取消了的会", status="cancelled")
    elsewhere = factories.SpaceFactory(center=center, name="会议室", is_bookable=True)
    book(elsewhere, resident, ahead(), "10:00", "11:00", "别处的会")

    response = page_client().get(f"/bookings/spaces/{space.pk}/calendar.ics")
    calendar = parse(response)
    assert event_uids(calendar) == {uid(mine), uid(theirs)}
    assert_shanghai_zone(calendar)
    starts = sorted(e.decoded("DTSTART") for e in calendar.walk("VEVENT"))
    assert starts == [at(ahead(1), "14:00"), at(ahead(), "10:00")]
    text = unfolded(response)
    for secret in ("秘密会", "私事", "取消了", "别处", "王小明", "李四海", "王**"):
        assert secret not in text
    for mobile in (resident.mobile, other.mobile):
        assert mobile not in text
    for event in calendar.walk("VEVENT"):
        assert "URL" not in event
        assert "DESCRIPTION" not in event
        assert "创客空间" in str(event["SUMMARY"])


def test_space_feed_of_an_unknown_space_is_not_found(db):
    assert page_client().get("/bookings/spaces/999999/calendar.ics").status_code == 404


def test_space_feed_leaves_out_long_past_bookings(resident, space):
    old = direct_booking(
        space, resident, timezone.now() - timedelta(days=60), purpose="旧会", headcount=1
    )
    recent = book(space, resident, ahead(), "10:00", "11:00", "新会")
    calendar = parse(page_client().get(f"/bookings/spaces/{space.pk}/calendar.ics"))
    assert event_uids(calendar) == {uid(recent)}
    assert uid(old) not in event_uids(calendar)


# The private feed of one's bookings


def feed_path(person) -> str:
    """The address the "My bookings" page gives for a calendar app."""
    page = page_client(person).get("/bookings/").content.decode()
    match = re.search(r"http://testserver(/bookings/feed/[^<\s\"]+\.ics)", page)
    assert match, page
    return match.group(1)


def test_private_feed_lists_only_my_active_bookings(resident, other, space, center):
    confirmed = book(space, resident, ahead(), "10:00", "11:00", "我的读书会")
    pending = book(space, resident, ahead(1), "10:00", "11:00", "我的直播", status="pending")
    book(space, resident, ahead(2), "10:00", "11:00", "取消的会", status="cancelled")
    book(space, resident, ahead(2), "14:00", "15:00", "被拒的会", status="rejected")
    book(space, other, ahead(), "14:00", "15:00", "别人的会")
    elsewhere = factories.SpaceFactory(center=center, name="会议室", is_bookable=True)
    there = book(elsewhere, resident, ahead(4), "09:00", "10:00", "另一间的会")

    path = feed_path(resident)
    response = Client().get(path)  # a calendar app has no session
    calendar = parse(response)
    assert event_uids(calendar) == {uid(confirmed), uid(pending), uid(there)}
    assert_shanghai_zone(calendar)
    summaries = " ".join(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert "我的读书会" in summaries
    assert "另一间的会" in summaries
    text = unfolded(response)
    for absent in ("取消的会", "被拒的会", "别人的会", "李四海"):
        assert absent not in text


def test_each_person_has_their_own_feed(resident, other, space):
    book(space, resident, ahead(), "10:00", "11:00", "我的读书会")
    theirs = book(space, other, ahead(), "14:00", "15:00", "别人的会")
    assert feed_path(resident) != feed_path(other)
    calendar = parse(Client().get(feed_path(other)))
    assert event_uids(calendar) == {uid(theirs)}


def test_a_forged_feed_token_is_not_found(resident, space):
    book(space, resident, ahead(), "10:00", "11:00", "我的读书会")
    path = feed_path(resident)
    token = path.removeprefix("/bookings/feed/").removesuffix(".ics")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert Client().get(f"/bookings/feed/{tampered}.ics").status_code == 404
    assert Client().get(f"/bookings/feed/{resident.public_id}.ics").status_code == 404
    # A door pass is signed too, but for another purpose: it opens no feed.
    booking = Booking.objects.get()
    assert Client().get(f"/bookings/feed/{passes.pass_token(booking)}.ics").status_code == 404
    assert Client().get(path).status_code == 200


def test_the_feed_of_a_deactivated_person_is_gone(resident, space):
    path = feed_path(resident)
    resident.is_active = False
    resident.save()
    assert Client().get(path).status_code == 404
