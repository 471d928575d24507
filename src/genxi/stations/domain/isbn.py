"""ISBNs as typed or scanned: ISBN-10 or ISBN-13, with or without hyphens and spaces,
checked by their check digit and kept as the 13 digits (a barcode's EAN-13)."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-‐‑–—]")


class IsbnError(ValueError):
    """Not an ISBN: wrong length, a stray character, or a check digit that does not match."""


def check_digit_13(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def check_digit_10(first9: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first9))
    value = (11 - total % 11) % 11
    return "X" if value == 10 else str(value)


def normalize(text: str) -> str:
    """The 13 digits of an ISBN typed as ISBN-10 or ISBN-13; raises IsbnError."""
    raw = _SEPARATORS.sub("", text.strip()).upper()
    if raw.startswith("ISBN"):
        raw = raw[4:].lstrip(":：")
    if len(raw) == 13 and raw.isdigit():
        if not raw.startswith(("978", "979")):
            raise IsbnError("prefix")
        if check_digit_13(raw[:12]) != raw[12]:
            raise IsbnError("check digit")
        return raw
    if len(raw) == 10 and raw[:9].isdigit() and (raw[9].isdigit() or raw[9] == "X"):
        if check_digit_10(raw[:9]) != raw[9]:
            raise IsbnError("check digit")
        first12 = "978" + raw[:9]
        return first12 + check_digit_13(first12)
    raise IsbnError("length")


def hyphenless_10(isbn13: str) -> str | None:
    """The ISBN-10 of a 978 ISBN-13 (None for 979)."""
    if not isbn13.startswith("978"):
        return None
    return isbn13[3:12] + check_digit_10(isbn13[3:12])
