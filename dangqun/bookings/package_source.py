"""What bookings tell service packages (partners/package_sources.py) about spaces: an
entry names a space by its id (a bookable one links to its booking calendar, another to
its center's page); a person used it by a confirmed booking of it."""

from django.urls import reverse

from dangqun.core.templatetags.dq import loc
from dangqun.partners import package_sources
from dangqun.places.models import Space

from .models import Booking


def _ids(references) -> list[int]:
    return [int(r) for r in references if isinstance(r, str) and r.isdigit() and len(r) < 18]


def check(reference: str, region) -> str | None:
    """A space of a center inside `region`."""
    ids = _ids([reference])
    inside = Space.objects.filter(pk__in=ids, center__region__path__startswith=region.path)
    return str(ids[0]) if ids and inside.exists() else None


def _title(space) -> str:
    return f"{loc(space)} · {loc(space.center)}"


def describe(references) -> dict:
    spaces = Space.objects.filter(pk__in=_ids(references)).select_related("center")
    return {
        str(space.pk): package_sources.Shown(
            title=_title(space),
            url=reverse("bookings:space_calendar", args=[space.pk])
            if space.is_bookable
            else reverse("places:center_detail", args=[space.center.slug]),
        )
        for space in spaces
    }


def users(references, start, end):
    return Booking.objects.filter(
        space_id__in=_ids(references),
        status=Booking.Status.CONFIRMED,
        start__gte=start,
        start__lt=end,
    ).values("booker_id")


def choices() -> list[tuple[str, str]]:
    spaces = Space.objects.select_related("center")
    return [(str(s.pk), _title(s)) for s in spaces.order_by("center__name", "name", "id")]


def register() -> None:
    package_sources.register("space", check=check, describe=describe, users=users, choices=choices)
