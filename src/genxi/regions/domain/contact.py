"""A grid's or community's service phone: an office number residents may call."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s()()]+")
_LANDLINE = re.compile(r"^(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:-\d{1,5})?$")
_HOTLINE = re.compile(r"^(?:1\d{2,4}|9\d{4,5})$")  # 12345, 12315, 96196
_FREEPHONE = re.compile(r"^[48]00-?\d{3}-?\d{4}$")
_MOBILE = re.compile(r"^(?:\+?86-?)?1[3-9]\d{9}$")


def tidy(value: str) -> str:
    """The number as shown: spaces and brackets out, `0512 6531 2345` → `0512-65312345`."""
    text = _SEPARATORS.sub("", (value or "").strip().replace("—", "-").replace("－", "-"))
    run_in = re.fullmatch(r"(0\d{9,11})(-\d{1,5})?", text)  # area code run into the number
    if run_in:
        number, extension = run_in.group(1), run_in.group(2) or ""
        area = 3 if number[1] in "12" else 4
        text = f"{number[:area]}-{number[area:]}{extension}"
    return text


def is_mobile(value: str) -> bool:
    return bool(_MOBILE.match(tidy(value).replace("-", "")))


def is_office_number(value: str) -> bool:
    """A landline (with area code and extension or not), a hotline, or a 400/800 number.
    A mobile number is not: it belongs to a person, and a person moves on."""
    text = tidy(value)
    return bool(_LANDLINE.match(text) or _HOTLINE.match(text) or _FREEPHONE.match(text))


def tel_uri(value: str) -> str:
    """The number for a `tel:` link (digits, and `,` before an extension so phones dial it)."""
    digits = re.sub(r"[^\d-]", "", tidy(value))
    parts = digits.split("-")
    if _FREEPHONE.match(digits) or len(parts) == 1:
        return digits.replace("-", "")
    if len(parts) == 3:
        return f"{parts[0]}{parts[1]},{parts[2]}"
    if len(parts) == 2 and parts[0].startswith("0"):
        return f"{parts[0]}{parts[1]}"
    if len(parts) == 2:  # a local number and its extension
        return f"{parts[0]},{parts[1]}"
    return digits.replace("-", "")
