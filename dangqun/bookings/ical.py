"""iCalendar (RFC 5545) documents of bookings, through the icalendar package. Times carry
the Asia/Shanghai zone, so calendar apps show them right wherever the phone is."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import Booking

PRODID = "-//dangqun//party-mass service platform//ZH"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _event(booking: Booking, *, private: bool, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.public_id}@dangqun")
    event.add("dtstamp", booking.created_at)
    event.add("dtstart", timezone.localtime(booking.start))
    event.add("dtend", timezone.localtime(booking.end))
    space = booking.space
    event.add("location", vText(f"{space.center.name} · {space.name} · {space.center.address}"))
    if private:
        event.add("summary", f"{space.name}: {booking.purpose}")
        event.add("url", f"{base_url}/bookings/{booking.public_id}/")
    else:
        event.add("summary", f"{space.name} · {booking.get_status_display()}")
    event.add("status", "CONFIRMED" if booking.status == Booking.Status.CONFIRMED else "TENTATIVE")
    return event


def to_ics(name: str, bookings, *, private: bool, base_url: str = "") -> bytes:
    """private=True for the booker's own calendar; public feeds show only busy times."""
    calendar = _calendar(name)
    for booking in bookings:
        calendar.add_component(_event(booking, private=private, base_url=base_url))
    # A VTIMEZONE for Asia/Shanghai, so clients need not know the zone by name.
    calendar.add_missing_timezones()
    return calendar.to_ical()
