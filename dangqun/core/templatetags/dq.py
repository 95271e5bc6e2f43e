"""Template filters of the project: bilingual names, money, areas, masking."""

from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def loc(obj, field: str = "name") -> str:
    """The English variant of a field (field_en) when English is shown and it is filled."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")


@register.filter
def cny(amount) -> str:
    """Yuan with two decimals and comma grouping, as Chinese banks and receipts write it."""
    if amount in (None, ""):
        return ""
    shown = numberformat.format(
        Decimal(amount), ".", decimal_pos=2, grouping=3, thousand_sep=",", force_grouping=True
    )
    return f"¥{shown}"


@register.filter
def area(value) -> str:
    if value in (None, ""):
        return ""
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 1
    shown = number_format(value, decimal_pos=places, force_grouping=True)
    return _("%(area)s m²") % {"area": shown}
