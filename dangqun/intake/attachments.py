"""Files that come with a request: the shared rules of core.attachments (what a file is,
how large), and how many one request may carry."""

from django.conf import settings
from django.utils.translation import gettext as _

from dangqun.core.attachments import CONTENT_TYPES, checked_attachment, safe_name
from dangqun.core.errors import ValidationFailed

__all__ = ["CONTENT_TYPES", "checked_attachment", "checked_attachments", "safe_name"]


def checked_attachments(uploads, *, field: str = "attachments") -> list[tuple[object, str, str]]:
    uploads = [upload for upload in uploads or () if upload]
    most = settings.INTAKE["ATTACHMENTS_PER_REQUEST"]
    if len(uploads) > most:
        raise ValidationFailed(_("At most %(n)d files.") % {"n": most}, field=field)
    return [(upload, *checked_attachment(upload, field=field)) for upload in uploads]
