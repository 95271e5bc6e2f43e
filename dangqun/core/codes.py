"""Signed codes shared by every capability: inline QR codes, and the private feed
addresses of a person (each capability signs with its own salt, so a bookings feed
address opens no activities feed)."""

import segno
from django.core import signing


def qr_svg(content: str) -> str:
    """An inline SVG QR code; no image request, nothing from elsewhere."""
    return segno.make(content, error="m").svg_inline(scale=5, border=2)


def feed_token(person, *, salt: str) -> str:
    return signing.dumps(str(person.public_id), salt=salt, compress=True)


def person_id_from_feed(token: str, *, salt: str) -> str | None:
    try:
        return signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
