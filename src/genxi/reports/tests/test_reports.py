"""The monthly report: its figures are the dashboard's and `genxi stats --json`'s; the PDF
carries its Chinese text; the workbook holds the same figures and every panel; made once
per street by the worker; remade with an audit; downloaded only inside one's scope."""

import io
import json
import re
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from genxi.cases.models import Case
from genxi.core import pdf as core_pdf
from genxi.core.models import AuditEvent
from genxi.core.panels import panels_for
from genxi.regions.models import Region
from genxi.reports import documents, selectors, services, tasks
from genxi.reports.models import MonthlyReport

pytestmark = pytest.mark.django_db


def _read(field) -> bytes:
    with default_storage.open(field.name, "rb") as fh:
        return fh.read()


def _sheet(content: bytes, title: str) -> list[list]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in wb[title].iter_rows(values_only=True)]


def _dashboard(client, user, place, month) -> dict:
    """The dashboard page's panels for the month, as the page's JSON block carries them."""
    client.force_login(user)
    period = selectors.month_period(month)
    page = client.get(
        reverse("dashboards:region", args=[place.code]),
        {"from": period.start.isoformat(), "to": (period.end - timedelta(days=1)).isoformat()},
    )
    assert page.status_code == 200
    found = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>',
        page.content.decode(),
        re.S,
    )
    return {p["key"]: p for p in json.loads(found.group(1))}, page.content.decode()


@pytest.fixture
def no_pdf(monkeypatch):
    """Tests of the figures and of the worker skip drawing the PDF (seconds each on a
    loaded machine); the PDF's own tests draw it."""
    monkeypatch.setattr(documents, "make_pdf", lambda data, made_at=None: b"%PDF-1.7 test")


def test_the_figures_are_the_dashboards_and_genxi_stats(client, months, no_pdf):
    w = months
    before, last = w.objs["months"]
    out = io.StringIO()
    call_command("stats", "--json", stdout=out)
    stats = json.loads(out.getvalue())["streets"]
    for street in (w.street_a, w.street_b):
        viewer = w.users["street"] if street == w.street_a else w.users["outsider"]
        received = {}
        for month in (before, last):
            report = services.report_make(actor=viewer, region=street, month=month)
            rows = {r[0]: r for r in _sheet(_read(report.xlsx), "诉求指标")[1:]}
            data = selectors.report_data(viewer, street, month)
            received[month] = rows["受理诉求"][2]
            # The report's count is a direct count of the cases received in the month …
            period = selectors.month_period(month)
            direct = Case.objects.filter(
                region__path__startswith=street.path,
                created_at__date__gte=period.start,
                created_at__date__lt=period.end,
            ).count()
            assert received[month] == report.received == direct > 0
            # … and the dashboard's, figure by figure, for the same place and month.
            shown, html = _dashboard(client, viewer, street, month)
            headline = {
                i["label"]: str(i["value"]) for i in shown["cases.headline"]["data"]["items"]
            }
            assert headline["受理诉求"] == str(received[month])
            for label, key in (
                ("响应率", "response_rate"),
                ("按期办结率", "on_time_resolution_rate"),
                ("解决率", "resolution_rate"),
                ("满意率", "satisfaction_rate"),
                ("返工率", "rework_rate"),
            ):
                value = rows[label][2]
                assert value == data.figures[key]
                assert headline[label] == ("—" if value is None else f"{value * 100:.1f}%")
            hours = data.figures["avg_handling_hours"]
            assert rows["平均处置时长"][2] == hours
            assert headline["平均处置时长"] == ("—" if hours is None else f"{hours} 小时")
            categories = {r[0]: r[1] for r in _sheet(_read(report.xlsx), "按类别")[1:]}
            assert categories == {
                i["name"]: i["value"] for i in shown["cases.categories"]["data"]["items"]
            }
            # Last month's column is the month before's own figure.
            if month == last:
                assert rows["受理诉求"][3] == received[before]
        # Every case of the street was received in these two months: `genxi stats` counts
        # them all, by state.
        assert sum(received.values()) == sum(stats[street.name]["cases"].values())


