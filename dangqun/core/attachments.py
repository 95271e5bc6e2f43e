"""Files that come with a request or a record (intake's attachments, volunteers' evidence):
photos (JPEG, PNG, WebP) and PDF documents. The content, not the name, decides what a file
is; they are stored under var/attachments, outside any web root, and served only through a
view that checks who asks."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from . import photos
from .errors import ValidationFailed

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


class AttachmentStorage(FileSystemStorage):
    """The folder follows settings.VAR_DIR when it changes (the tests give each run its own)."""

    @property
    def base_location(self):
        return settings.VAR_DIR / "attachments"

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def _limit() -> int:
    return settings.ATTACHMENT_MAX_BYTES


def _is_pdf(upload) -> bool:
    upload.seek(0)
    head = upload.read(1024)
    if not head.startswith(b"%PDF-"):
        return False
    size = upload.size
    upload.seek(max(0, size - 2048))
    tail = upload.read()
    upload.seek(0)
    return b"%%EOF" in tail


def checked_attachment(upload, *, field: str = "attachments") -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; refuses anything else on `field`."""
    size = getattr(upload, "size", None)
    if size is None or size <= 0:
        raise ValidationFailed(_("The file is empty."), field=field)
    if size > _limit():
        raise ValidationFailed(
            _("A file may be at most %(mb)d MB.") % {"mb": _limit() // (1024 * 1024)},
            field=field,
        )
    if _is_pdf(upload):
        return "pdf", CONTENT_TYPES["pdf"]
    upload.seek(0)
    try:
        extension, _upload = photos.checked_photo(upload, field=field)
    except ValidationFailed:
        raise ValidationFailed(
            _("Attach photos (JPEG, PNG, WebP) or PDF documents only."), field=field
        ) from None
    return extension, CONTENT_TYPES[extension]


def safe_name(name: str) -> str:
    name = (name or "").replace("\x00", "").replace("/", "_").replace("\\", "_").strip()
    return name[-120:] or "file"
