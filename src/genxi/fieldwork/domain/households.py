"""Households from addresses: residents who live at one address are one household.

An address is read with the gazetteer's parser (regions/domain/addresses.py), so
`彩香新村25栋2单元301室`, `彩香小区 25 幢 2 单元 301 室` and `彩香新村25-2-301` are one
household: `彩香25幢2单元301室` (the estate without its generic ending). An address the
parser cannot read down to a building is its own cleaned text."""

from __future__ import annotations

from genxi.regions.domain.addresses import clean, estate_key, parse


def household_key(address: str) -> str:
    """The normalised address a household is known by ('' when there is none)."""
    text = clean(address)
    if not text:
        return ""
    parts = parse(address)
    if not parts.building:
        return text
    key = f"{estate_key(parts.estate)}{parts.building}幢"
    if parts.unit:
        key += f"{parts.unit}单元"
    if parts.room:
        key += f"{parts.room}室"
    return key


def building_label(address: str) -> str:
    """The address down to its building, as shown to everyone who sees the household:
    '彩香新村25幢' (unit and room are personal data, kept encrypted)."""
    parts = parse(address)
    if parts.building:
        return f"{parts.estate}{parts.building}幢"
    return parts.estate[:20]
