"""The numbers of the volunteer rules (settings.VOLUNTEERS, README "Volunteers"), read in one
place: how much of a shift counts, the stars, the points, the cut-off."""

from datetime import timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")


def _rules() -> dict:
    return settings.VOLUNTEERS


def credit_min_share() -> float:
    return float(_rules()["CREDIT_MIN_SHARE"])


def star_hours() -> list[int]:
    return sorted(int(h) for h in _rules()["STAR_HOURS"])


def stars_for(minutes: int) -> int:
    """0 to 5: how many star thresholds the hours have reached."""
    return sum(1 for hours in star_hours() if minutes >= hours * 60)


def next_star(minutes: int) -> int | None:
    """Hours of the next star, or None at five stars."""
    return next((h for h in star_hours() if minutes < h * 60), None)


def points_rate(kind: str) -> Decimal:
    key = "POINTS_PER_CREDIT_HOUR" if kind == "credit" else "POINTS_PER_HONOUR_HOUR"
    return Decimal(str(_rules()[key]))


def points_for(kind: str, minutes: int) -> Decimal:
    return (Decimal(minutes) * points_rate(kind) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def points_expire_after() -> timedelta | None:
    days = _rules()["POINTS_EXPIRE_DAYS"]
    return timedelta(days=int(days)) if days else None


def cancel_cutoff() -> timedelta:
    return timedelta(hours=int(_rules()["CANCEL_CUTOFF_HOURS"]))


def half_hours(minutes: int) -> Decimal:
    """Hours shown in steps of half an hour, rounded down (never more than was served)."""
    halves = (Decimal(minutes) / 30).to_integral_value(rounding=ROUND_DOWN)
    return halves / 2
