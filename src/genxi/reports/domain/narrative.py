"""The monthly report's summary, written from its figures in the style of the street's own
reports ("本月共受理群众诉求N件，按期办结率X%，较上月上升Y个百分点…").

Pure Python: the report's selectors gather the figures, this module only words them. The
sentences are Chinese because the report is (a Chinese government document); the English
site prints the same report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# The rates the summary words, in its order, with their names.
RATES: tuple[tuple[str, str], ...] = (
    ("response_rate", "响应率"),
    ("on_time_resolution_rate", "按期办结率"),
    ("resolution_rate", "解决率"),
    ("satisfaction_rate", "满意率"),
)


@dataclass(frozen=True)
class Month:
    """One month's request figures for a place (rates 0..1, None when nothing to rate)."""

    received: int
    response_rate: float | None = None
    on_time_resolution_rate: float | None = None
    resolution_rate: float | None = None
    satisfaction_rate: float | None = None
    rework_rate: float | None = None
    avg_handling_hours: float | None = None

    def rate(self, key: str) -> float | None:
        value: float | None = getattr(self, key)
        return value


@dataclass(frozen=True)
class Facts:
    """What the summary is written from."""

    place: str
    month: str  # "2026年11月"
    now: Month
    last_month: Month | None
    last_year: Month | None
    categories: Sequence[tuple[str, int]] = ()  # largest first
    places: Sequence[tuple[str, int]] = ()  # largest first
    sections: Sequence[tuple[str, Sequence[tuple[str, str]]]] = ()  # (section, [(label, value)])


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def count_change(now: int, before: int, unit: str = "件") -> str:
    """ "增加12件（增长8.5%）", "减少3件（下降2.0%）", "持平"."""
    diff = now - before
    if diff == 0:
        return "持平"
    word, pct_word = ("增加", "增长") if diff > 0 else ("减少", "下降")
    if before:
        return f"{word}{abs(diff)}{unit}（{pct_word}{abs(diff) / before * 100:.1f}%）"
    return f"{word}{abs(diff)}{unit}"


def points_change(now: float | None, before: float | None) -> str | None:
    """ "上升1.2个百分点", "下降0.5个百分点", "持平"; None when either month has no rate."""
    if now is None or before is None:
        return None
    diff = round((now - before) * 100, 1)
    if diff == 0:
        return "持平"
    return f"{'上升' if diff > 0 else '下降'}{abs(diff):.1f}个百分点"


def hours_change(now: float | None, before: float | None) -> str | None:
    if now is None or before is None:
        return None
    diff = round(now - before, 1)
    if diff == 0:
        return "持平"
    return f"{'延长' if diff > 0 else '缩短'}{abs(diff):.1f}小时"


def _requests(f: Facts) -> str:
    now = f.now
    if now.received == 0:
        text = "本月未受理群众诉求"
        if f.last_month is not None and f.last_month.received:
            text += f"（上月受理{f.last_month.received}件）"
        return text + "。"
    text = f"本月共受理群众诉求{now.received}件"
    against = []
    if f.last_month is not None:
        against.append(f"较上月{count_change(now.received, f.last_month.received)}")
    if f.last_year is not None:
        against.append(f"较去年同期{count_change(now.received, f.last_year.received)}")
    if against:
        text += "，" + "，".join(against)
    text += "。"
    rates = []
    for key, name in RATES:
        value = now.rate(key)
        if value is None:
            continue
        part = f"{name}{percent(value)}"
        change = points_change(value, f.last_month.rate(key) if f.last_month else None)
        if change is not None:
            part += f"，较上月{change}"
        rates.append(part)
    if rates:
        text += "；".join(rates) + "。"
    if now.avg_handling_hours is not None:
        text += f"平均处置时长{now.avg_handling_hours:.1f}小时"
        change = hours_change(
            now.avg_handling_hours, f.last_month.avg_handling_hours if f.last_month else None
        )
        if change is not None:
            text += f"，较上月{change}"
        if now.rework_rate is not None:
            text += f"；返工率{percent(now.rework_rate)}"
        text += "。"
    return text


def _listing(items: Sequence[tuple[str, int]], limit: int = 3) -> str:
    return "、".join(f"{name}（{n}件）" for name, n in items[:limit])


def _problems(f: Facts) -> str | None:
    if not f.now.received or not f.categories:
        return None
    top = list(f.categories[:3])
    share = sum(n for _name, n in top) / f.now.received * 100
    text = f"从诉求类别看，排在前列的是{_listing(top)}，合计占{share:.1f}%"
    if f.places:
        first, n = f.places[0]
        text += f"；从地区看，{first}受理最多（{n}件）"
        if len(f.places) > 1:
            text += f"，其次是{_listing(f.places[1:], 2)}"
    return text + "。"


def _section(title: str, items: Sequence[tuple[str, str]]) -> str | None:
    if not items:
        return None
    return f"{title}方面，" + "，".join(f"{label}{value}" for label, value in items) + "。"


def summary(f: Facts) -> list[str]:
    """The summary's paragraphs: the requests and their rates against last month and last
    year, the main problems and places, then one sentence per other section."""
    paragraphs = [_requests(f)]
    problems = _problems(f)
    if problems:
        paragraphs.append(problems)
    for title, items in f.sections:
        text = _section(title, items)
        if text:
            paragraphs.append(text)
    return paragraphs
