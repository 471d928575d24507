"""Masking personal data: pure functions (no Django), used by `core.pii` (fields, templates,
the API) and by the public pages' stricter masking (`transparency.domain.masking`)."""

from __future__ import annotations

import re


def mask_phone(value: str | None) -> str:
    """138****5678; short numbers keep only their last two digits."""
    if not value:
        return ""
    digits = re.sub(r"\s+", "", value)
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)


def mask_id_number(value: str | None) -> str:
    """320502**********1234: region code and last four, the birth date hidden."""
    if not value:
        return ""
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}**********{value[-4:]}"


def mask_address(value: str | None) -> str:
    """Keep the estate and building, hide unit and room: 观景新村25幢**单元***室."""
    if not value:
        return ""
    match = re.match(r"^(.*?\d+\s*(?:幢|栋|号楼|号))", value)
    if match:
        return f"{match.group(1)}****"
    keep = max(len(value) // 2, 1)
    return value[:keep] + "****"


def mask_text(value: str | None) -> str:
    if not value:
        return ""
    return value[:1] + "*" * min(len(value) - 1, 6)


# Numbers typed into free text (a case's title and description, notes, results). Each
# pattern stands alone: not part of a longer run of digits ("TEL139…" is still masked).
_FREE_TEXT_NUMBERS = re.compile(
    r"(?<!\d)(?:"
    r"(?P<id>[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])"
    r"|(?P<card>(?:\d[ -]?){15,18}\d)"
    r"|(?P<mobile>(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2})"
    r"|(?P<landline>0\d{2,3}[ -]?[2-9]\d{6,7})"
    r")(?!\d)",
    re.ASCII,
)


# Full-width digits, signs and X read as their ASCII forms (one character for one).
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋－Ｘｘ\u3000", "0123456789+-Xx ")


def _mask_number(kind: str | None, found: str) -> str:
    digits = re.sub(r"[^0-9Xx]", "", found)
    if kind == "id":
        return mask_id_number(digits)
    if kind == "mobile":
        return mask_phone(digits[-11:])
    return "*" * (len(digits) - 4) + digits[-4:]  # a landline or a card: its last four


def mask_free_text(value: str | None) -> str:
    """Mask phone, ID and card numbers typed into free text, keeping the rest as typed:
    "电话13912345678" → "电话139****5678". Pure; used by templates (`pii_text`), the API and
    Open311. See docs/security.md, "Public codes and public text"."""
    if not value:
        return ""
    normal = value.translate(_HALF_WIDTH)  # same length: spans in it are spans in value
    parts, last = [], 0
    for match in _FREE_TEXT_NUMBERS.finditer(normal):
        parts += [value[last : match.start()], _mask_number(match.lastgroup, match.group(0))]
        last = match.end()
    parts.append(value[last:])
    return "".join(parts)
