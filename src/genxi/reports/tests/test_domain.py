"""The report's pure parts: the summary's wording from figures, and the SVG charts."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from genxi.reports.domain import svg
from genxi.reports.domain.narrative import (
    Facts,
    Month,
    count_change,
    points_change,
    summary,
)

NOW = Month(
    received=120,
    response_rate=0.98,
    on_time_resolution_rate=0.95,
    resolution_rate=0.9,
    satisfaction_rate=0.967,
    rework_rate=0.02,
    avg_handling_hours=20.5,
)
BEFORE = Month(
    received=100,
    response_rate=0.98,
    on_time_resolution_rate=0.935,
    resolution_rate=0.92,
    satisfaction_rate=None,
    rework_rate=0.03,
    avg_handling_hours=22.0,
)


def _facts(**kw):
    base = {
        "place": "金阊街道",
        "month": "2026年11月",
        "now": NOW,
        "last_month": BEFORE,
        "last_year": Month(received=150),
        "categories": [("市容环境", 60), ("设施维修", 30), ("噪声扰民", 18), ("其他", 12)],
        "places": [("彩香一村社区", 70), ("彩香二村社区", 40), ("三香社区", 10)],
        "sections": [("需求发布与满足", [("发布", "12"), ("已满足", "9")])],
    }
    return Facts(**(base | kw))


def test_the_summary_words_the_month_against_last_month_and_last_year():
    text = summary(_facts())
    assert text[0].startswith(
        "本月共受理群众诉求120件，较上月增加20件（增长20.0%），较去年同期减少30件（下降20.0%）。"
    )
    assert "响应率98.0%，较上月持平" in text[0]
    assert "按期办结率95.0%，较上月上升1.5个百分点" in text[0]
    assert "解决率90.0%，较上月下降2.0个百分点" in text[0]
    # No rate last month: no comparison, but this month's rate is said.
    assert "满意率96.7%。" in text[0] and "满意率96.7%，较上月" not in text[0]
    assert "平均处置时长20.5小时，较上月缩短1.5小时；返工率2.0%。" in text[0]
    assert text[1] == (
        "从诉求类别看，排在前列的是市容环境（60件）、设施维修（30件）、噪声扰民（18件），"
        "合计占90.0%；从地区看，彩香一村社区受理最多（70件），其次是彩香二村社区（40件）、"
        "三香社区（10件）。"
    )
    assert text[2] == "需求发布与满足方面，发布12，已满足9。"


def test_a_month_without_requests_says_so_and_nothing_about_rates():
    text = summary(_facts(now=Month(received=0), categories=[], places=[], sections=[]))
    assert text == ["本月未受理群众诉求（上月受理100件）。"]


def test_without_an_earlier_month_nothing_is_compared():
    text = summary(_facts(last_month=None, last_year=None))
    assert text[0].startswith("本月共受理群众诉求120件。响应率98.0%；")
    assert "较上月" not in text[0] and "较去年" not in text[0]


def test_changes():
    assert count_change(5, 0) == "增加5件"
    assert count_change(3, 4) == "减少1件（下降25.0%）"
    assert count_change(4, 4) == "持平"
    assert points_change(0.5, None) is None
    assert points_change(0.9004, 0.9) == "持平"
    assert points_change(0.8, 0.9) == "下降10.0个百分点"


def _parse(drawing: str) -> ET.Element:
    return ET.fromstring(drawing)


NS = "{http://www.w3.org/2000/svg}"


def test_bars_one_per_value_and_series_with_escaped_labels():
    drawing = svg.bar(
        ["市容<环境>", "设施维修", "噪声"],
        [svg.Series("本月", [6, 3, 0]), svg.Series("上月", [2, 4, 1])],
    )
    root = _parse(drawing)  # well-formed XML
    rects = root.findall(f"{NS}rect")
    assert len(rects) == 2 + 3 * 2  # two legend keys, a bar per value
    texts = [t.text for t in root.findall(f"{NS}text")]
    assert "市容<环境>" in texts and "本月" in texts and "上月" in texts
    heights = [float(r.get("height")) for r in rects[2:]]
    # The bars by label, then series: 6, 2 | 3, 4 | 0, 1; each as tall as its value.
    assert heights[0] == pytest.approx(2 * heights[2]) == pytest.approx(3 * heights[1])
    assert heights[4] == 0


def test_lines_one_polyline_per_series_and_nothing_breaks_on_empty_data():
    root = _parse(
        svg.line(
            ["11-01", "11-02", "11-03"],
            [svg.Series("本期", [1, 4, 2]), svg.Series("去年同期", [0, 0, 1])],
        )
    )
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 2 and len(lines[0].get("points").split()) == 3
    _parse(svg.line([], [svg.Series("本期", [])]))
    _parse(svg.bar([], []))
    _parse(svg.line(["11-01"], [svg.Series("本期", [0])]))


@given(st.floats(min_value=0.001, max_value=1e7))
def test_the_axis_top_holds_the_highest_value_without_wasting_room(value):
    top = svg._nice_max(value)
    assert value <= top < value * 10.0001
