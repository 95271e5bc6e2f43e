"""Signed codes shared by every capability: inline QR codes, and the private feed
addresses of a person (each capability signs with its own salt, so a bookings feed
address opens no activities feed)."""

import segno
from django.core import signing
from django.utils.translation import gettext as _

from .errors import ValidationFailed


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


# A photo of a QR code, taken where the browser cannot read codes with the camera itself
# (iPhone Safari, WeChat): the server reads it. Phones' photos are a few MB; the pixel limit
# refuses a small file that would unpack into a huge image.
QR_PHOTO_MAX_BYTES = 10 * 1024 * 1024
QR_PHOTO_MAX_PIXELS = 50_000_000
QR_PHOTO_SIDE = 2400  # read at most this wide or high: enough for a code that fills a third


def qr_texts_from_photo(upload, *, field: str = "photo") -> list[str]:
    """The texts of the QR codes in an uploaded photo; a clear error on `field` for no
    file, a file too large, one that is not a picture, or a picture with no readable code."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    size = getattr(upload, "size", None)
    if not size:
        raise ValidationFailed(_("Take or choose a photo of the QR code."), field=field)
    if size > QR_PHOTO_MAX_BYTES:
        raise ValidationFailed(
            _("The photo may be at most %(mb)d MB.") % {"mb": QR_PHOTO_MAX_BYTES // 2**20},
            field=field,
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > QR_PHOTO_MAX_PIXELS:
                raise ValidationFailed(_("The photo has too many pixels."), field=field)
            image.draft("L", (QR_PHOTO_SIDE, QR_PHOTO_SIDE))  # a JPEG is read smaller, fast
            picture = image.convert("L")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed(
            _("This file is not a photo. Take a photo of the QR code (JPEG or PNG)."),
            field=field,
        ) from None
    picture.thumbnail((QR_PHOTO_SIDE, QR_PHOTO_SIDE))
    found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    texts = [code.text for code in found if code.valid and code.text]
    if not texts:
        raise ValidationFailed(
            _(
                "No QR code could be read in this photo. Hold the phone steady so that the "
                "code fills much of the picture, and try again."
            ),
            field=field,
        )
    return texts
