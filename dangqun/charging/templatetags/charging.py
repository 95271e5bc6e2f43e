"""{% room_live room %}: a charging room's live block (slots, the rider's hold, buttons),
refreshed by htmx every 15 seconds. Used by the station's page and the room's page."""

from django import template
from django.template.loader import render_to_string

from .. import views

register = template.Library()


@register.simple_tag(takes_context=True)
def room_live(context, room):
    request = context["request"]
    back = context.get("charging_back") or request.get_full_path()
    return render_to_string(
        "charging/_room_live.html", views.live_context(request, room, back), request=request
    )
