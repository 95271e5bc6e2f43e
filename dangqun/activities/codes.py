"""Check-in codes. A registration's personal QR code is a signed token (not guessable, not
forgeable, bound to its activity); its short code is six letters staff can type. The door
QR code of a session rotates: a token signed with the time, valid for a few minutes."""

from django.core import signing
from django.utils.translation import gettext as _

from dangqun.core import codes
from dangqun.core.codes import qr_svg as qr_svg  # the one QR maker, re-exported
from dangqun.core.errors import ValidationFailed

from .models import ActivitySession, Registration

PERSONAL_SALT = "dangqun.activities.checkin"
DOOR_SALT = "dangqun.activities.door"
FEED_SALT = "dangqun.activities.feed"
DOOR_TOKEN_SECONDS = 120  # a photo of the door code stops working within two minutes


def personal_token(registration: Registration) -> str:
    # No timestamp: the same registration always shows the same (shorter, sparser) QR code.
    return signing.Signer(salt=PERSONAL_SALT).sign_object(
        {"r": str(registration.public_id), "a": str(registration.activity.public_id)},
        compress=True,
    )


def registration_from_token(token: str) -> Registration | None:
    try:
        data = signing.Signer(salt=PERSONAL_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return (
        Registration.objects.select_related("activity", "person")
        .filter(public_id=data.get("r"), activity__public_id=data.get("a"))
        .first()
    )


def token_of_scan(text: str) -> str:
    """The token a scanned personal QR code holds: the code is the address of the staff's
    check-in page, whose last part is the token; a bare token will do as well."""
    return (text or "").strip().rstrip("/").rsplit("/", 1)[-1]


def registration_from_photo(session: ActivitySession, upload, *, field: str = "photo"):
    """The registration of `session`'s activity whose personal QR code is in the photo (a
    phone whose browser cannot read codes takes one); a clear error on `field` otherwise."""
    texts = codes.qr_texts_from_photo(upload, field=field)
    found = [r for r in (registration_from_token(token_of_scan(t)) for t in texts) if r]
    if not found:
        raise ValidationFailed(
            _("This QR code is not a check-in code of this platform."), field=field
        )
    ours = [r for r in found if r.activity_id == session.activity_id]
    if not ours:
        raise ValidationFailed(_("This code belongs to another activity."), field=field)
    return ours[0]


def registration_from_short_code(session: ActivitySession, code: str) -> Registration | None:
    code = (code or "").strip().upper().replace(" ", "")
    return (
        Registration.objects.select_related("activity", "person")
        .filter(activity_id=session.activity_id, short_code=code)
        .first()
    )


def door_token(session: ActivitySession) -> str:
    return signing.TimestampSigner(salt=DOOR_SALT).sign(str(session.pk))


def session_from_door_token(token: str) -> ActivitySession | None:
    try:
        session_id = signing.TimestampSigner(salt=DOOR_SALT).unsign(
            token, max_age=DOOR_TOKEN_SECONDS
        )
    except signing.BadSignature:  # forged, or expired (SignatureExpired is a BadSignature)
        return None
    return ActivitySession.objects.select_related("activity").filter(pk=session_id).first()


def feed_token(person) -> str:
    return codes.feed_token(person, salt=FEED_SALT)


def person_id_from_feed(token: str) -> str | None:
    return codes.person_id_from_feed(token, salt=FEED_SALT)
