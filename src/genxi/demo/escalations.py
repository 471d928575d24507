"""Demo cases across levels (吹哨报到): sent up by 彩香一村 to 金阊街道, dispatched to the
market-supervision desk (市场监管所) as lead with the property company or a partner unit
assisting, one sent back by the department, one sent back down to the community. Made
through the loop's own services, then spread over the past days so the hand-over times
read as a working week. Loaded once (skipped when they exist)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from genxi.cases import services
from genxi.cases.models import Case, CaseAssignment, CaseEvent, Category
from genxi.people.models import User
from genxi.regions.models import Region

TAG = "demo-escalation"
GRID = "320508012001001"  # the `gridworker` login's grid in 彩香一村

# (category, text, days ago, [(login, action, fields, hours after the step before)])
STORIES: list[tuple[str, str, int, list[tuple[str, str, dict[str, Any], float]]]] = [
    (
        "MKT",
        "彩香一村5幢底商餐馆油烟直排,居民窗台发黑,社区多次上门协调无果",
        9,
        [
            ("community", "accept", {}, 1.0),
            ("community", "escalate", {"reason": "涉及餐饮油烟执法,社区无权处理"}, 20.0),
            ("jinchang", "dispatch", {"lead": "scjg", "assist": ["wuye"]}, 3.0),
            ("wuye", "assist_done", {"note": "已提供商铺租赁信息,陪同执法人员进场"}, 6.0),
            ("scjg", "take", {}, 1.0),
            ("scjg", "resolve", {"result": "已责令商户安装油烟净化设备,复查达标"}, 40.0),
            ("jinchang", "verify", {}, 4.0),
        ],
    ),
    (
        "MKT",
        "彩香一村菜场门口无证摊贩占道经营,早高峰堵住小区出入口",
        6,
        [
            ("community", "accept", {}, 0.5),
            ("community", "escalate", {"reason": "摊贩不听劝阻,需执法部门处理"}, 8.0),
            ("jinchang", "dispatch", {"lead": "scjg", "assist": ["unit"]}, 2.5),
            ("scjg", "return", {"reason": "占道经营属城管职责,请街道改派"}, 5.0),
        ],
    ),
    (
        "SAFE",
        "彩香一村12幢楼道有人私拉电线给电动车充电,存在火灾隐患",
        4,
        [
            ("community", "accept", {}, 0.5),
            ("community", "dispatch", {"lead": "gridworker"}, 1.0),
            ("gridworker", "escalate", {"reason": "住户拒不整改,需消防和物业联合处置"}, 6.0),
            ("jinchang", "dispatch", {"lead": "wuye", "assist": ["scjg"]}, 2.0),
            ("wuye", "take", {}, 1.5),
        ],
    ),
    (
        "ENV",
        "彩香一村东门外绿化带被人圈占种菜,多次劝说无效",
        2,
        [
            ("community", "accept", {}, 1.0),
            ("community", "escalate", {"reason": "需要城管部门执法"}, 4.0),
        ],
    ),
    (
        "PROP",
        "彩香一村8幢单元门禁坏了一周,物业一直没来修",
        3,
        [
            ("community", "accept", {}, 1.0),
            ("community", "escalate", {"reason": "物业不配合"}, 3.0),
            ("jinchang", "send_down", {"reason": "属于物业服务事项,请社区督促物业维修"}, 5.0),
        ],
    ),
]


def load_escalations() -> int:
    if Case.objects.filter(tags__icontains=f'"{TAG}"').exists():
        return 0
    grid = Region.objects.get(code=GRID)
    people = {u.username: u for u in User.objects.filter(username__in=_logins())}
    categories = {c.code: c for c in Category.objects.filter(parent=None)}
    now = timezone.now()
    for code, text, days, steps in STORIES:
        case = services.case_create(
            actor=people["community"],
            channel="phone",
            text=text,
            category=categories.get(code),
            region=grid,
            tags=["demo", TAG],
        )
        hours = [0.0]
        for login, action, given, after in steps:
            fields = dict(given)
            if "lead" in fields:
                fields["handler"] = people[fields.pop("lead")]
            if "assist" in fields:
                fields["assistants"] = [people[u] for u in fields.pop("assist")]
            services.case_act(actor=people[login], case=case, action=action, **fields)
            hours.append(hours[-1] + after)
        _spread(case, now - timedelta(days=days), hours)
    return len(STORIES)


def _logins() -> set[str]:
    found = {"community"}
    for _, _, _, steps in STORIES:
        for login, _, given, _ in steps:
            found |= {
                login,
                *given.get("assist", []),
                *([given["lead"]] if "lead" in given else []),
            }
    return found


def _spread(case: Case, start: datetime, hours: list[float]) -> None:
    """Move the case's history from the seconds it took to `start` + `hours` (one per
    event): every time the steps wrote is moved with the event that followed it."""
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    moved = [(e.created_at, start + timedelta(hours=h)) for e, h in zip(events, hours, strict=True)]

    def at(when: datetime | None) -> datetime | None:
        if when is None:
            return None
        return next((new for old, new in moved if old >= when), moved[-1][1])

    shift = start - events[0].created_at
    handed = start
    for event, (_, new) in zip(events, moved, strict=True):
        event.created_at = new
        if event.held is not None:
            event.held, handed = new - handed, new
    CaseEvent.objects.bulk_update(events, ["created_at", "held"])
    for row in CaseAssignment.objects.filter(case=case):
        row.assigned_at = at(row.assigned_at) or start
        row.ended_at = at(row.ended_at)
        row.save(update_fields=["assigned_at", "ended_at"])
    Case.objects.filter(pk=case.pk).update(
        created_at=start,
        handed_at=at(case_field(case, "handed_at")),
        responded_at=at(case_field(case, "responded_at")),
        resolved_at=at(case_field(case, "resolved_at")),
        respond_by=F("respond_by") + shift,
        resolve_by=F("resolve_by") + shift,
    )


def case_field(case: Case, name: str) -> Any:
    return Case.objects.filter(pk=case.pk).values_list(name, flat=True).get()
