"""core.pdf: a template to an A4 PDF in the CJK fonts, its text readable back, no fetching."""

import pytest
from django.template import Context, Template

from genxi.core import pdf


def test_a_pdf_carries_its_chinese_text():
    page = Template(
        '{% extends "core/pdf/base.html" %}{% block body %}<h1>整改通知单</h1>'
        "<p>{{ who }}：请于期限内整改。</p>{% endblock %}"
    ).render(Context({"who": "金阊街道"}))
    made = pdf.from_html(page)
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
