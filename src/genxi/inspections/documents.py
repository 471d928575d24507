"""The printed rectification notice (整改通知单): a PDF in Chinese through `core.pdf`."""

from __future__ import annotations

import base64

from django.utils import timezone

from genxi.core import pdf

from . import selectors
from .models import Notice


def notice_pdf(notice: Notice) -> bytes:
    inspection = notice.inspection
    signature = ""
    if inspection.ack_signature:
        with inspection.ack_signature.open("rb") as f:
            signature = "data:image/png;base64," + base64.b64encode(f.read()).decode()
    return pdf.render(
        "inspections/pdf/notice.html",
        {
            "notice": notice,
            "round": inspection.round,
            "inspection": inspection,
            "items": list(selectors.notice_items(notice)),
            "due_on": notice.due_on,
            "issued_on": timezone.localtime(notice.created_at).date(),
            "inspection_date": (
                timezone.localtime(inspection.done_at).date() if inspection.done_at else ""
            ),
            "inspector": inspection.inspector or "",
            "signature": signature,
        },
    )
