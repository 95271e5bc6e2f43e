"""{% workdays_reminder %}: on the back office's home, tells a district admin when next
year's official holidays are still missing (deadlines running into it are estimated)."""

from django import template
from django.utils import timezone

from dangqun.workdays import selectors, services

register = template.Library()


def _today():
    return timezone.localdate()


@register.inclusion_tag("workdays/_reminder.html", takes_context=True)
def workdays_reminder(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not services.may_edit(user):
        return {"year": None}
    today = _today()
    # The State Council announces next year's arrangement in the autumn; remind from October.
    years = [today.year] + ([today.year + 1] if today.month >= 10 else [])
    missing = [y for y in years if selectors.is_estimated(y)]
    return {"year": missing[0] if missing else None}
