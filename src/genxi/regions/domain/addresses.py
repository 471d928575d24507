"""The address gazetteer, the pure part: what people type turned into estate, building,
unit and room, and a lookup of estate → building → grid that says when it is sure, when
it must ask (which estate? which building?) and what it might have meant.

People write the same place many ways: `彩香新村25幢`, `彩香新村 25 栋 2 单元 301 室`,
`彩香新村２５号楼`, `彩香新村二十五幢`, `彩香新村25-2-301`, `彩香小区25号`. The parser makes
them one (half-width digits, one word for a building, units and rooms apart); an estate is
compared by its name without the generic ending (小区, 花园, 新村, 社区), so `彩香一村花园`
and `彩香一村` are one estate, and by the other names the community staff gave it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

# Characters written in two forms (traditional, variants) → the one the gazetteer keeps.
_VARIANTS = str.maketrans(
    {
        "邨": "村",
        "棟": "栋",
        "號": "号",
        "樓": "楼",
        "單": "单",
        "園": "园",
        "區": "区",
        "莊": "庄",
        "〇": "零",
    }
)
_PREFIXES = re.compile(
    r"^(?:江苏省|江苏)?(?:苏州市|苏州)?"
    r"(?:姑苏区|相城区|吴中区|吴江区|虎丘区|高新区|苏州工业园区|工业园区|园区)?"
    r"(?:[\u4e00-\u9fff]{2,4}街道)?"
)
_NOISE = re.compile(r"[\s,,。.、;;::()()\[\]【】_#/\\\"'“”‘’]+")
_DASHES = re.compile(r"[—–－~～]+")
_CN_NUMBER = re.compile(r"([零一二两三四五六七八九十百]+)(?=(?:号楼|幢|栋|座|号|单元|室|层|楼))")
_BUILDING = re.compile(r"(\d+)(?:号楼|幢|栋|座|号)")
_UNIT = re.compile(r"(\d+)单元")
_ROOM = re.compile(r"(\d+)(?:室|号房)")
_DASHED = re.compile(r"(\d+)-(\d+)(?:-(\d+))?$")
_TRAILING_NUMBER = re.compile(r"(\d+)$")
_BUILDING_NAME = re.compile(r"\d{1,6}|[A-Za-z0-9]{1,6}座?")  # 25, 3A, A座
_COMMUNITY = re.compile(r"^(.{2,8}?社区)")
# The generic endings of an estate's name: `彩香新村`, `彩香小区` and `彩香花园` are one
# name to a resident. Only these (the list); `一村` and `苑` are part of names.
ESTATE_ENDINGS = ("小区", "花园", "新村", "社区")

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """二十五 → 25, 十 → 10, 一百零三 → 103, 三零一 → 301; None if it is not a number."""
    if not text or any(c not in _CN_DIGITS and c not in "十百" for c in text):
        return None
    if "十" not in text and "百" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:  # 十
            total += (current or 1) * 10
            current = 0
    return total + current


def clean(text: str) -> str:
    """Half-width, one form of each character, no spaces or punctuation, no city or
    district in front, Chinese numbers before 幢/单元/室 as digits."""
    text = unicodedata.normalize("NFKC", text or "").translate(_VARIANTS)
    text = _DASHES.sub("-", text)
    text = _NOISE.sub("", text)
    text = _PREFIXES.sub("", text)

    def digits(match: re.Match[str]) -> str:
        number = chinese_number(match.group(1))
        return match.group(1) if number is None else str(number)

    # Dropping a character may join two that compose (E + U+0304 → Ē): normalise once more.
    return unicodedata.normalize("NFKC", _CN_NUMBER.sub(digits, text))


def estate_key(name: str) -> str:
    """An estate's name as compared: cleaned, without one generic ending."""
    text = clean(name)
    for ending in ESTATE_ENDINGS:
        if text.endswith(ending) and len(text) - len(ending) >= 2:
            return text[: -len(ending)]
    return text


def building_number(text: str) -> str:
    """A building as the gazetteer keeps it: digits without leading zeros (`025` → `25`),
    or the text cleaned (`A座` stays `A座`)."""
    text = clean(text)
    for word in ("号楼", "幢", "栋", "座", "号"):
        if text.endswith(word) and text[: -len(word)].isdigit():
            text = text[: -len(word)]
            break
    return str(int(text)) if text.isdigit() else text


