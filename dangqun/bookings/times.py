"""Booking times as people read them (Shanghai time), whatever a row holds. A time stored
before the API bounded dates to 1901-2100 cannot always be shown at +08:00: beyond year
9999 Python cannot move it, and before 1901 the zone's offset is local mean time
(+08:05:43), which no client reads. Such a time is shown as it is stored, in UTC, rather
than breaking the list, the export or the feed that holds it."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone


def in_shanghai(moment: datetime) -> datetime | None:
    """The moment in Shanghai time, or None where it cannot be shown so."""
    try:
        local = timezone.localtime(moment)
    except (OverflowError, ValueError):
        return None
    if local.utcoffset() % timedelta(minutes=1):
        return None
    return local


def shown(moment: datetime | None) -> datetime | None:
    """The moment in Shanghai time, or in UTC where it cannot be shown so."""
    if moment is None:
        return None
    return in_shanghai(moment) or moment.astimezone(UTC)


def wall(moment: datetime | None) -> datetime | None:
    """The clock time `shown` gives, without its zone (for templates and spreadsheets)."""
    moment = shown(moment)
    return moment.replace(tzinfo=None) if moment is not None else None


def label(moment: datetime | None) -> str:
    """'2030-01-07 09:00' (Shanghai time), or '9999-12-31 20:00 UTC'."""
    if moment is None:
        return ""
    local = in_shanghai(moment)
    if local is not None:
        return f"{local:%Y-%m-%d %H:%M}"
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
