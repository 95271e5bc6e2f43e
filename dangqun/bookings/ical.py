"""iCalendar (RFC 5545) documents of bookings, through the icalendar package. Times carry
the Asia/Shanghai zone, so calendar apps show them right wherever the phone is."""

from icalendar import Event, vText

from dangqun.core.calendars import new_calendar, to_bytes

from .models import Booking
from .times import shown


def _event(booking: Booking, *, private: bool, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.public_id}@dangqun")
    event.add("dtstamp", booking.created_at)
    event.add("dtstart", shown(booking.start))
    event.add("dtend", shown(booking.end))
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
    calendar = new_calendar(name)
    for booking in bookings:
        calendar.add_component(_event(booking, private=private, base_url=base_url))
    return to_bytes(calendar)
