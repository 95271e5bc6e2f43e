"""Writes of activities, by sub-topic: the activity itself (`activity`), sign-ups and the
waiting list (`registration`), check-in (`checkin`) and walk-ins at the door (`door`). Other
apps, the bench and the tests call them through this package, as
`from dangqun.activities import services; services.registration_create(...)`."""

from ..errors import AlreadyRegistered, NotEligible
from .activity import (
    COPY_DAYS,
    activity_cancel,
    activity_copy,
    activity_finish,
    activity_publish,
    activity_set_sessions,
    exhibition_day_set,
)
from .checkin import CHECK_IN_OPENS, check_in, check_out
from .common import CODE_ALPHABET
from .door import door_refusal, walk_in, walk_in_at_the_door, walk_in_register
from .owned import (
    owned_activity_cancel,
    owned_activity_open,
    registration_transfer,
    sign_up_gate_register,
)
from .registration import (
    fill_free_places,
    offer_accept,
    offer_expire,
    registration_cancel,
    registration_create,
)

__all__ = [
    "CHECK_IN_OPENS",
    "CODE_ALPHABET",
    "COPY_DAYS",
    "AlreadyRegistered",
    "NotEligible",
    "activity_cancel",
    "activity_copy",
    "activity_finish",
    "activity_publish",
    "activity_set_sessions",
    "check_in",
    "check_out",
    "exhibition_day_set",
    "fill_free_places",
    "offer_accept",
    "offer_expire",
    "registration_cancel",
    "registration_create",
    "door_refusal",
    "owned_activity_cancel",
    "owned_activity_open",
    "registration_transfer",
    "sign_up_gate_register",
    "walk_in",
    "walk_in_at_the_door",
    "walk_in_register",
]
