"""The write matrix of the request loop: intake (page, API, public form, Open311) and every
transition of a case, through its page and its API endpoint, for every role, on a case in
street A and one in street B (see core/testing/write_matrix.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from genxi.cases.domain.states import TRANSITIONS
from genxi.cases.models import (
    Case,
    CaseAssignment,
    CaseEvent,
    CaseState,
    Channel,
    Open311Client,
)
from genxi.cases.services import new_code
from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import (
    PUBLIC,
    Ctx,
    Write,
    assert_declared,
    fields,
    no,
    ok,
)

VISIBLE = {"system_admin", "street", "community", "grid", "department"}  # see a case in grid_a1

# Who may take each step on a case in grid_a1 dispatched to the grid worker there.
DISPATCHERS = {"street", "community"}
HANDLER = {"grid"}
SUPERVISOR = {"street"}
MAY = {
    "accept": DISPATCHERS,
    "reject": DISPATCHERS,
    "merge": DISPATCHERS,
    "dispatch": DISPATCHERS,
    "transfer": DISPATCHERS,
    "take": HANDLER,
    "return": HANDLER,
    "request_extension": HANDLER,
    "approve_extension": SUPERVISOR,
    "resolve": HANDLER,
    "verify": DISPATCHERS,
    "send_back": DISPATCHERS,
    "rate": DISPATCHERS,
    "close": DISPATCHERS,
    "reopen": SUPERVISOR,
    "flag": SUPERVISOR,
    # 吹哨报到: the community sends up, the street sends down, an assisting unit reports.
    "escalate": DISPATCHERS,
    "send_down": SUPERVISOR,
    "assist_done": {"unit"},
}

# What each step needs of the case: its state and fields; the request's fields.
HANDLED = ("dispatched", "in_progress", "resolved", "verified", "closed")
SETUP = {
    "accept": ("submitted", {}),
    "reject": ("submitted", {}),
    "merge": ("submitted", {}),
    "dispatch": ("accepted", {}),
    "transfer": ("dispatched", {}),
    "take": ("dispatched", {}),
    "return": ("dispatched", {}),
    "request_extension": ("in_progress", {}),
    "approve_extension": ("in_progress", {"pending_extension_days": 3}),
    "resolve": ("in_progress", {}),
    "verify": ("resolved", {}),
    "send_back": ("resolved", {}),
    "rate": ("verified", {}),
    "close": ("verified", {"rating": "satisfied"}),
    "reopen": ("closed", {"rating": "unsatisfied"}),
    "flag": ("accepted", {}),
    "escalate": ("accepted", {}),
    "send_down": ("accepted", {"level": "street"}),
    "assist_done": ("dispatched", {"level": "street"}),
}


def make_case(ctx: Ctx, state: str = "submitted", text: str = "楼道里的声控灯坏了好几天", **extra):
    """A case on the side's grid, in `state`, dispatched to the grid's worker if it has
    reached that far."""
    lat, lon = ctx.point
    now = timezone.now()
    if state == "closed":
        extra.setdefault("closed_at", now - timedelta(days=1))
    return Case.objects.create(
        code=new_code(),
        channel=Channel.PHONE,
        title=text[:60],
        text=text,
        lat=lat,
        lon=lon,
        region=ctx.grid,
        state=state,
        handler=ctx.handler if state in HANDLED else None,
        respond_by=now + timedelta(hours=4),
        resolve_by=now + timedelta(days=5),
        **extra,
    )


def _make_for(action: str):
    state, extra = SETUP[action]

    def make(ctx: Ctx):
        if action == "merge":
            ctx.extra["master"] = make_case(ctx, text="同一处声控灯坏了,已有人报过")
        case = make_case(ctx, state, **extra)
        if action == "assist_done":  # the side's unit assists the grid worker's lead
            CaseAssignment.objects.create(
                case=case, role="lead", person=ctx.handler, org_name="主办单位"
            )
            CaseAssignment.objects.create(
                case=case, role="assist", person=ctx.liaison, unit=ctx.unit, org_name="协办单位"
            )
        return case

    return make


def _fields_for(action: str, api: bool):
    def data(ctx: Ctx) -> dict:
        given = {
            "reject": {"reason": "不属于受理范围"},
            "merge": {"master": ctx.extra.get("master") and ctx.extra["master"].code},
            "return": {"reason": "不是本网格的事"},
            "request_extension": {"days": 3, "reason": "需要协调物业维修"},
            "resolve": {"result": "已更换灯泡"},
            "send_back": {"reason": "灯还是不亮"},
            "rate": {"rating": "satisfied"},
            "reopen": {"reason": "灯又坏了"},
            "escalate": {"reason": "社区协调不了,需要供电部门"},
            "send_down": {"reason": "属于社区自治范围"},
            "assist_done": {"note": "已派电工到场配合"},
        }.get(action, {})
        if action in ("dispatch", "transfer"):
            to = ctx.handler if action == "dispatch" else ctx.worker
            given = {"handler": to.username if api else to.pk}
        return given

    return data


CASE_STATE = fields(
    "state",
    "handler_id",
    "flagged",
    "rating",
    "pending_extension_days",
    "extensions",
    "master_id",
    "level",
    also=lambda ctx: CaseEvent.objects.filter(case=ctx.target).count(),
)


def _transition_writes(action: str) -> list[Write]:
    may = MAY[action]
    # A refused step is the case page again with the reason on the form (decision 0016).
    page = {r: ok(302) for r in may} | {r: no(403) for r in VISIBLE - may}
    api = {r: ok(200) for r in may} | {r: no(403) for r in VISIBLE - may}
    if action == "transfer":
        # The grid worker cannot name the community's worker: outside its scope, an invalid
        # choice on the page's form (400), an unknown name to the API (404).
        page["grid"], api["grid"] = no(400), no(404)
    return [
        Write(
            f"case.{action}.page",
            route="cases:act",
            make=_make_for(action),
            url=lambda ctx, action=action: reverse("cases:act", args=[ctx.target.code, action]),
            data=_fields_for(action, api=False),
            watch=CASE_STATE,
            inside=page,
        ),
        Write(
            f"case.{action}.api",
            route=f"POST /api/v1/cases/{{code}}/{action}",
            make=_make_for(action),
            url=lambda ctx, action=action: f"/api/v1/cases/{ctx.target.code}/{action}",
            data=_fields_for(action, api=True),
            watch=CASE_STATE,
            inside=api,
            kind="api",
        ),
    ]


def _intake(ctx: Ctx) -> dict:
    lat, lon = ctx.point
    return {"text": f"小区路灯不亮了好几天({ctx.role})", "lat": lat, "lon": lon}


def _cases(ctx: Ctx):
    return Case.objects.count()


# Staff intake is not limited to the staff's own area: a phone call about another street
# is recorded and placed where the problem is, as the public form would (docs/security.md,
# "Write permissions").
CREATORS = {"system_admin", "street", "community", "grid", "unit", "outsider", "department"}
# The intake page is for those who take cases in (core.roles.INTAKE_ROLES): a liaison, a
# department officer and the system admin get no page (404), as they get no button.
INTAKERS = {"street", "community", "grid", "outsider"}
INTAKE_PAGE = {r: ok(302) for r in INTAKERS}
INTAKE_API = {r: ok(201) for r in CREATORS} | {
    r: no(403) for r in ("security_admin", "auditor", "norole")
}
SUGGEST = {r: no(200) for r in ("street", "community", "grid", "outsider")} | {
    "system_admin": no(403),
    "department": no(403),
    **{r: no(403) for r in ("security_admin", "auditor", "unit", "norole")},
}

OPEN311_KEY = "matrix-open311-key-0123456789"


def _open311_client(active: bool):
    def make(ctx: Ctx):
        Open311Client.objects.create(
            name="矩阵测试", digest=Open311Client.digest_of(OPEN311_KEY), active=active
        )

    return make


def _open311_form(with_key: bool):
    def data(ctx: Ctx) -> dict:
        lat, lon = ctx.point
        form = {
            "service_code": "FAC.02",
            "lat": str(lat),
            "long": str(lon),
            "description": "小区路灯不亮了好几天",
        }
        return form | ({"api_key": OPEN311_KEY} if with_key else {})

    return data


def _verified_case_public_id(ctx: Ctx):
    """A verified, unrated case; its public id is whatever the anonymous Open311 feed shows."""
    text = f"评价测试{ctx.role}{ctx.side}楼道灯坏了"
    case = make_case(ctx, "verified", text=text)
    feed = Client().get("/open311/v2/requests.json").json()
    ctx.extra["public_id"] = next(r["service_request_id"] for r in feed if r["description"] == text)
    return case


WRITES: list[Write] = [
    Write(
        "case.create.page",
        route="cases:new",
        make=lambda ctx: None,
        url=lambda ctx: reverse("cases:new"),
        data=lambda ctx: _intake(ctx) | {"urgency": "normal"},
        watch=_cases,
        inside=INTAKE_PAGE,
        outside=INTAKE_PAGE,
        near=INTAKE_PAGE,
    ),
    Write(
        "case.create.api",
        route="POST /api/v1/cases",
        make=lambda ctx: None,
        url=lambda ctx: "/api/v1/cases",
        data=_intake,
        watch=_cases,
        inside=INTAKE_API,
        outside=INTAKE_API,
        near=INTAKE_API,
        kind="api",
    ),
    Write(
        "case.suggest.api",
        route="POST /api/v1/cases/suggest",
        make=lambda ctx: None,
        url=lambda ctx: "/api/v1/cases/suggest",
        data=_intake,
        watch=_cases,
        inside=SUGGEST,
        outside=SUGGEST,
        near=SUGGEST,
        kind="api",
    ),
    Write(
        "case.create.public",
        route="public:report",
        make=lambda ctx: None,
        url=lambda ctx: reverse("public:report"),
        data=_intake,
        watch=_cases,
        inside={"*": ok(302)},
        kind=PUBLIC,
    ),
    Write(
        "case.rate.public_id",
        route="public:track_case",
        make=_verified_case_public_id,
        url=lambda ctx: reverse("public:track_case", args=[ctx.extra["public_id"]]),
        data=lambda ctx: {"rating": "satisfied", "comment": "很好"},
        watch=CASE_STATE,
        # Whoever knows only the public id may not rate: nothing is written, however it
        # answers (the reporter's secret, given at submission, is tested with that item).
        inside={"*": no((200, 302, 400, 403, 404))},
        kind=PUBLIC,
    ),
    Write(
        "case.create.open311",
        route="open311:requests",
        make=_open311_client(active=True),
        url=lambda ctx: "/open311/v2/requests.json",
        data=_open311_form(with_key=True),
        watch=_cases,
        inside={"*": ok(201)},
        kind=PUBLIC,
    ),
    Write(
        "case.create.open311_without_key",
        route="open311:requests",
        make=_open311_client(active=True),
        url=lambda ctx: "/open311/v2/requests.json",
        data=_open311_form(with_key=False),
        watch=_cases,
        inside={"*": no(403)},
        kind=PUBLIC,
    ),
    Write(
        "case.create.open311_revoked_key",
        route="open311:requests",
        make=_open311_client(active=False),
        url=lambda ctx: "/open311/v2/requests.json",
        data=_open311_form(with_key=True),
        watch=_cases,
        inside={"*": no(403)},
        kind=PUBLIC,
    ),
]
for _action in TRANSITIONS:
    WRITES += _transition_writes(_action)


def _in_street_a(make):
    """Build the target in street A whatever the side: the side then only says where the
    people and cases the request names are (street A, or street B: out of scope)."""
    return lambda ctx: make(replace(ctx, side="in", extra=ctx.extra))


def _naming_elsewhere(action: str) -> list[Write]:
    """A case in scope, and a handler or master case named from the other street: for
    whoever cannot see that one, an invalid choice on the page's form (400, decision 0016)
    and an unknown name to the API (404); the system admin sees it but may not act."""
    writes = []
    for write in _transition_writes(action):
        page = not write.is_api
        unseen = no(400) if page else no(404)
        outside = dict.fromkeys(("street", "community", "grid"), unseen) | {"outsider": no(404)}
        near = {}
        if page:  # the department sees the case, the community and grid workers this one
            outside["department"] = unseen
            near = dict.fromkeys(("community", "grid"), unseen)
        writes.append(
            replace(
                write,
                name=write.name.replace(f".{action}.", f".{action}_elsewhere."),
                make=_in_street_a(write.make) if action != "merge" else _merge_elsewhere,
                outside=outside | {"system_admin": no(403)},
                near=near,
            )
        )
    return writes


def _merge_elsewhere(ctx: Ctx):
    ctx.extra["master"] = make_case(ctx, text="同一处声控灯坏了,已有人报过")
    return make_case(replace(ctx, side="in"), "submitted")


WRITES += _naming_elsewhere("dispatch") + _naming_elsewhere("merge")


def _contact_reveals(ctx: Ctx) -> int:
    from genxi.core.models import AuditEvent

    return AuditEvent.objects.filter(verb="case.contact_reveal").count()


# 联系居民: the case's handler and the dispatchers over its place see the reporter's number
# (a recorded reveal); others who see the case — the system admin, the department — may not.
WRITES.append(
    Write(
        "case.contact_reveal.page",
        route="cases:contact",
        make=lambda ctx: make_case(ctx, "dispatched", reporter_contact="13912345678"),
        url=lambda ctx: reverse("cases:contact", args=[ctx.target.code]),
        data=lambda ctx: {"reason": "上门前电话确认地址"},
        watch=_contact_reveals,
        inside={
            "street": ok(200),
            "community": ok(200),
            "grid": ok(200),
            "system_admin": no(403),
            "department": no(403),
        },
    )
)


SPLIT_TEXT = "楼道里的声控灯坏了好几天。另外门口的垃圾桶三天没人清了"


def _split_at(ctx: Ctx) -> dict:
    from genxi.cases.domain.split import cuts

    end, start, _, _ = cuts(SPLIT_TEXT)[0]
    return {"end": end, "start": start}


# 拆分诉求: a dispatcher over the case splits a request with two problems before dispatch.
WRITES.append(
    Write(
        "case.split.page",
        route="cases:split",
        make=lambda ctx: make_case(ctx, "submitted", text=SPLIT_TEXT),
        url=lambda ctx: reverse("cases:split", args=[ctx.target.code]),
        data=_split_at,
        watch=fields("text", also=lambda ctx: Case.objects.count()),
        inside={r: ok(302) for r in DISPATCHERS} | {r: no(403) for r in VISIBLE - DISPATCHERS},
    )
)


class TestWrites(CreateMatrix, ActMatrix):
    writes = WRITES


def test_every_transition_is_in_the_matrix():
    """A new step of the loop must say who may take it (MAY) and how to set it up."""
    assert set(MAY) == set(SETUP) == set(TRANSITIONS)
    assert set(CaseState.values) >= {SETUP[a][0] for a in SETUP}


def test_every_write_is_declared():
    assert_declared("genxi.cases", WRITES)
