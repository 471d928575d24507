"""The audit page's changes: field labels and readable values, not dicts of ids (issue #10)."""

import re
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Case, Category
from genxi.core import audit, audit_verbs
from genxi.core.audit_changes import describe
from genxi.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):  # not the language an earlier request left
        yield


def _event(model, before, after):
    return AuditEvent(
        verb="case.dispatch",
        target_type=ContentType.objects.get_for_model(model),
        target_id="1",
        before=before,
        after=after,
    )


def _table(event):
    return {c.label: (c.before, c.after) for c in event.changes}


def test_an_update_is_field_labels_with_names_words_and_local_times(world):
    ensure_categories(Category)
    street = world.users["street"]
    street.display_name = "王主任"
    street.save(update_fields=["display_name"])
    lifts = Category.objects.get(code="FAC.04")
    event = _event(
        Case,
        {"state": "accepted", "handler_id": None, "flagged": False, "category_id": None},
        {
            "state": "dispatched",
            "handler_id": street.pk,
            "flagged": True,
            "category_id": lifts.pk,
            "respond_by": "2026-12-03T02:30:00+00:00",
        },
    )
    describe([event])
    assert _table(event) == {
        "状态": ("已受理", "已派遣"),
        "处置人": ("—", "王主任"),
        "督办": ("否", "是"),
        "类别": ("—", "设施维修 · 电梯"),
        "响应时限": ("—", "2026-12-03 10:30"),  # Asia/Shanghai
    }
    with translation.override("en"):
        describe([event])
        assert _table(event)["Status"] == ("Accepted", "Dispatched")


def test_a_creation_lists_what_was_set_and_unchanged_fields_are_left_out(world):
    resident = world.resident(world.grid_a1, "李阿姨")
    created = AuditEvent(
        verb="resident.create",
        target_type=ContentType.objects.get_for_model(resident),
        target_id=str(resident.pk),
        after=audit.snapshot(resident),
    )
    updated = _event(Case, {"state": "accepted", "text": "同"}, {"state": "accepted", "text": "同"})
    describe([created, updated])
    rows = _table(created)
    assert rows["姓名"] == ("—", "李阿姨")
    assert rows["网格"][1] == world.grid_a1.name
    assert all("_id" not in label and label != "id" for label in rows)
    phone = rows["手机号码"][1]
    assert "****" in phone and resident.phone not in phone  # masked as stored
    assert updated.changes == []


def test_a_services_own_dict_and_unknown_ids_read_plainly(world):
    event = AuditEvent(
        verb="building.assign",
        before=None,
        after={"grid": world.grid_a1.pk, "buildings": ["1", "2"]},
    )
    describe([event])
    assert _table(event) == {"网格": ("—", world.grid_a1.name), "楼栋": ("—", "1、2")}


def test_the_audit_page_shows_a_table_of_changes_not_a_dict(client, world):
    resident = world.resident(world.grid_a1, "张大爷")
    audit.record(
        actor=world.users["street"],
        verb="test.view",
        target=resident,
        after=audit.snapshot(resident),
    )
    client.force_login(world.users["auditor"])
    html = client.get(reverse("audit")).content.decode()
    assert "audit-changes" in html and "张大爷" in html
    assert "{'" not in html and "_id" not in re.sub(r"<[^>]+>", "", html)


def test_the_picker_offers_each_verb_by_words_that_tell_it_apart(client, world):
    labels = [label for _verb, label in audit_verbs.choices()]
    assert [lbl for lbl, n in Counter(labels).items() if n > 1] == []
    client.force_login(world.users["auditor"])
    html = client.get(reverse("audit")).content.decode()
    select = html[html.index('<select name="verb"') : html.index("</select>")]
    assert '<option value="claim.approve">通过认领</option>' in select


def test_names_are_resolved_once_per_kind_of_object(world):
    events = [
        _event(Case, {"handler_id": None}, {"handler_id": u.pk, "region_id": world.grid_a1.pk})
        for u in world.users.values()
    ]
    with CaptureQueriesContext(connection) as queries:
        describe(events)
    # the accounts, the regions (and a content type); the world's accounts have no name:
    # the posts they are called by, read once for them all
    assert len(queries) <= 4


def test_an_unregistered_verb_reads_as_other_action_with_the_verb_in_its_tooltip():
    event = AuditEvent(verb="gone.away")
    assert event.verb_label == "其他操作"
    assert AuditEvent(verb="claim.approve").verb_label == "通过认领"


def test_a_reveal_names_the_field_shown_by_its_label(world):
    """A reveal of personal data records which field was shown (`{"field": "reporter_contact"}`):
    the page says 字段 → 联系电话, never the field's code."""
    event = _event(Case, None, {"field": "reporter_contact"})
    describe([event])
    label = str(Case._meta.get_field("reporter_contact").verbose_name)
    assert _table(event) == {"字段": ("—", label)} and "reporter_contact" not in label
