"""The printed notice and the command line: the PDF carries the Chinese text (read back),
`genxi inspections notices --json` lists every notice, the periodic escalation."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from genxi.core import pdf
from genxi.core.stats import headline_counts
from genxi.inspections import documents, selectors, services
from genxi.inspections.models import MemberRole, Notice
from genxi.regions.models import Region

from .helpers import answer_all, officer, round_, signature, target


def _notice(world, fail=(2, 5)):
    from genxi.core.testing.images import jpeg_with_gps

    r = round_(world, [target(world)], team=[(officer(world), MemberRole.DEPARTMENT)])
    inspection = r.inspections.get()
    answer_all(inspection, world.users["community"], fail=set(fail), photo=jpeg_with_gps)
    services.inspection_finish(
        actor=world.users["community"],
        inspection=inspection,
        ack_name="王建国",
        signature=signature(),
    )
    return Notice.objects.get()


def test_the_notice_pdf_carries_its_chinese_text(world):
    notice = _notice(world)
    text = pdf.text(documents.notice_pdf(notice)).replace("\n", "")
    for words in (
        "整改通知单",
        notice.number,
        "彩香小学食堂",
        "食品加工设施设备运转正常",
        "《中华人民共和国食品安全法》",
        "维修或更换故障设备",
        "王建国",
        "整改期限",
    ):
        assert words in text, words


def test_notice_pdf_command_writes_the_file(world, tmp_path):
    notice = _notice(world)
    out = tmp_path / "notice.pdf"
    call_command("inspections", "notice-pdf", notice.number, str(out), stdout=StringIO())
    assert "彩香小学食堂" in pdf.text(out.read_bytes())
    with pytest.raises(CommandError):
        call_command("inspections", "notice-pdf", "无此编号", str(out), stdout=StringIO())


def test_notices_json_lists_every_notice(world):
    notice = _notice(world)
    out = StringIO()
    call_command("inspections", "notices", "--json", stdout=out)
    year = timezone.localdate().year
    assert json.loads(out.getvalue()) == [
        {"number": notice.number, "street": "金阊街道", "year": year, "state": "open"}
    ]


def test_escalate_command_at_the_deadline(world, monkeypatch):
    notice = _notice(world)
    monkeypatch.setattr(timezone, "now", lambda: notice.due_at)
    out = StringIO()
    call_command("inspections", "escalate", stdout=out)
    assert out.getvalue().strip() == "escalated 1"
    notice.refresh_from_db()
    assert notice.case is not None


def test_stats_and_summary(world):
    _notice(world, fail=(5,))
    streets = Region.objects.streets().order_by("code")
    counts = headline_counts(streets)
    assert counts["金阊街道"]["inspection_rounds"] == 1
    assert counts["金阊街道"]["targets_inspected"] == 1
    assert counts["金阊街道"]["notices"] == {"open": 1, "closed": 0, "escalated": 0}
    assert counts["虎丘街道"]["notices"]["open"] == 0
    r = Notice.objects.get().inspection.round
    assert (
        selectors.round_summary(r)
        == "已检查1所学校食堂，总体情况一般，发现问题1处，下发整改通知单1份"
    )
    rates = selectors.item_rates(r)
    assert rates[4].failed == 1 and rates[4].percent == "0%" and rates[0].percent == "100%"
