"""The yearly volunteer certificate (志愿服务证书): a PDF in Chinese through `core.pdf`."""

from __future__ import annotations

from django.utils import timezone

from genxi.core import pdf

from .selectors import Year


def certificate_pdf(found: Year) -> bytes:
    pioneer = found.pioneer
    community = pioneer.grid.parent if pioneer.grid.parent_id else pioneer.grid
    return pdf.render(
        "volunteering/pdf/certificate.html",
        {
            "pioneer": pioneer,
            "year": found.year,
            "tally": found.tally,
            "sources": found.sources(),
            "kinds_of_service": found.kinds_of_service,
            "community": community,
            "street": community.parent if community and community.parent_id else None,
            "issued_on": timezone.localdate(),
        },
    )
