"""core.pdf: a template to an A4 PDF in the CJK fonts, its text readable back, no fetching."""

import pytest

from genxi.core import pdf


def test_a_pdf_carries_its_chinese_text(tmp_path, settings):
    tpl = tmp_path / "t.html"
    tpl.write_text(
        '{% extends "core/pdf/base.html" %}{% block body %}<h1>整改通知单</h1>'
        "<p>{{ who }}：请于期限内整改。</p>{% endblock %}",
        encoding="utf-8",
    )
    # Assigned, not changed in place: the setting_changed signal then drops the template
    # engines (and their cached list), even when a template was rendered earlier in the run.
    first = {**settings.TEMPLATES[0], "DIRS": [str(tmp_path), *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [first, *settings.TEMPLATES[1:]]
    made = pdf.render("t.html", {"who": "金阊街道"})
    assert made.startswith(b"%PDF")
    text = pdf.text(made)
    assert "整改通知单" in text
    assert "金阊街道：请于期限内整改" in text


def test_a_pdf_fetches_nothing_but_inline_data():
    fetch = pdf.fetcher()
    for url in ("http://example.com/x.png", "file:///etc/passwd", "https://example.com/a.css"):
        with pytest.raises(ValueError):
            fetch(url)
    assert fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_the_download_names_the_file_in_chinese():
    response = pdf.pdf_response(b"%PDF-1.7", "整改通知单.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''%E6%95%B4" in response["Content-Disposition"]
