"""What an audit event changed, as a person reads it (issue #10): each field by its label
(the model field's `verbose_name`), before → after, with names for ids, choices' words,
是/否, local times and "—" for nothing, instead of the stored dicts of internal values.

`describe(events)` gives every event of a page its `changes` (a list of `Change`): the ids
of all the events are resolved together, one query per kind of related object, never one
per row. The stored values are already masked (`audit.snapshot`); nothing is unmasked here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent

NOTHING = "—"
# Keys that are bookkeeping, not something a person changed.
SKIPPED = {"id", "pk", "created_at", "updated_at"}
# The words of keys that services record and no model field names.
WORDS = {
    "target": gettext_lazy("对象"),
    "field": gettext_lazy("字段"),  # a reveal of personal data: which field was shown
    # The demo's load counts (demo.load) that no field's name matches well.
    "holidays": gettext_lazy("节假日"),
    "needs": gettext_lazy("需求"),
    "users": gettext_lazy("账号"),
    "notices_closed": gettext_lazy("已整改的整改通知单"),
    "notices_escalated": gettext_lazy("逾期转诉求的整改通知单"),
    "community_notices": gettext_lazy("社区公告"),
    "campaign_events": gettext_lazy("宣传关联活动"),
    "campaign_parts": gettext_lazy("参与宣传的社区"),
    "hours_records": gettext_lazy("志愿时长记录"),
    "hours_confirmed": gettext_lazy("已确认的志愿时长记录"),
    "monthly_reports": gettext_lazy("月度报告"),
    "sms_consents": gettext_lazy("短信同意"),
    "notice_images": gettext_lazy("公告图片"),
    "contact_days": gettext_lazy("社情民意联系日"),
    "study_reflections": gettext_lazy("学习感悟"),
    "training_plans": gettext_lazy("冬训计划"),
    "training_sessions": gettext_lazy("冬训课程"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def field_for(model: type[models.Model] | None, key: str, value: Any = None) -> models.Field | None:
    """The field a snapshot's key stands for (`community_id` → `community`): on the event's
    model, else on another model of its app, else anywhere (a service's own dict, such as
    `{"grid": 10}` for the buildings given to a grid). A field with choices that do not
    hold `value` gives way to one whose choices do (a meeting's resolution's `kind`)."""
    if not isinstance(value, str):
        value = None
    return _field_for(model, key, value)


@lru_cache(maxsize=4096)
def _field_for(
    model: type[models.Model] | None, key: str, value: str | None
) -> models.Field | None:
    candidates: list[type[models.Model]] = []
    if model is not None:
        candidates.append(model)
        candidates += list(apps.get_app_config(model._meta.app_label).get_models())
    candidates += list(apps.get_models())
    names = [key, key[:-3]] if key.endswith("_id") else [key]
    first = None
    for candidate in candidates:
        for name in names:
            try:
                field = candidate._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not isinstance(field, models.Field):
                continue
            if value is None or not field.choices or value in dict(field.flatchoices):
                return field
            first = first or field
    return first


def label_of(model: type[models.Model] | None, key: str, field: models.Field | None = None) -> str:
    if key in WORDS:
        return str(WORDS[key])
    field = field or field_for(model, key)
    if field is not None and getattr(field, "_verbose_name", None):  # given, not made up
        return str(capfirst(field.verbose_name))
    if field is not None and field.is_relation and field.related_model is not None:
        return str(capfirst(field.related_model._meta.verbose_name))
    other = _relation_model(model, key)
    if other is not None:
        return str(capfirst(other._meta.verbose_name))
    return key.replace("_", " ")


@lru_cache(maxsize=512)
def _relation_model(model: type[models.Model] | None, key: str) -> type[models.Model] | None:
    """A key named after the other side of a relation (`{"buildings": ["1", "2"]}` on an
    estate): that model, whose name is the label. Its values are the service's own."""
    candidates = [model] if model is not None else []
    names = [key, key[:-1]] if key.endswith("s") else [key]  # units → an invitee's unit
    for name in names:
        for candidate in candidates + list(apps.get_models()):
            try:
                rel = candidate._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(rel.related_model, type):
                return rel.related_model
    return None


def _ids(value: Any) -> bool:
    """A list of ids (`{"units": [1, 91]}`), not of a service's own words or numbers."""
    return isinstance(value, list) and bool(value) and all(type(v) is int for v in value)


def _related(field: models.Field | None) -> type[models.Model] | None:
    if field is not None and field.is_relation and field.related_model is not None:
        related = field.related_model
        return related if isinstance(related, type) else None
    return None


