"""`{{ value|page_json:"element-id" }}`: like Django's json_script, a
<script type="application/json"> element, but with Chinese (and every other character) as
itself rather than \\uXXXX, so the page stays readable and smaller. <, > and & are still
escaped, so the data can never close the script element or open a comment."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def dumps(value) -> str:
    """The JSON text, real characters kept, <, > and & escaped."""
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)


@register.filter(is_safe=True)
def page_json(value, element_id):
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(dumps(value))
    )


@register.simple_tag
def map_config(element_id="map-config"):
    """The maps' shared configuration (tiles, their coordinate system, Leaflet's own words
    in the page's language) as a page_json element, read by static/core/map.js."""
    from dangqun.core import geo

    return page_json(geo.map_config(), element_id)
