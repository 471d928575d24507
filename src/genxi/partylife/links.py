"""The practice classes' outputs: which kinds of work a 实践课堂 may link to, and the
related-links provider that shows the session on that work's page (core/related.py)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from genxi.core.related import Link
from genxi.core.roles import Perm
from genxi.core.scope import scope_for
from genxi.orgs.models import PartyMember
from genxi.people.models import Pioneer, Resident

from .models import PracticeLink, TrainingSession

# kind → (model label, its words).
PRACTICE_KINDS: dict[str, tuple[str, StrOrPromise]] = {
    "round": ("inspections.Round", _("检查轮次")),
    "event": ("events.Event", _("活动")),
    "visit": ("fieldwork.Visit", _("走访记录")),
    "campaign": ("campaigns.Campaign", _("主题宣传")),
}


def practice_model(kind: str) -> type[Model] | None:
    if kind not in PRACTICE_KINDS:
        return None
    label = PRACTICE_KINDS[kind][0]
    if not apps.is_installed(f"genxi.{label.split('.')[0].lower()}"):
        return None
    return apps.get_model(label)


def practice_sessions_for(user: Any, obj: Any) -> list[Link]:
    """冬训实践课堂: the sessions (that the user may see) whose output `obj` is."""
    if not isinstance(obj, Model) or obj.pk is None:
        return []
    if obj._meta.label not in {label for label, _words in PRACTICE_KINDS.values()}:
        return []  # no query on pages of things a practice class cannot produce
    ct = ContentType.objects.get_for_model(obj)
    if not PracticeLink.objects.filter(content_type=ct, object_id=obj.pk).exists():
        return []
    sessions = TrainingSession.objects.visible_to(user).filter(
        practice_links__content_type=ct, practice_links__object_id=obj.pk
    )
    return [
        Link(kind=_("冬训实践课堂"), text=s.topic, url=s.get_absolute_url())
        for s in sessions.distinct()
    ]


def memberships_for(user: Any, obj: Any) -> list[Link]:
    """On a pioneer's or a resident's page: the party memberships of the same person (the
    member page links back to both), so the three pages name one person."""
    lookup: dict[str, Any]
    if isinstance(obj, Pioneer):
        lookup = {"pioneer": obj}
    elif isinstance(obj, Resident):
        lookup = {"resident": obj}
    else:
        return []
    if not scope_for(user).has(Perm.VIEW_RESIDENTS):
        return []
    members = PartyMember.objects.visible_to(user).filter(**lookup).select_related("org")
    return [
        Link(
            kind=_("党员"),
            text=f"{m.org.name}{' · ' + m.position if m.position else ''}",
            url=reverse("partylife:org", args=[m.org_id]),
        )
        for m in members
    ]
