"""Stations for the riders' tests, made through the model (which fills the index cells)."""

from decimal import Decimal

from dangqun.core import hours
from dangqun.riders.models import Station

CANGQIAN = (30.2935, 119.9898)


def station(region, *, lat, lng, name="驿站", amenities=("rest", "water"), week=None, **extra):
    return Station.objects.create(
        name=name,
        region=region,
        latitude=Decimal(f"{lat:.6f}"),
        longitude=Decimal(f"{lng:.6f}"),
        amenities=list(amenities),
        opening_hours=week or [hours.ALL_DAY] * 7,
        **extra,
    )


def east_of(origin, metres: float) -> tuple[float, float]:
    """A point `metres` due east of origin (close enough for tests of a few km)."""
    import math

    lat, lng = origin
    return lat, lng + metres / (111_320 * math.cos(math.radians(lat)))
