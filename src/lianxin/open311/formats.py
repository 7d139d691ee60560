"""GeoReport v2 bodies in JSON and XML, and its error format.

The spec gives every response in both formats with the same field names: a JSON array of
objects (the service definition is one object), or an XML root element holding one element
per row (``<services><service>``, ``<service_requests><request>``, ``<errors><error>``). XML is
built with ``xml.etree`` (it escapes ``<``, ``&`` and quotes); characters XML 1.0 cannot hold
at all (control characters a caller may have typed) are dropped rather than breaking the
document. Booleans are ``true``/``false``, a missing value an empty element, as in the spec's
examples.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = ("json", "xml")
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# Nested lists in a row and the element name of each of their items.
XML_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, row: Mapping[str, Any]) -> None:
    for key, value in row.items():
        child = ET.SubElement(element, key)
        if isinstance(value, Sequence) and not isinstance(value, str):
            item_name = XML_ITEMS.get(key, "item")
            for item in value:
                sub = ET.SubElement(child, item_name)
                if isinstance(item, Mapping):
                    _fill(sub, item)
                else:
                    sub.text = xml_text(item)
        elif isinstance(value, Mapping):
            _fill(child, value)
        else:
            child.text = xml_text(value)


def xml_document(root: str, item: str | None, rows: Sequence[Mapping[str, Any]]) -> bytes:
    """``<root><item>…</item>…</root>``; with ``item`` None the one row fills the root."""
    top = ET.Element(root)
    if item is None:
        for row in rows:
            _fill(top, row)
    else:
        for row in rows:
            _fill(ET.SubElement(top, item), row)
    # The spec asks for the declaration with encoding="UTF-8" before the root element.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding="utf-8")


def render(
    fmt: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    root: str,
    item: str | None,
    status: int = 200,
) -> HttpResponse:
    """The rows in ``fmt``. ``item`` None: a single object (JSON object, XML root filled)."""
    if fmt == "xml":
        return HttpResponse(xml_document(root, item, rows), content_type=XML_TYPE, status=status)
    data: Any = rows[0] if item is None and rows else list(rows)
    body = json.dumps(data, ensure_ascii=False, default=str)
    return HttpResponse(body, content_type=JSON_TYPE, status=status)


def render_error(fmt: str, code: int, *descriptions: str) -> HttpResponse:
    """The spec's error body: ``[{"code": 400, "description": "…"}]`` or
    ``<errors><error><code>400</code><description>…</description></error></errors>``; the HTTP
    status is the code."""
    rows = [{"code": code, "description": d} for d in descriptions]
    return render(fmt if fmt in FORMATS else "json", rows, root="errors", item="error", status=code)
