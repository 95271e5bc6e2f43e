"""Open311 GeoReport v2 responses: the same data as JSON or as XML with the
specification's element names, and errors as a list of {code, description}."""

import json
import re
import xml.etree.ElementTree as ET

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# The root element and the element of each list entry, per resource.
SERVICES = ("services", "service")
REQUESTS = ("service_requests", "request")
ERRORS = ("errors", "error")
DISCOVERY = "discovery"
DEFINITION = "service_definition"
# Nested lists inside an entry: list element -> its entries' element.
NESTED = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


# What no XML 1.0 document may hold (and no UTF-8 encoder writes): the control characters
# other than tab, newline and carriage return, lone surrogates and U+FFFE, U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """The text without what no XML document (or UTF-8 JSON) holds: nothing stored may
    make an answer ill-formed, whatever a row kept from before the text rule holds."""
    return _NOT_IN_XML.sub("", text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return printable(str(value))


def _clean(data):
    """Every string of a JSON answer (and every key) made printable."""
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, list):
        return [_clean(item) for item in data]
    if isinstance(data, dict):
        return {_clean(key): _clean(value) for key, value in data.items()}
    return data


def _fill(element: ET.Element, data: dict) -> None:
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, dict):
            _fill(child, value)
        elif isinstance(value, list):
            entry = NESTED.get(key, "item")
            for item in value:
                sub = ET.SubElement(child, entry)
                if isinstance(item, dict):
                    _fill(sub, item)
                else:
                    sub.text = _text(item)
        else:
            child.text = _text(value)


def to_xml(data, root: str | tuple[str, str]) -> bytes:
    """A list under (root, entry) or a dict under root, with the XML declaration."""
    if isinstance(root, tuple):
        top = ET.Element(root[0])
        for item in data:
            _fill(ET.SubElement(top, root[1]), item)
    else:
        top = ET.Element(root)
        _fill(top, data)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


def respond(data, fmt: str, root, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(data, root), content_type=XML_TYPE, status=status)
    body = json.dumps(_clean(data), ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), content_type=JSON_TYPE, status=status)


def error(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The specification's error list; `code` is the HTTP status, as in its examples."""
    items = [{"code": status, "description": str(d)} for d in descriptions]
    return respond(items, fmt, ERRORS, status=status)
