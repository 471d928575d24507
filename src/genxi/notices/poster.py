"""The notice's A4 poster for stairwell boards (core/pdf.py): the title and text in large
print, the validity period, and a QR code (segno, an inline PNG) to the public page with
the signed scan mark, so that views through the poster are counted; the first two pictures
of the notice under the text."""

from __future__ import annotations

import base64

import segno
from django.utils import timezone

from genxi.core import pdf

from .models import Announcement


def qr_png_uri(url: str) -> str:
    """The QR code of `url` as a data: URI (PNG, 10 px a module, the quiet zone of 4)."""
    uri: str = segno.make(url, error="m").png_data_uri(scale=10, border=4)
    return uri


POSTER_PICTURES = 2  # an A4 sheet holds the text, two pictures and the QR code


def picture_uris(notice: Announcement) -> list[tuple[str, str]]:
    """The notice's first pictures as data: URIs with their captions (read through the
    storage, so the poster prints from object storage as from a disk)."""
    found = []
    for picture in notice.images.all()[:POSTER_PICTURES]:
        with picture.image.open("rb") as handle:
            data = base64.b64encode(handle.read()).decode("ascii")
        found.append((f"data:image/jpeg;base64,{data}", picture.caption))
    return found


def poster_pdf(notice: Announcement, url: str, buildings: list[str]) -> bytes:
    return pdf.render(
        "notices/poster.html",
        {
            "notice": notice,
            "url": url,
            "qr": qr_png_uri(url),
            "pictures": picture_uris(notice),
            "buildings": buildings,
            "printed": timezone.localdate(),
        },
    )
