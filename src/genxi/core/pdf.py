"""PDFs for every app: a template rendered to A4 by WeasyPrint, in the Noto CJK fonts.

Every printed thing (a rectification notice, a volunteer certificate, a monthly report, a
stairwell poster) is an HTML template extending `core/pdf/base.html` and made here, so that
the fonts, the page size and the safety rules are set once:

- WeasyPrint fetches nothing from the network or the disk: images and charts come inline
  (`data:` URIs, inline SVG); any other URL in a template is refused (`fetcher()`).
- The text is real text (not an image), so a test reads it back with `core.pdf.text()`.

`pdf_response()` answers a download with a filename in Chinese (RFC 5987).
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string

PDF = "application/pdf"


def fetcher() -> Any:
    """WeasyPrint's URL fetcher for genxi: only inline `data:` URIs, never the network or the
    file system (a template that names another URL gets nothing for it)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def render(template: str, context: dict[str, Any] | None = None) -> bytes:
    """The PDF of `template` (extending core/pdf/base.html) with `context`."""
    return from_html(render_to_string(template, context or {}))


def from_html(html: str) -> bytes:
    """The PDF of a whole HTML page (rendered from a template extending core/pdf/base.html)."""
    from weasyprint import HTML  # imported when a PDF is made: it takes half a second

    pdf: bytes = HTML(string=html, url_fetcher=fetcher(), base_url=None).write_pdf()
    return pdf


def text(pdf: bytes) -> str:
    """The text a PDF carries, page after page (for tests and for checks)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """A PDF download; `inline` opens it in the browser (to print), else it saves."""
    response = HttpResponse(pdf, content_type=PDF)
    how = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{how}; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
