"""What the partners' services share: dates, amounts and choices as typed, who runs a
partner, whether a partnership is still active."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from dangqun.core.errors import ValidationFailed
from dangqun.core.schemas import FIRST_DAY, LAST_DAY
from dangqun.core.text import clean_text
from dangqun.people import access

from ..models import Partner

# --- shared checks ----------------------------------------------------------------------------


def typed_day(value, *, field: str, required: bool = True) -> date | None:
    """A date as given (a date or YYYY-MM-DD text) within the platform's range of dates."""
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), field=field)
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), field=field) from None
    if not isinstance(value, date) or not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationFailed(
            _("Enter a date from %(first)s to %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
            field=field,
        )
    return value


def _amount(value, *, field: str, places: int, maximum: Decimal, positive: bool = False):
    """A Decimal of at most `places` decimals, 0 (or more than 0) up to `maximum`."""
    if value in (None, ""):
        value = "0"
    if isinstance(value, bool | float):
        value = str(value)
    try:
        number = Decimal(str(value).strip()[:40])
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise ValidationFailed(_("Enter a number."), field=field)
    if number < 0:
        raise ValidationFailed(_("A pledge or an amount cannot be negative."), field=field)
    if positive and number == 0:
        raise ValidationFailed(_("Enter an amount above zero."), field=field)
    if number > maximum:
        raise ValidationFailed(_("At most %(n)s.") % {"n": f"{maximum:,}"}, field=field)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed(_("At most %(n)d decimal places.") % {"n": places}, field=field)
    return number.quantize(Decimal(1).scaleb(-places))


def _choice(value, choices, *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("Choose from the list."), field=field)
    return value


def _names(data: dict) -> dict:
    return {
        "name": clean_text(data.get("name"), field="name", max_length=120, required=True),
        "name_en": clean_text(data.get("name_en"), field="name_en", max_length=120),
    }


def require_manager(actor, partner: Partner) -> None:
    """Staff whose region covers the partner's; anyone else the same 404 as a missing one."""
    access.require(actor, access.MANAGERS, partner)


def may_manage(actor, partner: Partner) -> bool:
    return access.covers(actor, partner.region, roles=access.MANAGERS)


def _active(partner: Partner, *, field: str = "partner") -> None:
    """The partnership is still active (read from the database, not a caller's copy)."""
    if not Partner.objects.filter(pk=partner.pk, status=Partner.Status.ACTIVE).exists():
        raise ValidationFailed(_("This partnership has ended."), field=field)
