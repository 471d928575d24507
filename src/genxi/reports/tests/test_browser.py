"""The dashboard's report button in a browser, on a desk and on a 390×844 phone: the
street's leader downloads the month's report as a PDF and as a workbook, and the reports
page lists the kept one."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from genxi.core.testing.browser import login, screenshot
from genxi.reports import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_dashboard_button_downloads_the_months_report(request, device, months):
    w = months
    _before, last = w.objs["months"]
    services.report_make(actor=None, region=w.street_a, month=last)
    page = request.getfixturevalue(device)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, w.users["street"].username)
    page.goto(f"/dashboards/{w.street_a.code}/")
    button = page.locator("[data-report-pdf]")
    assert f"{last:%Y-%m}" in button.inner_text()
    with page.expect_download() as pdf:
        button.click()
    content = Path(pdf.value.path()).read_bytes()
    assert content.startswith(b"%PDF") and pdf.value.suggested_filename.endswith(".pdf")
    assert w.street_a.name in pdf.value.suggested_filename
    with page.expect_download() as xlsx:
        page.locator("[data-report-xlsx]").click()
    wb = load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes()), read_only=True)
    assert "诉求指标" in wb.sheetnames
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    screenshot(page, f"dashboard-report-button-{device}")
    page.get_by_role("link", name="全部报告").click()
    page.wait_for_selector(f'[data-report="{last:%Y-%m}"]')
    screenshot(page, f"reports-{device}")
    assert not errors
