"""Who is told what when a case moves: the people who act next, through
`core.notifications.tell`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from genxi.core.memo import Memo
from genxi.core.models import Notification
from genxi.core.notifications import notices, outside_channels, tell
from genxi.core.roles import Role
from genxi.people.models import Membership, User
from genxi.regions.domain.codes import ancestor_paths

from .domain.states import Level
from .messages import ACTION_LABELS
from .models import Case

STAFF_SECONDS = 30.0  # who works where changes rarely; a new colleague is told within 30 s
staff_memo = Memo("cases.staff", seconds=STAFF_SECONDS)


def _staff_over(case: Case, roles) -> list:
    """Users holding one of `roles` on the case's place or any node above it."""
    path = case.region.path

    def read() -> list:
        memberships = Membership.objects.filter(
            active=True, role__in=roles, region__path__in=ancestor_paths(path)
        ).select_related("user")
        return [m.user for m in memberships]

    return staff_memo.get_or_build(read, key=(path, tuple(sorted(roles))))


def case_changed(case: Case, action: str, *, before_level: str = "", data=None) -> None:
    """Tell the people who act next: at the street's level the street admins take what the
    community workers take below it (吹哨报到)."""
    for users, verb, text in _messages(case, action, data):
        tell(users, verb=verb, text=text, subject=case)


def submit_notices(case: Case) -> list[Notification] | None:
    """The inbox messages a new case's submission writes (`case_changed(case, "submit")`),
    unsaved, for the intake to write in its own statement; None when they go through
    outside channels too, whose delivery rows need the messages' ids: then the intake
    calls `case_changed` after its insert."""
    if outside_channels():
        return None
    return [
        notice
        for users, verb, text in _messages(case, "submit", None)
        for notice in notices(users, verb=verb, text=text, subject=case)
    ]


def _messages(case: Case, action: str, data) -> list[tuple[list, str, str]]:
    """Who is told what about `action` on `case`: (users, verb, text) for each message."""
    label = ACTION_LABELS.get(action, action)
    text = _("诉求 %(code)s:%(action)s — %(title)s") % {
        "code": case.code,
        "action": label,
        "title": case.title,
    }
    told: list[tuple[list, str, str]] = []
    street = case.level == Level.STREET
    if action == "escalate" or (street and action in ("return", "resolve")):
        told.append((_staff_over(case, [Role.STREET_ADMIN]), action, text))
    elif action in ("submit", "return", "resolve", "send_down"):
        told.append((_staff_over(case, [Role.COMMUNITY_WORKER]), action, text))
    if action in ("dispatch", "transfer", "send_back", "reopen"):
        told.append(([case.handler], action, text))
    assisting = (data or {}).get("assist_ids") or []
    if action in ("dispatch", "transfer") and assisting:
        assist_text = _("诉求 %(code)s:请协办 — %(title)s") % {
            "code": case.code,
            "title": case.title,
        }
        told.append((list(User.objects.filter(pk__in=assisting)), "assist", assist_text))
    if action == "assist_done" and case.handler is not None:
        told.append(([case.handler], action, text))
    if action == "request_extension" or (action == "rate" and case.rating == "unsatisfied"):
        told.append((_staff_over(case, [Role.STREET_ADMIN]), action, text))
    return told


def case_overdue(case: Case) -> None:
    text = _("诉求 %(code)s 已超过办结时限:%(title)s") % {"code": case.code, "title": case.title}
    users = [*_staff_over(case, [Role.STREET_ADMIN]), case.handler]
    tell(users, verb="overdue", text=text, subject=case)
