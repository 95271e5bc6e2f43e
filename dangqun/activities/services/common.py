"""What every part of the activities' services shares: the staff check of a write and
the short codes people read aloud."""

import secrets

from dangqun.people import access

from ..models import Activity

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter


def require_staff(actor, activity: Activity) -> None:
    """The actor runs the activity's center (district, street or center staff)."""
    access.require(actor, access.MANAGERS, activity.center)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
