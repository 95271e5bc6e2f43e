"""The door pass of a confirmed booking: a signed token in a URL, shown as a QR code.
Signed, so it cannot be guessed or forged; it carries the booking's public id only."""

import segno
from django.core import signing
from django.urls import reverse

from .models import Booking

SALT = "dangqun.bookings.pass"
FEED_SALT = "dangqun.bookings.feed"


def pass_token(booking: Booking) -> str:
    return signing.dumps(str(booking.public_id), salt=SALT, compress=True)


def pass_path(booking: Booking) -> str:
    return reverse("bookings:door_pass", args=[pass_token(booking)])


def booking_from_pass(token: str) -> Booking | None:
    try:
        public_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return (
        Booking.objects.select_related("space__center", "booker")
        .filter(public_id=public_id)
        .first()
    )


def qr_svg(url: str) -> str:
    """An inline SVG QR code; no image request, nothing from elsewhere."""
    return segno.make(url, error="m").svg_inline(scale=5, border=2)


def feed_token(person) -> str:
    return signing.dumps(str(person.public_id), salt=FEED_SALT, compress=True)


def person_id_from_feed(token: str) -> str | None:
    try:
        return signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
