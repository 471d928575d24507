"""The write matrix of co-building: needs, resources, claims and their approval, rejection
and delivery, suggested matches, projects, services and their slots, joint meetings — by
page and by API, for every role, inside street A and in street B (see
core/testing/write_matrix.py).

Targets sit in the side's community (彩香一村 / 观景) and involve the unit paired with it;
the unit liaison of street A (`unit`) always acts in its own unit's name."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.cobuild import services
from genxi.cobuild.models import (
    AgendaItem,
    Claim,
    Evaluation,
    Invitee,
    MatchRejection,
    Meeting,
    Milestone,
    Need,
    Opinion,
    Project,
    Resolution,
    Resource,
    ServiceOffer,
    ServiceSlot,
    Spending,
    StandardVersion,
)
from genxi.core.testing.matrix import PUBLIC, ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import (
    API,
    HIDDEN,
    NEAR_ROLES,
    Answer,
    Ctx,
    Write,
    assert_declared,
    counts,
    fields,
    no,
    ok,
)

from .helpers import weekly_service

# A refused post shows its page again (decision 0016): 403 when the service refuses the user
# the action, 400 when the form refuses the input — including an object named in a form
# field that the user may not see, the same answer as one that does not exist. An object
# named in the URL that the user may not see is still a 404.
REFUSED = no(403)
NOT_A_CHOICE = no(400)

# The system admin and street A's department officer see it all, and may not act.
ONLOOKERS = {"system_admin": REFUSED, "department": REFUSED}
STAFF = {"street": ok(302), "community": ok(302)} | ONLOOKERS
# The liaison sees what its unit is invited to or may claim, but may not act for the staff.
STAFF_SEEN_BY_LIAISON = STAFF | {"unit": REFUSED}
# Only a liaison claims, in its own unit's name: to anyone else that unit is not a choice.
LIAISON = {"unit": ok(302)} | dict.fromkeys(("street", "community", *ONLOOKERS), NOT_A_CHOICE)

# The roles that see co-building's pages (the system admin sees the whole city).
READERS = ("street", "community", "grid", "unit", "outsider", "department")


def named_in_form(inside: dict[str, Answer], **outside: Answer) -> dict:
    """The answers of a write whose target is named in a form field, not in the URL: a
    reader out of whose sight it is gets the page again with the field's error (400), not a
    404 (`outside` overrides the outside side's answers)."""
    return {
        "inside": dict.fromkeys(READERS, NOT_A_CHOICE) | inside,
        "outside": {r: NOT_A_CHOICE for r in READERS if r != "outsider"} | outside,
        "near": dict.fromkeys(NEAR_ROLES, NOT_A_CHOICE),
    }


def _unit_a(ctx: Ctx) -> int:
    return ctx.world.objs["unit_a"].pk


def _need(ctx: Ctx) -> Need:
    return services.need_create(
        actor=ctx.staff,
        community=ctx.community,
        title=f"助老志愿服务{ctx.role}",
        kind="volunteers",
        quantity=10,
        unit_label="小时",
    )


def _claim(status: str = "pending"):
    def make(ctx: Ctx) -> Claim:
        claim = services.claim_create(actor=ctx.liaison, need=_need(ctx), unit=ctx.unit, quantity=2)
        if status == "approved":
            claim = services.claim_approve(actor=ctx.staff, claim=claim)
        return claim

    return make


def _resource(ctx: Ctx) -> Resource:
    return services.resource_create(
        actor=ctx.liaison,
        unit=ctx.unit,
        kind="volunteers",
        description="志愿者队伍",
        capacity=20,
        unit_label="小时",
    )


def _match(ctx: Ctx) -> Need:
    ctx.extra["resource"] = _resource(ctx)
    return _need(ctx)


def _proposal(ctx: Ctx) -> Claim:
    """A suggested match the side's staff proposed to the side's unit."""
    need, resource = _need(ctx), _resource(ctx)
    return services.match_accept(actor=ctx.staff, need=need, resource=resource, quantity=2)


def _project(ctx: Ctx) -> Project:
    return services.project_create(
        actor=ctx.staff, community=ctx.community, title="楼道微更新", goal="改善楼道环境"
    )


def _micro_proposal(ctx: Ctx) -> Project:
    return services.micro_propose(
        actor=None,
        community=ctx.community,
        title="楼道扶手",
        goal="给老人装扶手",
        proposer_name="王阿姨",
        proposer_phone="13912345678",
    )


def _milestone(ctx: Ctx) -> Project:
    project = _project(ctx)
    services.milestone_add(actor=ctx.staff, project=project, title="采购", due=timezone.localdate())
    return project


def _do(action: str, make, data, watch, inside=None) -> Write:
    return Write(
        f"project.{action}",
        route="cobuild:project_do",
        make=make,
        url=lambda ctx: reverse("cobuild:project_do", args=[ctx.target.pk, action]),
        data=data,
        watch=watch,
        inside=inside or STAFF_SEEN_BY_LIAISON,
    )


def _evaluation(ctx: Ctx) -> Evaluation:
    return services.evaluation_start(actor=ctx.staff, project=_project(ctx), period="2026年度")


def _scores(ctx: Ctx) -> dict:
    return {f"score_{c.pk}": 4 for c in ctx.target.version.criteria.all()}


def _slot(ctx: Ctx) -> ServiceSlot:
    service = weekly_service(ctx.world, actor=ctx.staff, community=ctx.community)
    return service.slots.get()


def _meeting(past: bool = False):
    def make(ctx: Ctx) -> Meeting:
        ctx.extra["resident"] = ctx.world.resident(ctx.grid, "居民代表")
        when = timezone.now() + (timedelta(hours=-2) if past else timedelta(days=3))
        return services.meeting_create(
            actor=ctx.staff,
            host=ctx.community,
            title="季度联席会",
            starts_at=when,
            place="党群服务中心",
            units=[ctx.unit],
        )

    return make


CLAIM_STATE = fields("status", "delivered_amount", "note")
MEETING_STATE = fields(
    "status",
    "minutes",
    also=counts(Opinion, AgendaItem, Invitee, Resolution, Need, Project),
)
SLOT_STATE = fields("cancelled", "unit_id", also=counts(Claim))


def _claim_page(action: str, data: dict, make, inside) -> Write:
    return Write(
        f"claim.{action}.page",
        route="cobuild:claim_act",
        make=make,
        url=lambda ctx: reverse("cobuild:claim_act", args=[ctx.target.pk, action]),
        data=lambda ctx: data,
        watch=CLAIM_STATE,
        inside=inside,
    )


def _claim_api(action: str, data: dict, make, inside) -> Write:
    return Write(
        f"claim.{action}.api",
        route=f"POST /api/v1/cobuild/claims/{{claim_id}}/{action}",
        make=make,
        url=lambda ctx: f"/api/v1/cobuild/claims/{ctx.target.pk}/{action}",
        data=lambda ctx: data,
        watch=CLAIM_STATE,
        inside=inside,
        kind=API,
    )


def _meeting_act(action: str, data, make=None, inside=STAFF_SEEN_BY_LIAISON) -> Write:
    return Write(
        f"meeting.{action}",
        route="cobuild:meeting_act",
        make=make or _meeting(),
        url=lambda ctx: reverse("cobuild:meeting_act", args=[ctx.target.pk, action]),
        data=data,
        watch=MEETING_STATE,
        inside=inside,
    )


def _as_api(answers: dict) -> dict:
    """The API's answers for the same decisions: 200 done, 403 refused."""
    return {r: ok(200) if a.writes else no(403) for r, a in answers.items()}


APPROVERS = STAFF_SEEN_BY_LIAISON  # the liaison sees its own claim, may not approve it
# The staff over the need's community propose a suggested match to the unit or turn it down.
MATCH_DECIDERS = STAFF_SEEN_BY_LIAISON
# A proposal is addressed to the unit: only its liaison finds it (everyone else: 404).
PROPOSAL_DECIDERS = {"unit": ok(302)}
DELIVERERS = STAFF | {"unit": ok(302)}
# The resident is out of the onlookers' and the liaison's sight: not a choice.
INVITERS = STAFF | dict.fromkeys(("unit", *ONLOOKERS), NOT_A_CHOICE)
# The community a resolution lands in is out of the liaison's sight: not a choice.
RESOLVERS = STAFF | {"unit": NOT_A_CHOICE}
LATER = (timezone.localdate() + timedelta(days=30)).isoformat()

WRITES: list[Write] = [
    Write(
        "need.create",
        route="cobuild:need_new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("cobuild:need_new"),
        data=lambda ctx: {
            "community": ctx.target.pk,
            "title": "周末助老",
            "kind": "volunteers",
            "quantity": 5,
            "unit_label": "小时",
        },
        watch=counts(Need),
        **named_in_form(STAFF),
    ),
    Write(
        "resource.create",
        route="cobuild:resource_new",
        make=lambda ctx: ctx.unit,
        url=lambda ctx: reverse("cobuild:resource_new"),
        data=lambda ctx: {
            "unit": ctx.target.pk,
            "kind": "legal",
            "description": "律师咨询",
            "capacity": 4,
            "unit_label": "场次",
        },
        watch=counts(Resource),
        # A liaison registers its own unit's resources; the staff over the unit's street may
        # register one in its name, a community worker may not.
        **named_in_form(STAFF | {"unit": ok(302), "community": REFUSED}),
    ),
    Write(
        "claim.create.page",
        route="cobuild:claim_new",
        make=_need,
        url=lambda ctx: reverse("cobuild:claim_new", args=[ctx.target.pk]),
        data=lambda ctx: {"unit": _unit_a(ctx), "quantity": 2},
        watch=counts(Claim),
        inside=LIAISON,
    ),
    Write(
        "claim.create.api",
        route="POST /api/v1/cobuild/claims",
        make=_need,
        url=lambda ctx: "/api/v1/cobuild/claims",
        data=lambda ctx: {"unit": _unit_a(ctx), "need": ctx.target.pk, "quantity": 2},
        watch=counts(Claim),
        # The unit is checked first: only its liaison may claim in its name.
        inside={"*": no(403), "unit": ok(201)},
        outside={"*": no(403), "unit": no(404)},
        near={"*": no(403), "unit": no(404)},
        kind=API,
    ),
    _claim_page("approve", {}, _claim(), APPROVERS),
    _claim_page("reject", {"reason": "数量不符"}, _claim(), APPROVERS),
    _claim_page("deliver", {"amount": 2, "beneficiaries": 12}, _claim("approved"), DELIVERERS),
    _claim_api("approve", {}, _claim(), _as_api(APPROVERS)),
    _claim_api("reject", {"reason": "数量不符"}, _claim(), _as_api(APPROVERS)),
    _claim_api(
        "deliver", {"amount": 2, "beneficiaries": 12}, _claim("approved"), _as_api(DELIVERERS)
    ),
    *(
        Write(
            f"match.{decision}",
            route="cobuild:match_decide",
            make=_match,
            url=lambda ctx, decision=decision: reverse("cobuild:match_decide", args=[decision]),
            data=lambda ctx: {
                "need": ctx.target.pk,
                "resource": ctx.extra["resource"].pk,
                "quantity": 2,
            },
            watch=counts(Claim, MatchRejection),
            # The staff over the need's community decide on its suggested matches.
            **named_in_form(MATCH_DECIDERS),
        )
        for decision in ("accept", "reject")
    ),
    *(
        Write(
            f"proposal.{action}",
            route="cobuild:proposal_act",
            make=_proposal,
            url=lambda ctx, action=action: reverse(
                "cobuild:proposal_act", args=[ctx.target.pk, action]
            ),
            data=lambda ctx: {"reason": "本月人手不足"},
            watch=fields("status", "reason", also=counts(Claim, MatchRejection)),
            inside=PROPOSAL_DECIDERS,
        )
        for action in ("confirm", "decline")
    ),
    Write(
        "project.create",
        route="cobuild:project_new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("cobuild:project_new"),
        data=lambda ctx: {
            "community": ctx.target.pk,
            "title": "加装电梯",
            "goal": "方便老人",
            "budget": 0,
        },
        watch=counts(Project),
        **named_in_form(STAFF),
    ),
    Write(
        "project.create.street",
        route="cobuild:project_new",
        make=lambda ctx: ctx.community.parent,
        url=lambda ctx: reverse("cobuild:project_new"),
        data=lambda ctx: {
            "community": ctx.target.pk,
            "tier": "street",
            "title": "海棠连心千家万户",
            "goal": "为民服务",
            "budget": 100000,
        },
        watch=counts(Project),
        **named_in_form({"street": ok(302)} | ONLOOKERS),
    ),
    Write(
        "project.create.proposal",
        route="cobuild:project_propose",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("cobuild:project_propose"),
        data=lambda ctx: {"community": ctx.target.pk, "title": "共享雨伞", "goal": "雨天借伞"},
        watch=counts(Project),
        # Offered only the communities over its grids or under its places: to the system
        # admin and the department officer, none is a choice.
        **named_in_form(
            STAFF | {"grid": ok(302), "system_admin": NOT_A_CHOICE, "department": NOT_A_CHOICE},
            system_admin=NOT_A_CHOICE,
        ),
    ),
    Write(
        "project.create.public",
        route="cobuild:propose",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("cobuild:propose"),
        data=lambda ctx: {
            "community": ctx.target.pk,
            "title": "楼道扶手",
            "goal": "给老人装扶手",
            "proposer_name": "王阿姨",
            "proposer_phone": "13912345678",
        },
        watch=counts(Project),
        inside={"*": ok(302)},
        outside={"*": ok(302)},
        near={"*": ok(302)},
        kind=PUBLIC,
    ),
    _do(
        "decide",
        _micro_proposal,
        lambda ctx: {"decision": "approve", "budget": 3000},
        fields("status", "budget"),
    ),
    _do(
        "step",
        _project,
        lambda ctx: {"step": "start"},
        fields("status"),
    ),
    _do(
        "spend",
        _project,
        lambda ctx: {"date": "2026-03-01", "item": "扶手", "amount": 1200},
        counts(Spending),
    ),
    _do(
        "milestone",
        _project,
        lambda ctx: {"title": "采购", "due": "2026-03-01"},
        counts(Milestone),
    ),
    _do(
        "milestone_done",
        _milestone,
        lambda ctx: {"milestone": ctx.target.milestones.get().pk, "done_on": "2026-03-02"},
        fields("progress"),
    ),
    _do(
        "progress",
        _project,
        lambda ctx: {"beneficiaries": 40},
        fields("beneficiaries"),
    ),
    Write(
        "evaluation.create",
        route="cobuild:evaluation_new",
        make=_project,
        url=lambda ctx: reverse("cobuild:evaluation_new", args=[ctx.target.pk]),
        data=lambda ctx: {"period": "2026年度"},
        watch=counts(Evaluation),
        inside=STAFF_SEEN_BY_LIAISON,
    ),
    Write(
        "evaluation.score",
        route="cobuild:evaluation_score",
        make=_evaluation,
        url=lambda ctx: reverse("cobuild:evaluation_score", args=[ctx.target.pk]),
        data=_scores,
        watch=fields("stage", "total"),
        inside=STAFF_SEEN_BY_LIAISON,
    ),
    Write(
        "standard.reweight",
        route="cobuild:standard_reweight",
        make=_evaluation,  # the street's standard exists once an evaluation has started
        url=lambda ctx: reverse("cobuild:standard_reweight"),
        data=lambda ctx: {
            "street": ctx.community.parent.code,
            "note": "加重群众评价",
            **{
                f"weight_{c.pk}": w
                for c, w in zip(
                    ctx.target.version.criteria.all(), [20, 20, 20, 30, 10], strict=True
                )
            },
        },
        watch=counts(StandardVersion),
        # Who works in or over the street sees its standard; only its admin re-weights.
        inside={"street": ok(302)} | dict.fromkeys(("community", "grid", *ONLOOKERS), REFUSED),
        near={"community": REFUSED, "grid": REFUSED},
    ),
    Write(
        "project.status",
        route="cobuild:project_act",
        make=_project,
        url=lambda ctx: reverse("cobuild:project_act", args=[ctx.target.pk]),
        data=lambda ctx: {"status": "active"},
        watch=fields("status"),
        inside=STAFF_SEEN_BY_LIAISON,
    ),
    Write(
        "project.claim",
        route="cobuild:project_act",
        make=_project,
        url=lambda ctx: reverse("cobuild:project_act", args=[ctx.target.pk]),
        data=lambda ctx: {
            "unit": _unit_a(ctx),
            "kind": "funds",
            "unit_label": "元",
            "quantity": 1000,
        },
        watch=counts(Claim),
        inside=LIAISON,
    ),
    Write(
        "service.create",
        route="cobuild:service_new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("cobuild:service_new"),
        data=lambda ctx: {
            "community": ctx.target.pk,
            "title": "义诊",
            "kind": "medical",
            "place": "社区卫生站",
            "weekday": 2,
            "start_time": "09:00",
            "end_time": "11:00",
            "first": timezone.localdate().isoformat(),
            "last": LATER,
        },
        watch=counts(ServiceOffer, ServiceSlot),
        **named_in_form(STAFF),
    ),
    Write(
        "slot.cancel",
        route="cobuild:slot_act",
        make=_slot,
        url=lambda ctx: reverse("cobuild:slot_act", args=[ctx.target.pk]),
        data=lambda ctx: {"action": "cancel", "reason": "场地维修"},
        watch=SLOT_STATE,
        inside=STAFF_SEEN_BY_LIAISON,
    ),
    Write(
        "slot.claim",
        route="cobuild:slot_act",
        make=_slot,
        url=lambda ctx: reverse("cobuild:slot_act", args=[ctx.target.pk]),
        data=lambda ctx: {"unit": _unit_a(ctx)},
        watch=SLOT_STATE,
        inside=LIAISON,
    ),
    Write(
        "meeting.create",
        route="cobuild:meeting_new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("cobuild:meeting_new"),
        data=lambda ctx: {
            "host": ctx.target.pk,
            "title": "联席会",
            "starts_at": f"{LATER}T14:00",
            "place": "党群服务中心",
        },
        watch=counts(Meeting),
        **named_in_form(STAFF),
    ),
    _meeting_act("opinion", lambda ctx: {"note": "居民反映停车难"}),
    _meeting_act("agenda", lambda ctx: {"title": "讨论停车问题"}),
    _meeting_act("cancel", lambda ctx: {"reason": "时间冲突"}),
    _meeting_act("invite", lambda ctx: {"resident": ctx.extra["resident"].pk}, inside=INVITERS),
    _meeting_act(
        "record",
        lambda ctx: {"minutes": "讨论了停车问题"},
        make=_meeting(past=True),
    ),
    _meeting_act(
        "resolution",
        lambda ctx: {
            "text": "增设非机动车停车棚",
            "kind": "need",
            "owner": ctx.worker.pk,
            "deadline": LATER,
            "community": ctx.community.pk,
            "need_kind": "volunteers",
            "quantity": 5,
            "unit_label": "小时",
        },
        make=_meeting(past=True),
        inside=RESOLVERS,
    ),
]


# A target in scope naming something from the other street (out of scope) -----------------


def _in_a(ctx: Ctx) -> Ctx:
    return replace(ctx, side="in", extra=ctx.extra)


def _match_elsewhere(ctx: Ctx) -> Need:
    ctx.extra["resource"] = _resource(ctx)  # the side's unit's resource
    return _need(_in_a(ctx))


def _meeting_in_a(past: bool = False):
    make = _meeting(past)

    def build(ctx: Ctx) -> Meeting:
        meeting = make(_in_a(ctx))
        ctx.extra["resident"] = ctx.world.resident(ctx.grid, "外街居民")
        return meeting

    return build


def _case_of_side(ctx: Ctx) -> str:
    from genxi.cases.tests.test_write_matrix import make_case

    return make_case(ctx, "accepted").code


# Street A's meeting naming, in a form field, the side's case, resident or community: street
# B's admin does not see the meeting (404); street A's people do not see the side's object.
NAMES_ELSEWHERE = dict.fromkeys(("street", "community", "unit", "department"), NOT_A_CHOICE)
MEETING_ELSEWHERE = {
    "outside": NAMES_ELSEWHERE | {"outsider": HIDDEN},
    "near": dict.fromkeys(("community", "unit"), NOT_A_CHOICE),
}
WRITES += [
    Write(
        "match.accept_elsewhere",
        route="cobuild:match_decide",
        make=_match_elsewhere,
        url=lambda ctx: reverse("cobuild:match_decide", args=["accept"]),
        data=lambda ctx: {
            "need": ctx.target.pk,
            "resource": ctx.extra["resource"].pk,
            "quantity": 2,
        },
        watch=counts(Claim, MatchRejection),
        # Street B's admin does not see street A's need either.
        **named_in_form(MATCH_DECIDERS, outsider=NOT_A_CHOICE),
    ),
    replace(
        _meeting_act("opinion", lambda ctx: {"case": _case_of_side(ctx), "note": "居民意见"}),
        name="meeting.opinion_naming_case",
        make=_meeting_in_a(),
        inside=STAFF | {"unit": NOT_A_CHOICE},  # the liaison does not see the case
        **MEETING_ELSEWHERE,
    ),
    replace(
        _meeting_act(
            "invite",
            lambda ctx: {"resident": ctx.extra["resident"].pk},
            inside=INVITERS,
        ),
        name="meeting.invite_elsewhere",
        make=_meeting_in_a(),
        **MEETING_ELSEWHERE,
    ),
    replace(
        _meeting_act(
            "resolution",
            lambda ctx: {
                "text": "增设非机动车停车棚",
                "kind": "need",
                "owner": ctx.world.users["community"].pk,
                "deadline": LATER,
                "community": ctx.community.pk,
                "need_kind": "volunteers",
                "quantity": 5,
                "unit_label": "小时",
            },
            inside=RESOLVERS,
        ),
        name="meeting.resolution_elsewhere",
        make=_meeting_in_a(past=True),
        # The service checks where the resolution lands (not in another street) before
        # whether the user may act: the system admin is refused the input, not the action.
        outside=MEETING_ELSEWHERE["outside"] | {"system_admin": NOT_A_CHOICE},
        near=MEETING_ELSEWHERE["near"],
    ),
]


class TestWrites(CreateMatrix, ActMatrix):
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.cobuild", WRITES)
