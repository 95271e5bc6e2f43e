"""Writes of partners: a partnership (its centers within its region, its contact), its end,
agreements and what they pledge, receipts of money or goods with evidence, sub-brands and
their logos, brands and the sub-brands under them, and the merge of two partners (a
partner "from old data" into the real one). Every write is audited; every refusal names
the field.

Who may write: staff (district, street, center) whose region covers the partner's region
(access.require on the partner); a sub-brand also the staff of its center's region; a
brand the staff of its region."""

from .brands import (
    brand_create,
    brand_update,
    sub_brand_create,
    sub_brand_end,
    sub_brand_set_logo,
    sub_brand_update,
)
from .common import may_manage, require_manager
from .partners import (
    partner_create,
    partner_end,
    partner_merge,
    partner_reveal_contact,
    partner_update,
)
from .pledges import agreement_create, agreement_update, receipt_create

__all__ = [
    "agreement_create",
    "agreement_update",
    "brand_create",
    "brand_update",
    "may_manage",
    "partner_create",
    "partner_end",
    "partner_merge",
    "partner_reveal_contact",
    "partner_update",
    "receipt_create",
    "require_manager",
    "sub_brand_create",
    "sub_brand_end",
    "sub_brand_set_logo",
    "sub_brand_update",
]
