"""Template filters of the registry's pages."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def distance(metres) -> str:
    """A distance as people say it: metres below a kilometre, else kilometres to 0.1."""
    if metres in (None, ""):
        return ""
    metres = int(metres)
    if metres < 1000:
        return _("%(n)s m") % {"n": metres}
    return _("%(n)s km") % {"n": number_format(round(metres / 1000, 1), decimal_pos=1)}