def test_the_pdf_carries_its_chinese_text(months):
    w = months
    before, last = w.objs["months"]
    report = services.report_make(actor=w.users["street"], region=w.street_a, month=last)
    text = core_pdf.text(_read(report.pdf))
    flat = re.sub(r"\s+", "", text)
    data = selectors.report_data(w.users["street"], w.street_a, last)
    n = data.figures["counts"]["received"]
    assert f"{w.street_a.name}基层治理工作月报" in flat
    assert f"{last.year}年{last.month}月" in flat
    assert f"本月共受理群众诉求{n}件" in flat
    assert re.sub(r"\s+", "", data.summary[0]) in flat  # the whole first paragraph
    for label in ("受理诉求", "响应率", "按期办结率", "解决率", "满意率", "返工率", "平均处置时长"):
        assert label in flat
    on_time = data.figures["on_time_resolution_rate"]
    assert f"{on_time * 100:.1f}%" in flat
    for c in data.categories:
        assert c["name"] in flat
    for r in data.ranking["rows"]:
        assert r["name"] in flat
    # Every other panel of the street's dashboard is in the report (iterating the registry).
    for p in panels_for("street"):
        if p.key not in selectors.OWN and p.chart != "map":
            assert re.sub(r"\s+", "", str(p.title)) in flat, p.key


def test_the_workbook_holds_every_panel(months):
    w = months
    _before, last = w.objs["months"]
    report = services.report_make(actor=None, region=w.street_a, month=last)
    wb = load_workbook(io.BytesIO(_read(report.xlsx)), read_only=True)
    assert wb.sheetnames[:4] == ["概要", "诉求指标", "诉求计数", "按类别"]
    summary = _sheet(_read(report.xlsx), "概要")
    assert summary[1] == ["地区", w.street_a.full_name]
    assert str(summary[4][1]).startswith("本月共受理群众诉求")
    places = {r[0]: r[1] for r in _sheet(_read(report.xlsx), "按地区")[1:]}
    assert places == {w.a1.name: 6, w.a2.name: 3}
    panels = {r[1] for r in _sheet(_read(report.xlsx), "共建与服务")[1:]}
    expected = {
        str(p.title)
        for p in panels_for("street")
        if p.key not in selectors.OWN and p.chart not in ("map",)
    }
    # A panel with nothing to list (an empty pie) has no rows; the others all do.
    assert panels <= expected and "当前" in panels and "联席会与决议落实" in panels
    assert report.made_by is None


