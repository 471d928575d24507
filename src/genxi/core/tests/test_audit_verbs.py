"""Audit verbs come from one registry with their words (core/audit_verbs.py): every verb
the code writes or reads is registered, `audit.record` refuses any other, and the audit
page shows the words and offers the registered verbs to pick from."""

from __future__ import annotations

import ast
import logging
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

import genxi
from genxi.core import audit, audit_verbs
from genxi.core.models import AuditEvent

SRC = Path(genxi.__file__).parent
# `verb=` of a notification (the inbox's own kinds), not of an audit event.
NOT_AUDIT = {"tell", "Notification", "_inbox"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _names(call: ast.Call) -> set[str]:
    """The names along the called chain: `Notification.objects.filter` gives all three."""
    names, f = set(), call.func
    while isinstance(f, ast.Attribute | ast.Call):
        if isinstance(f, ast.Call):
            f = f.func
            continue
        names.add(f.attr)
        f = f.value
    if isinstance(f, ast.Name):
        names.add(f.id)
    return names


def _verbs_in_source():
    """(where, verb literal or f-string, module) for every `verb=` outside the tests (which
    record `test.*`); an f-string comes as (its shape as a regex, a sample)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if "tests" in rel.parts or rel.name == "conftest.py":
            continue
        module = "genxi." + ".".join(rel.with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _names(node) & NOT_AUDIT:
                continue
            for kw in node.keywords:
                if kw.arg != "verb":
                    continue
                where = f"{rel}:{kw.value.lineno}"
                if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    found.append((where, kw.value.value, None, module))
                elif isinstance(kw.value, ast.JoinedStr):
                    parts = kw.value.values
                    const = [v.value if isinstance(v, ast.Constant) else None for v in parts]
                    shape = "".join(re.escape(c) if c else "[a-z0-9_.*]+" for c in const)
                    sample = "".join(c or "x" for c in const)
                    found.append((where, None, (re.compile(f"^{shape}$"), sample), module))
    return found


def test_the_walk_finds_the_verbs_of_every_app():
    found = _verbs_in_source()
    literals = {verb for _w, verb, _f, _m in found if verb}
    assert {"claim.approve", "auth.login", "region.create", "unit.create"} <= literals
    assert {"demo.load", "resident.create", "routing_rule.delete", "audit.purge"} <= literals
    assert "action_item" not in literals  # a notification's kind, not an audit verb
    samples = {made[1] for _w, verb, made, _m in found if verb is None}
    assert {"case.x", "admin.x.update", "x.import"} <= samples


def test_every_verb_in_the_source_is_registered_with_chinese_words():
    unregistered = []
    for where, verb, made, module in _verbs_in_source():
        import_module(module)  # a module may register what it records (demo)
        if verb is not None:
            if not audit_verbs.is_registered(verb):
                unregistered.append(f"{where} {verb}")
            continue
        # An f-string: some registered verb has its shape, or a pattern covers it.
        shape, sample = made
        known = [v for v, _label in audit_verbs.choices()]
        if not any(shape.match(v) for v in known) and not audit_verbs.is_registered(sample):
            unregistered.append(f"{where} {shape.pattern}")
    assert unregistered == []
    missing_words = [v for v, label in audit_verbs.choices() if not CJK.search(label)]
    assert missing_words == []


def test_the_case_loop_and_the_imports_have_a_verb_for_each_of_their_actions():
    from typing import get_type_hints

    from genxi.cases.domain.states import TRANSITIONS
    from genxi.cases.messages import ACTION_LABELS
    from genxi.people.importers import IMPORTERS

    for action in TRANSITIONS:
        assert str(ACTION_LABELS[action]) in audit_verbs.label(f"case.{action}")
    for importer in IMPORTERS.values():
        model = get_type_hints(importer.build)["return"]
        assert audit_verbs.VERBS[f"{model._meta.model_name}.import"]


def test_patterns_cover_the_admins_verbs_one_word_at_a_time():
    assert audit_verbs.label("admin.need.update") == "后台修改"
    assert audit_verbs.label("admin.resident.delete") == "后台删除"
    assert not audit_verbs.is_registered("admin.need.update.more")
    assert not audit_verbs.is_registered("admin..update")
    assert audit_verbs.label("gone.verb") == "gone.verb"  # an old event keeps its code


def test_registering_refuses_a_bad_shape_or_other_words():
    with pytest.raises(ImproperlyConfigured):
        audit_verbs.register("Claim Approve", "x")
    with pytest.raises(ImproperlyConfigured):
        audit_verbs.register("claim.approve", "另一个说法")
    audit_verbs.register("claim.approve", "通过认领")  # the same words again: harmless


def test_record_refuses_an_unregistered_verb_in_the_tests_and_logs_it_in_production(db, caplog):
    with pytest.raises(audit_verbs.UnregisteredVerb):
        audit.record(actor=None, verb="nobody.registered_this")
    with pytest.raises(audit_verbs.UnregisteredVerb):
        audit.record_bulk(actor=None, verb="nobody.registered_this", targets=[])
    assert not AuditEvent.objects.filter(verb="nobody.registered_this").exists()
    with override_settings(GENXI_AUDIT_STRICT_VERBS=False), caplog.at_level(logging.ERROR):
        event = audit.record(actor=None, verb="nobody.registered_this")
    assert event.pk and "nobody.registered_this" in caplog.text


def _page(client, world, **params):
    client.force_login(world.users["auditor"])
    return client.get(reverse("audit"), params)


def test_the_audit_page_shows_the_words_and_offers_the_registered_verbs(client, world):
    audit.record(actor=world.users["street"], verb="claim.approve", target_label="认领甲")
    audit.record(actor=world.users["street"], verb="admin.need.update", target_label="需求乙")
    html = _page(client, world).content.decode()
    assert "通过认领" in html and "claim.approve" in html
    assert "后台修改" in html
    select = html[html.index('<select name="verb"') : html.index("</select>")]
    values = re.findall(r'<option value="([^"]*)"', select)
    assert values == ["", *sorted(v for v, _label in audit_verbs.choices())]
    assert '<input type="text" name="verb"' not in html


def test_the_audit_page_filters_by_a_verb_or_a_pattern(client, world):
    audit.record(actor=None, verb="auth.login", target_label="甲")
    audit.record(actor=None, verb="auth.login_failed", target_label="乙")
    audit.record(actor=None, verb="admin.need.update", target_label="丙")
    audit.record(actor=None, verb="admin.need.delete", target_label="丁")

    def labels(verb):
        response = _page(client, world, verb=verb)
        assert response.status_code == 200
        return set(
            re.findall(r'<td data-label="对象">(?:[^<]*#\S+ )?(\S)</td>', response.content.decode())
        )

    assert labels("auth.login") == {"甲"}  # not auth.login_failed
    assert labels("admin.*.update") == {"丙"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"verb": "claim.approv"}, "操作"),
        ({"verb": "' OR 1=1"}, "操作"),
        ({"since": "2026-13-45"}, "起始日期"),
    ],
)
def test_a_filter_that_is_no_choice_answers_400_beside_its_field(client, world, params, field):
    audit.record(actor=None, verb="auth.login", target_label="甲")
    response = _page(client, world, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<div class="invalid-feedback d-block">{field}:' in html
    assert "没有记录" in html


def test_the_audit_page_names_people_and_shows_no_verb_codes(client, world):
    street = world.users["street"]
    street.display_name = "王主任"
    street.save(update_fields=["display_name"])
    audit.record(actor=street, verb="claim.approve", target_label="认领甲")
    audit.record(actor=None, verb="auth.login", target_label="乙")
    html = _page(client, world).content.decode()
    actors = re.findall(r'<td[^>]*data-label="操作人">(.*?)</td>', html)
    assert "王主任" in actors and not any(street.username in a for a in actors)  # not the login
    assert "系统" in actors and "system" not in actors
    assert re.search(r"<td[^>]*>[^<]*claim\.approve", html) is None  # the code is a tooltip only
    assert 'title="claim.approve">通过认领</td>' in html