def _model_of(event: AuditEvent) -> type[models.Model] | None:
    return event.target_type.model_class() if event.target_type is not None else None


def _wanted(value: Any) -> bool:
    return value not in (None, "", [], {})


def describe(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events, each with `changes`: the fields that differ (an update) or that were
    set (a creation, a deletion), named and readable."""
    events = list(events)
    Pair = tuple[str, models.Field | None, type[models.Model] | None, Any, Any]
    rows: list[tuple[AuditEvent, list[Pair]]] = []
    ids: dict[type[models.Model], set[Any]] = defaultdict(set)
    for event in events:
        model = _model_of(event)
        before, after = event.before, event.after
        pairs: list[Pair] = []
        if isinstance(before, dict) or isinstance(after, dict):
            b = before if isinstance(before, dict) else {}
            a = after if isinstance(after, dict) else {}
            both = isinstance(before, dict) and isinstance(after, dict)
            for key in list(a) + [k for k in b if k not in a]:
                if key in SKIPPED:
                    continue
                old, new = b.get(key), a.get(key)
                if both and old == new:
                    continue
                if not both and not (_wanted(old) or _wanted(new)):
                    continue  # a creation's or deletion's empty fields
                if key == "field":  # its value names a field of the target: say its label
                    old, new = (label_of(model, v) if isinstance(v, str) else v for v in (old, new))
                    pairs.append((label_of(model, key), None, None, old, new))
                    continue
                field = field_for(model, key, new if new is not None else old)
                label = label_of(model, key, field)
                if field is not None and field.many_to_many and not (_ids(old) or _ids(new)):
                    field = None  # a service's own words under a relation's name, not ids
                related = _related(field)
                if field is None and (_ids(old) or _ids(new)):
                    related = _relation_model(model, key)
                pairs.append((label, field, related, old, new))
                if related is not None:
                    for value in (old, new):
                        for one in value if isinstance(value, list) else [value]:
                            if one is not None and not isinstance(one, (dict, list)):
                                ids[related].add(one)
        elif before is not None or after is not None:
            pairs.append((_("内容"), None, None, before, after))
        rows.append((event, pairs))
    user_model = get_user_model()
    accounts = {event.target_id for event in events if _model_of(event) is user_model}
    ids[user_model] |= accounts
    names = _names(ids)
    for event, pairs in rows:
        # An account is named as it is today (its label may be the login it had then).
        if event.target_id in accounts and _model_of(event) is user_model:
            event.target_label = names.get((user_model, str(event.target_id)), event.target_label)
        event.changes = [  # type: ignore[attr-defined]  # the page's, not a column
            Change(
                label=label,
                before=_show(field, old, names, related),
                after=_show(field, new, names, related),
            )
            for label, field, related, old, new in pairs
        ]
    return events


def _names(ids: dict[type[models.Model], set[Any]]) -> dict[tuple[type[models.Model], str], str]:
    """(model, str(pk)) → the object's name, one query per model."""
    found: dict[tuple[type[models.Model], str], str] = {}
    for model, pks in ids.items():
        qs = model._base_manager.all()
        if any(f.name == "parent" and f.is_relation for f in model._meta.get_fields()):
            qs = qs.select_related("parent")  # a category's name is under its parent's
        clean, logins = [], []
        for pk in pks:
            try:
                clean.append(model._meta.pk.to_python(pk))
            except Exception:  # noqa: BLE001 — not an id: a login (below) or shown as it is
                logins.append(str(pk))
        for obj in qs.filter(pk__in=clean):
            found[(model, str(obj.pk))] = str(obj)
        user_model = get_user_model()
        if logins and model is user_model:
            # Some services recorded the account's login (an owner, a token's user).
            for user in user_model._base_manager.filter(username__in=logins):
                found[(model, user.get_username())] = str(user)
    return found


def _show(
    field: models.Field | None,
    value: Any,
    names: dict,
    related: type[models.Model] | None = None,
) -> str:
    """One value as a person reads it."""
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, list):
        return "、".join(_show(field, v, names, related) for v in value)
    if isinstance(value, dict):
        return ";".join(
            f"{label_of(None, k)}:{_show(field_for(None, k), v, names)}" for k, v in value.items()
        )
    if isinstance(value, bool):
        return _("是") if value else _("否")
    related = related or _related(field)
    if related is not None:
        return names.get((related, str(value)), f"#{value}")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and isinstance(field, models.DateTimeField):
        moment = parse_datetime(value)
        if isinstance(moment, datetime):
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%Y-%m-%d %H:%M")
    return str(value)
