"""Writes of volunteers, by sub-topic: teams and members (`teams`), tasks, shifts, swaps and
check-in (`shifts`), the hours ledger (`ledger`), time-bank points (`points`) and
certificates (`certificates`). Pages, the API, the worker and the demo call them here."""

from . import ledger
from .certificates import (
    certificate_revoke,
    certificate_to_print,
    service_certificate_issue,
    training_certificates_issue,
)
from .ledger import (
    correction_answer,
    correction_request,
    entry_correct,
    honour_decide,
    honour_enter,
    missed_check_out_confirm,
    shift_close,
    shift_close_now,
    shifts_close,
)
from .points import points_expire, points_expire_all, redeem, reward_item_save
from .shifts import (
    self_check_out_open,
    shift_assign,
    shift_cancel,
    shift_check_in,
    shift_check_out,
    shift_check_out_self,
    shift_open,
    shift_sign_up,
    shift_withdraw,
    swap_answer,
    swap_offer,
    task_create,
)
from .teams import (
    leader_set,
    member_add,
    membership_decide,
    riders_team_set,
    team_create,
    team_join,
    team_leave,
)

__all__ = [
    "ledger",
    "certificate_revoke",
    "certificate_to_print",
    "correction_answer",
    "correction_request",
    "entry_correct",
    "honour_decide",
    "honour_enter",
    "leader_set",
    "member_add",
    "membership_decide",
    "missed_check_out_confirm",
    "points_expire",
    "points_expire_all",
    "redeem",
    "reward_item_save",
    "riders_team_set",
    "self_check_out_open",
    "service_certificate_issue",
    "shift_assign",
    "shift_cancel",
    "shift_check_in",
    "shift_check_out",
    "shift_check_out_self",
    "shift_close",
    "shift_close_now",
    "shift_open",
    "shift_sign_up",
    "shift_withdraw",
    "shifts_close",
    "swap_answer",
    "swap_offer",
    "task_create",
    "team_create",
    "team_join",
    "team_leave",
    "training_certificates_issue",
]
