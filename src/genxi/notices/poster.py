"""The notice's A4 poster for stairwell boards (core/pdf.py): the title and text in large
print, the validity period, and a QR code (segno, an inline PNG) to the public page with
the signed scan mark, so that views through the poster are counted."""

from __future__ import annotations

import segno
from django.utils import timezone

from genxi.core import pdf

from .models import Announcement


def qr_png_uri(url: str) -> str:
    """The QR code of `url` as a data: URI (PNG, 10 px a module, the quiet zone of 4)."""
    uri: str = segno.make(url, error="m").png_data_uri(scale=10, border=4)
    return uri


def poster_pdf(notice: Announcement, url: str, buildings: list[str]) -> bytes:
    return pdf.render(
        "notices/poster.html",
        {
            "notice": notice,
            "url": url,
            "qr": qr_png_uri(url),
            "buildings": buildings,
            "printed": timezone.localdate(),
        },
    )
