"""Open311 GeoReport v2 answers in XML or JSON, errors included, in the spec's shapes."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse

from genxi.core.text import xml_safe

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element that wraps each item of a list, by the list's root element.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "keywords": "keyword",
}


def _xml(name: str, value: Any) -> str:
    if value is None:
        return f"<{name}/>" if name not in ITEM else f"<{name}></{name}>"
    if isinstance(value, bool):
        return f"<{name}>{'true' if value else 'false'}</{name}>"
    if isinstance(value, dict):
        inner = "".join(_xml(k, v) for k, v in value.items())
        return f"<{name}>{inner}</{name}>"
    if isinstance(value, list):
        item = ITEM.get(name, "item")
        return f"<{name}>{''.join(_xml(item, v) for v in value)}</{name}>"
    # Whatever is stored, the document stays well-formed: drop what XML 1.0 cannot hold.
    return f"<{name}>{escape(xml_safe(str(value)))}</{name}>"


def respond(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    """`payload` is a list (a list of `root` items) or a dict (one `root` element)."""
    if fmt == "xml":
        body = '<?xml version="1.0" encoding="utf-8"?>' + _xml(root, payload)
    else:
        body = json.dumps(payload, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type=FORMATS[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error(fmt: str, status: int, description: str) -> HttpResponse:
    fmt = fmt if fmt in FORMATS else "json"
    return respond(fmt, "errors", [{"code": status, "description": description}], status)
