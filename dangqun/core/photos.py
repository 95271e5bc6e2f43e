"""Uploaded photos (of centers, spaces, activities): the content, not the file's name,
decides what a file is."""

from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def checked_photo(upload, *, field: str = "photo") -> tuple[str, object]:
    """Open the upload with Pillow; returns the file extension to store it under and the
    upload, rewound. A file that is not a JPEG, PNG or WebP photo is refused on `field`."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationFailed(_("The photo may be at most 5 MB."), field=field)
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        kind = None
    if kind not in PHOTO_FORMATS:
        raise ValidationFailed(_("Upload a photo in JPEG, PNG or WebP format."), field=field)
    upload.seek(0)
    return PHOTO_FORMATS[kind], upload
