"""`{{ booking.start|wall|date:"Y-m-d H:i" }}`: a booking's time on Shanghai's clock, as
bookings.times shows it (a row stored beyond what +08:00 can show is shown in UTC rather
than breaking the page)."""

from django import template

from dangqun.bookings import times

register = template.Library()


@register.filter
def wall(moment):
    return times.wall(moment)
