"""Charts for the printed report as inline SVG, drawn on the server (WeasyPrint draws SVG;
the PDF's fetcher allows no URL, so nothing may come from a script or a file).

Two kinds, as the dashboards draw them: `bar` (grouped bars, one group per label) and
`line` (one line per series). Pure Python: a string in, a string out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# The report's colours: the party red first, then calm blues and greys.
PALETTE = ("#c8161d", "#1f5fa8", "#e59a2c", "#4d8f5b", "#7a5aa6", "#888888")
FONT = "Noto Sans CJK SC, Noto Serif CJK SC, sans-serif"


@dataclass(frozen=True)
class Series:
    name: str
    data: Sequence[float]


def _nice_max(value: float) -> float:
    """The top of the axis: 1, 2, 2.5 or 5 times a power of ten, at or above `value`."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover (the loop always answers)


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _text(
    x: float, y: float, body: str, *, size: float = 10, anchor: str = "middle", fill: str = "#333"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-family="{FONT}">{escape(body)}</text>'
    )


def _frame(
    width: int, height: int, top: float, series: Sequence[Series], unit: str
) -> tuple[list[str], float, float, float, float]:
    """The axes, gridlines and legend; answers the parts and the plot's box."""
    left, right, bottom, head = 44.0, 10.0, 34.0, 22.0
    plot_w, plot_h = width - left - right, height - head - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for i in range(5):
        value = top * i / 4
        y = head + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            f'stroke="{"#999" if i == 0 else "#e2e2e2"}" stroke-width="0.8"/>'
        )
        parts.append(_text(left - 4, y + 3.5, _number(round(value, 2)), size=9, anchor="end"))
    if unit:
        parts.append(_text(left - 4, head - 8, unit, size=9, anchor="end", fill="#666"))
    x = left
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="6" width="10" height="8" fill="{colour}"/>')
        parts.append(_text(x + 13, 13.5, s.name, size=9, anchor="start"))
        x += 13 + 10 * len(s.name) + 14
    return parts, left, head, plot_w, plot_h


def _label_every(n: int, room: float) -> int:
    """Show every k-th label so that labels about 28 px wide do not overlap."""
    k = 1
    while n and room * k / n < 28 and k < n:
        k += 1
    return k


def bar(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 520,
    height: int = 220,
    unit: str = "",
) -> str:
    """Grouped bars: a group per label, a bar per series, the value above each bar."""
    peak = max((v for s in series for v in s.data), default=0)
    top = _nice_max(peak)
    parts, left, head, plot_w, plot_h = _frame(width, height, top, series, unit)
    n = max(len(labels), 1)
    group = plot_w / n
    bar_w = min(28.0, group * 0.7 / max(len(series), 1))
    every = _label_every(len(labels), plot_w)
    for i, label in enumerate(labels):
        x0 = left + group * i + (group - bar_w * len(series)) / 2
        for j, s in enumerate(series):
            value = s.data[i] if i < len(s.data) else 0
            h = plot_h * value / top
            x = x0 + bar_w * j
            y = head + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
            if value and len(labels) * len(series) <= 24:
                parts.append(_text(x + (bar_w - 1) / 2, y - 2, _number(value), size=8))
        if i % every == 0:
            short = label if len(label) <= 6 else label[:6] + "…"
            parts.append(_text(left + group * (i + 0.5), head + plot_h + 14, short, size=9))
    parts.append("</svg>")
    return "".join(parts)


def line(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 520,
    height: int = 220,
    unit: str = "",
) -> str:
    """A line per series over the labels (days, weeks or months), a dot on each point."""
    peak = max((v for s in series for v in s.data), default=0)
    top = _nice_max(peak)
    parts, left, head, plot_w, plot_h = _frame(width, height, top, series, unit)
    n = len(labels)
    step = plot_w / (n - 1) if n > 1 else 0.0

    def at(i: int, value: float) -> tuple[float, float]:
        x = left + (step * i if n > 1 else plot_w / 2)
        return x, head + plot_h - plot_h * value / top

    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        points = [at(i, v) for i, v in enumerate(s.data[:n])]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        dash = ' stroke-dasharray="4 3"' if j else ""
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.8"{dash}/>'
        )
        if n <= 40:
            parts.extend(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="{colour}"/>' for x, y in points
            )
    every = _label_every(n, plot_w)
    for i, label in enumerate(labels):
        if i % every == 0:
            x, _y = at(i, 0)
            parts.append(_text(x, head + plot_h + 14, label, size=9))
    parts.append("</svg>")
    return "".join(parts)
