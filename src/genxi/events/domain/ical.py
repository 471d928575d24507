"""An iCalendar (RFC 5545) feed, written by hand: text escaped (§3.3.11), lines folded at
75 octets without splitting a UTF-8 character (§3.1), CRLF line ends, times in UTC."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

FOLD_OCTETS = 75


@dataclass(frozen=True)
class VEvent:
    uid: str
    starts: datetime
    ends: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    stamp: datetime | None = None


def escape(text: str) -> str:
    """TEXT value: backslash, semicolon, comma escaped; line breaks as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, each continuation starting
    with one space; a multi-byte character is never split."""
    out: list[str] = []
    current, size = "", 0
    limit = FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1
            limit = FOLD_OCTETS
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def unfold(text: str) -> list[str]:
    """The content lines of a calendar (for tests and readers)."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: Iterable[VEvent], *, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//genxi//weekend community//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{utc(e.stamp or now)}",
            f"DTSTART:{utc(e.starts)}",
            f"DTEND:{utc(e.ends)}",
            f"SUMMARY:{escape(e.summary)}",
        ]
        if e.location:
            lines.append(f"LOCATION:{escape(e.location)}")
        if e.description:
            lines.append(f"DESCRIPTION:{escape(e.description)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        lines.append("STATUS:CANCELLED" if e.cancelled else "STATUS:CONFIRMED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