@dataclass(frozen=True)
class Address:
    """What a typed address says: the community if named, the estate, building, unit, room."""

    community: str = ""
    estate: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""


def parse(text: str) -> Address:
    """Split an address as people type it into its parts (each may be empty)."""
    text = clean(text)
    community = ""
    match = _COMMUNITY.match(text)
    if match and len(text) > len(match.group(1)):
        community, text = match.group(1), text[len(match.group(1)) :]
    building = unit = room = ""
    dashed = _DASHED.search(text)
    if dashed and not _BUILDING.search(text[: dashed.start()]):
        building, second, third = dashed.groups()
        if third:
            unit, room = second, third
        elif len(second) >= 3:
            room = second
        else:
            unit = second
        estate = text[: dashed.start()]
    else:
        found = _BUILDING.search(text)
        if found:
            building, estate, rest = found.group(1), text[: found.start()], text[found.end() :]
        else:
            rest = ""
            trailing = _TRAILING_NUMBER.search(text)
            if trailing and trailing.start() > 0:
                building, estate = trailing.group(1), text[: trailing.start()]
            elif trailing:
                building, estate = trailing.group(1), ""
            else:
                estate = text
        unit_match, room_match = _UNIT.search(rest), _ROOM.search(rest)
        unit = unit_match.group(1) if unit_match else ""
        room = room_match.group(1) if room_match else ""
        if not room and not unit:
            tail = _DASHED.search(rest) or _TRAILING_NUMBER.search(rest)
            if tail:
                room = tail.group(tail.lastindex or 1)
    if not estate and community:
        estate, community = community, ""
    return Address(
        community=community,
        estate=estate,
        building=str(int(building)) if building else "",
        unit=str(int(unit)) if unit else "",
        room=str(int(room)) if room else "",
    )


# The gazetteer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One building of the gazetteer: its estate (id, name, other names, community) and grid."""

    estate_id: Any
    estate: str
    community: str
    building: str
    grid: Any
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    """A place to offer: shown as `label` (with `hint`, the community), looked up again as
    `query`."""

    label: str
    hint: str
    query: str


@dataclass(frozen=True)
class Lookup:
    """The gazetteer's answer. `status` is one of:

    - "found": `grid` is the grid, `place` the canonical place (`彩香新村25幢`);
    - "which_estate": the building number is in several estates: pick one of `choices`;
    - "which_building": the estate is known, its buildings lie in several grids;
    - "suggest": nothing matched exactly; `choices` are close spellings (您要找的是不是…);
    - "not_found": nothing close.
    """

    status: str
    grid: Any = None
    place: str = ""
    estate: str = ""
    choices: tuple[Choice, ...] = ()
    more: int = 0  # choices left out

    @property
    def found(self) -> bool:
        return self.status == "found"


@dataclass
class _Estate:
    id: Any
    name: str
    community: str
    keys: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # its names cleaned, with their endings
    buildings: dict[str, Any] = field(default_factory=dict)

    @property
    def grids(self) -> set[Any]:
        return set(self.buildings.values())


def _sort_key(number: str) -> tuple[int, int, str]:
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


