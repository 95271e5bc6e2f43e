"""Template filters of volunteering: hours as shown (half-hour steps, rounded down)."""

from django import template

from dangqun.volunteers import rules

register = template.Library()


@register.filter
def half_hours(minutes) -> str:
    """Stored minutes as the hours shown: 190 -> "3", 210 -> "3.5"."""
    return f"{rules.half_hours(int(minutes or 0)):g}"