def test_remaking_replaces_the_files_and_is_audited(
    months, no_pdf, django_capture_on_commit_callbacks
):
    w = months
    _before, last = w.objs["months"]
    first = services.report_make(actor=w.users["street"], region=w.street_a, month=last)
    old_pdf, old_xlsx = first.pdf.name, first.xlsx.name
    assert default_storage.exists(old_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_make(actor=w.users["street"], region=w.street_a, month=last)
    assert again.pk == first.pk and MonthlyReport.objects.count() == 1
    assert again.pdf.name != old_pdf and again.made_at > first.made_at
    assert not default_storage.exists(old_pdf) and not default_storage.exists(old_xlsx)
    assert default_storage.exists(again.pdf.name) and default_storage.exists(again.xlsx.name)
    verbs = list(
        AuditEvent.objects.filter(target_id=str(first.pk), verb__startswith="monthly_report")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["monthly_report.make", "monthly_report.remake"]


def test_the_worker_makes_each_streets_report_once(
    months, no_pdf, django_capture_on_commit_callbacks
):
    w = months
    _before, last = w.objs["months"]
    streets = Region.objects.streets().count()
    assert streets >= 2
    with django_capture_on_commit_callbacks(execute=True):
        tasks.make_due_reports.enqueue()  # the immediate backend in the tests
    made = MonthlyReport.objects.filter(month=last)
    assert made.count() == streets and not made.exclude(region__level="street").exists()
    assert set(made.values_list("made_by", flat=True)) == {None}
    out = io.StringIO()
    call_command("report", "due", stdout=out)
    assert out.getvalue().strip() == "made 0"
    assert services.reports_due(today=timezone.localdate()) == []
    assert MonthlyReport.objects.count() == streets
    # On the first of the next month, that month's reports come due.
    today = timezone.localdate()
    next_first = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    assert len(services.reports_due(today=next_first)) == streets


def test_the_command_writes_the_pdf_and_the_workbook(months, tmp_path):
    w = months
    _before, last = w.objs["months"]
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    month = f"{last:%Y-%m}"
    call_command(
        "report",
        "monthly",
        "--region",
        w.a1.code,
        "--month",
        month,
        "--out",
        str(pdf),
        "--xlsx",
        str(xlsx),
        stdout=io.StringIO(),
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "彩香一村社区基层治理工作月报" in re.sub(r"\s+", "", core_pdf.text(pdf.read_bytes()))
    assert _sheet(xlsx.read_bytes(), "诉求指标")[1][2] == 6
    other = tmp_path / "o.xlsx"
    call_command(
        "report",
        "monthly",
        "--region",
        w.a1.code,
        "--month",
        month,
        "--out",
        str(other),
        stdout=io.StringIO(),
    )
    assert _sheet(other.read_bytes(), "诉求指标")[1][2] == 6
    assert MonthlyReport.objects.count() == 0  # nothing kept unless --keep
    with pytest.raises(CommandError):
        call_command(
            "report", "monthly", "--region", w.a1.code, "--month", "11/2026", "--out", str(pdf)
        )
    with pytest.raises(CommandError):
        call_command(
            "report", "monthly", "--region", w.grid_a1.code, "--month", month, "--out", str(pdf)
        )


def test_downloads_are_scoped(client, months):
    w = months
    _before, last = w.objs["months"]
    month = f"{last:%Y-%m}"
    kept = services.report_make(actor=None, region=w.street_a, month=last)

    def get(user, place, kind="xlsx", m=month):
        client.force_login(user)
        return client.get(reverse("reports:download", args=[place.code, m, kind]))

    street = get(w.users["street"], w.street_a, "pdf")
    assert street.status_code == 200 and street["Content-Type"] == "application/pdf"
    assert b"".join(street) == _read(kept.pdf)
    assert "attachment" in street["Content-Disposition"]
    assert get(w.users["outsider"], w.street_a).status_code == 404  # street B's admin
    assert get(w.users["community"], w.street_a).status_code == 404
    assert get(w.users["community"], w.a2).status_code == 404
    assert get(w.users["community"], w.b1).status_code == 404
    own = get(w.users["community"], w.a1)  # none kept: made on the spot, not kept
    assert own.status_code == 200 and _sheet(b"".join(own), "诉求指标")[1][2] == 6
    assert MonthlyReport.objects.count() == 1
    assert get(w.users["grid"], w.grid_a1).status_code == 404  # a grid has no report
    assert get(w.users["street"], w.street_a, "doc").status_code == 404
    future = timezone.localdate().replace(day=28) + timedelta(days=40)
    assert get(w.users["street"], w.street_a, m=f"{future:%Y-%m}").status_code == 404
    assert get(w.users["street"], w.street_a, m="2026-13").status_code == 404


def test_the_reports_page_lists_and_makes_reports(client, months):
    w = months
    _before, last = w.objs["months"]
    client.force_login(w.users["community"])
    url = reverse("reports:make", args=[w.a1.code])
    bad = client.post(url, {"month": "2026/11"})
    assert bad.status_code == 400 and 'data-error-for="month"' in bad.content.decode()
    future = timezone.localdate().replace(day=28) + timedelta(days=40)
    assert client.post(url, {"month": f"{future:%Y-%m}"}).status_code == 400
    assert MonthlyReport.objects.count() == 0
    assert (
        client.post(
            reverse("reports:make", args=[w.a2.code]), {"month": f"{last:%Y-%m}"}
        ).status_code
        == 404
    )
    done = client.post(url, {"month": f"{last:%Y-%m}"})
    assert done.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.region == w.a1 and report.made_by == w.users["community"]
    page = client.get(reverse("reports:region", args=[w.a1.code]))
    assert page.status_code == 200
    assert f'data-report="{last:%Y-%m}"' in page.content.decode()
    assert client.get(reverse("reports:region", args=[w.street_a.code])).status_code == 404


def test_the_dashboard_offers_the_months_report(client, months):
    w = months
    _before, last = w.objs["months"]
    _panels, html = _dashboard(client, w.users["street"], w.street_a, last)
    assert reverse("reports:download", args=[w.street_a.code, f"{last:%Y-%m}", "pdf"]) in html
    assert reverse("reports:download", args=[w.street_a.code, f"{last:%Y-%m}", "xlsx"]) in html
    client.force_login(w.users["grid"])
    grid = client.get(reverse("dashboards:region", args=[w.grid_a1.code])).content.decode()
    assert "data-report-pdf" not in grid
    assert date(2000, 1, 1)  # (the month form's earliest month: forms.FIRST)