class Gazetteer:
    """Estates with their buildings and grids, looked up by what people type."""

    MAX_CHOICES = 12
    SUGGEST_AT = 0.5  # the similarity of names from which a spelling is offered

    def __init__(self, entries: Iterable[Entry]):
        self._estates: dict[Any, _Estate] = {}
        for e in entries:
            estate = self._estates.get(e.estate_id)
            if estate is None:
                estate = self._estates[e.estate_id] = _Estate(e.estate_id, e.estate, e.community)
                estate.names = {clean(n) for n in (e.estate, *e.aliases) if clean(n)}
                estate.keys = {estate_key(n) for n in estate.names} | estate.names
            estate.buildings[building_number(e.building)] = e.grid
        self._by_key: dict[str, list[_Estate]] = {}
        for estate in self._estates.values():
            for key in estate.keys:
                self._by_key.setdefault(key, []).append(estate)

    def __len__(self) -> int:
        return sum(len(e.buildings) for e in self._estates.values())

    def lookup(self, text: str) -> Lookup:
        address = parse(text)
        if not address.estate and not address.building:
            return Lookup("not_found")
        if address.estate:
            estates = self._estates_named(address)
            if not estates:
                return self._suggest(address)
        else:
            estates = list(self._estates.values())
        if address.building:
            return self._by_building(address, estates)
        return self._by_estate(estates)

    # What is asked ---------------------------------------------------------------------------

    def _estates_named(self, address: Address) -> list[_Estate]:
        """The estates the text names: by name or other name, by key (without 小区/花园/新村),
        or by a full name contained in the text (a short key inside a longer word is no
        match: `彩香` is in `彩香三村`); within the named community if there is one."""
        typed = address.estate
        found = self._by_key.get(typed) or self._by_key.get(estate_key(typed)) or []
        if not found:
            contained = [(len(n), e) for e in self._estates.values() for n in e.names if n in typed]
            if contained:
                longest = max(n for n, _ in contained)
                found = [e for n, e in contained if n == longest]
        found = list({id(e): e for e in found}.values())
        if address.community:
            community = estate_key(address.community)
            inside = [e for e in found if estate_key(e.community) == community]
            found = inside or found
        return found

    def _by_building(self, address: Address, estates: list[_Estate]) -> Lookup:
        number = address.building
        hits = [e for e in estates if number in e.buildings]
        if len(hits) == 1:
            return self._found(hits[0], number)
        if hits:
            return self._which_estate(hits, number)
        if len(estates) == 1:
            # The estate is known, that building is not: one grid answers; else ask.
            return self._by_estate(estates)
        return self._suggest(address)

    def _by_estate(self, estates: list[_Estate]) -> Lookup:
        if len(estates) == 1:
            estate = estates[0]
            if len(estate.grids) == 1:
                return Lookup("found", next(iter(estate.grids)), estate.name, estate.name)
            numbers = sorted(estate.buildings, key=_sort_key)
            choices = [
                Choice(f"{estate.name}{n}幢", estate.community, f"{estate.name}{n}幢")
                for n in numbers
            ]
            return Lookup("which_building", estate=estate.name, choices=tuple(choices))
        return self._which_estate(estates, "")

    def _which_estate(self, estates: list[_Estate], number: str) -> Lookup:
        names = [e.name for e in estates]
        choices = []
        for e in estates:  # in the gazetteer's order: by community, then name
            place = f"{e.name}{number}幢" if number else e.name
            # An estate's name shared by two communities is told apart by the community.
            query = f"{e.community}{place}" if names.count(e.name) > 1 else place
            choices.append(Choice(place, e.community, query))
        shown = choices[: self.MAX_CHOICES]
        return Lookup("which_estate", choices=tuple(shown), more=len(choices) - len(shown))

    def _found(self, estate: _Estate, number: str) -> Lookup:
        return Lookup("found", estate.buildings[number], f"{estate.name}{number}幢", estate.name)

    def _suggest(self, address: Address) -> Lookup:
        """Close spellings of the estate (with the building if it has it)."""
        typed = estate_key(address.estate) if address.estate else ""
        scored = []
        for estate in self._estates.values():
            if address.building and address.estate and address.building not in estate.buildings:
                continue
            score = max(SequenceMatcher(None, typed, k).ratio() for k in estate.keys)
            if score >= self.SUGGEST_AT:
                scored.append((score, estate))
        scored.sort(key=lambda s: -s[0])  # stable: equals stay in the gazetteer's order
        number = address.building
        places = [(f"{e.name}{number}幢" if number else e.name, e) for _, e in scored[:5]]
        choices = tuple(Choice(place, e.community, place) for place, e in places)
        return Lookup("suggest" if choices else "not_found", choices=choices)


def parse_building_list(text: str) -> list[str]:
    """`1-5,8,10号楼` → ['1', '2', '3', '4', '5', '8', '10']: ranges and lists as staff
    type them; raises ValueError naming what it could not read."""
    text = unicodedata.normalize("NFKC", text or "").translate(_VARIANTS)
    text = _DASHES.sub("-", text)
    numbers: list[str] = []
    for part in re.split(r"[,,、;;\s]+", text):
        part = part.strip()
        if not part:
            continue
        span = re.fullmatch(r"(\d+)\s*(?:号楼|幢|栋|号)?\s*-\s*(\d+)\s*(?:号楼|幢|栋|号)?", part)
        if span:
            low, high = int(span.group(1)), int(span.group(2))
            if low > high or high - low > 500:
                raise ValueError(part)
            numbers.extend(str(n) for n in range(low, high + 1))
            continue
        number = building_number(part)
        if not _BUILDING_NAME.fullmatch(number):
            raise ValueError(part)
        numbers.append(number)
    return list(dict.fromkeys(numbers))
