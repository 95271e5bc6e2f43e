"""The door pass of a confirmed booking: a signed token in a URL, shown as a QR code.
Signed, so it cannot be guessed or forged; it carries the booking's public id only."""

from django.core import signing
from django.urls import reverse

from dangqun.core import codes
from dangqun.core.codes import qr_svg as qr_svg  # the one QR maker, re-exported

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


def feed_token(person) -> str:
    return codes.feed_token(person, salt=FEED_SALT)


def person_id_from_feed(token: str) -> str | None:
    return codes.person_id_from_feed(token, salt=FEED_SALT)
