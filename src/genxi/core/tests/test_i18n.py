"""English is kept complete: every message has a translation, and the compiled catalogue
matches the source."""

import gettext
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def _entries(po_text: str):
    """(msgctxt, msgid, msgstr or plural msgstrs) entries from a .po file."""
    entries, current, key = [], {}, None
    for line in po_text.splitlines() + [""]:
        if not line.strip():
            if current.get("msgid"):
                entries.append(current)
            current, key = {}, None
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
    return entries


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _translated(catalogue: gettext.GNUTranslations, entry: dict) -> str:
    """The compiled catalogue's answer for a .po entry, in its context if it has one."""
    msgid = _unescape(entry["msgid"])
    if "msgctxt" in entry:
        return catalogue.pgettext(_unescape(entry["msgctxt"]), msgid)
    return catalogue.gettext(msgid)


def test_every_message_is_translated_and_compiled():
    entries = _entries((LOCALE / "django.po").read_text())
    assert len(entries) > 200
    untranslated = [
        e["msgid"]
        for e in entries
        if not e.get("msgstr") and not all(e.get(f"msgstr[{i}]") for i in (0, 1))
    ]
    assert untranslated == []
    with (LOCALE / "django.mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = [
        e["msgid"]
        for e in entries
        if "msgid_plural" not in e and _translated(catalogue, e) != _unescape(e["msgstr"])
    ]
    assert stale == [], "run `make messages`: the .mo file is older than the .po file"


@pytest.mark.parametrize(("lang", "text"), [("zh-hans", "组织架构"), ("en", "Organisation")])
def test_pages_in_both_languages(world, lang, text):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(world.users["street"])
    body = client.get("/").content.decode()
    assert text in body
    translation.activate("zh-hans")
