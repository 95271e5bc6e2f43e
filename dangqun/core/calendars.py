"""The iCalendar (RFC 5545) document every capability's .ics files start from, and how
it is finished: times carry the Asia/Shanghai zone, with its VTIMEZONE."""

from django.conf import settings
from icalendar import Calendar

PRODID = "-//dangqun//party-mass service platform//ZH"


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def to_bytes(calendar: Calendar) -> bytes:
    # A VTIMEZONE for Asia/Shanghai, so clients need not know the zone by name.
    calendar.add_missing_timezones()
    return calendar.to_ical()
