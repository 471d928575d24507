"""The readable routes of co-building (core/testing/page_matrix.py): needs, resources,
claims, matches, contributions, projects, services, meetings — pages, the contributions
export and the API."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.cobuild import services
from genxi.core.testing.images import jpeg_with_gps
from genxi.core.testing.page_matrix import API, PUBLIC, Page

from .helpers import weekly_service

STAFF = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
# A grid worker sees the lists, not an item's page; a liaison what is open to its unit,
# but not a community's page.
ITEM_READERS = ("system_admin", "street", "community", "unit", "outsider", "department")
COMMUNITY_READERS = ("system_admin", "street", "community", "outsider", "department")
LIST = {"*": 200}  # an API list answers what the caller may see: nothing, to some
POST_ONLY = {"*": 405}  # the form is on the list's or the item's page


def seed(side):
    """A need claimed and delivered (with a photo) by the side's unit, a resource, a
    project, a weekly service and a meeting with a resident invited."""
    need = services.need_create(
        actor=side.staff,
        community=side.community,
        title=f"{side.tag}助老志愿服务",
        kind="volunteers",
        quantity=10,
        unit_label="小时",
    )
    resource = services.resource_create(
        actor=side.liaison,
        unit=side.unit,
        kind="volunteers",
        description=f"{side.tag}志愿者队伍",
        capacity=20,
        unit_label="小时",
    )
    claim = services.claim_create(actor=side.liaison, need=need, unit=side.unit, quantity=2)
    claim = services.claim_approve(actor=side.staff, claim=claim)
    claim = services.claim_deliver(
        actor=side.liaison, claim=claim, amount=2, photos=[jpeg_with_gps()]
    )
    project = services.project_create(
        actor=side.staff, community=side.community, title=f"{side.tag}楼道微更新", goal="改善楼道"
    )
    micro = services.micro_propose(
        actor=None,
        community=side.community,
        title=f"{side.tag}楼道扶手",
        goal="给老人装扶手",
        proposer_name=f"{side.tag}王阿姨",
        proposer_phone="13912345678",
    )
    evaluation = services.evaluation_start(actor=side.staff, project=project, period="2026年度")
    for _stage in ("self", "community", "street"):
        evaluation = services.evaluation_score(
            actor=side.staff,
            evaluation=evaluation,
            scores=[
                services.ScoreIn(criterion_id=c.pk, score=4, evidence=f"{side.tag}台账")
                for c in evaluation.version.criteria.all()
            ],
        )
    service = weekly_service(
        side.world, actor=side.staff, community=side.community, title=f"{side.tag}法律咨询"
    )
    meeting = services.meeting_create(
        actor=side.staff,
        host=side.community,
        title=f"{side.tag}联席会",
        starts_at=timezone.now() + timedelta(days=3),
        place="党群服务中心",
        units=[side.unit],
        residents=[side.resident],
    )
    return {
        "need": need,
        "resource": resource,
        "claim": claim,
        "delivery_photo": claim.photos.get(),
        "project": project,
        "micro": micro,
        "evaluation": evaluation,
        "service": service,
        "slot": service.slots.first(),
        "meeting": meeting,
    }


def _api(path):
    if "{" not in path:
        return Page(lambda s: "/api/v1/cobuild/" + path, answers=LIST, kind=API)
    return Page(lambda s: "/api/v1/cobuild/" + path.format(s=s), ITEM_READERS, kind=API)


PAGES = {
    "cobuild:needs": Page(lambda s: reverse("cobuild:needs"), STAFF),
    "cobuild:need_new": Page(lambda s: reverse("cobuild:need_new"), answers=POST_ONLY),
    "cobuild:resources": Page(lambda s: reverse("cobuild:resources"), STAFF),
    "cobuild:resource_new": Page(lambda s: reverse("cobuild:resource_new"), answers=POST_ONLY),
    "cobuild:need": Page(lambda s: reverse("cobuild:need", args=[s.need.pk]), ITEM_READERS),
    "cobuild:claim_new": Page(
        lambda s: reverse("cobuild:claim_new", args=[s.need.pk]), answers=POST_ONLY
    ),
    "cobuild:claim_act": Page(
        lambda s: reverse("cobuild:claim_act", args=[s.claim.pk, "approve"]), answers=POST_ONLY
    ),
    "cobuild:matches": Page(lambda s: reverse("cobuild:matches"), STAFF),
    "cobuild:unit": [
        Page(lambda s: reverse("cobuild:unit", args=[s.unit.pk]), ITEM_READERS),
        Page(
            lambda s: reverse("cobuild:unit", args=[s.unit.pk]) + "?format=xlsx",
            ITEM_READERS,
            variant="xlsx",
        ),
    ],
    "cobuild:community": Page(
        lambda s: reverse("cobuild:community", args=[s.community.pk]), COMMUNITY_READERS
    ),
    "cobuild:match_decide": Page(
        lambda s: reverse("cobuild:match_decide", args=["accept"]), answers=POST_ONLY
    ),
    "cobuild:proposal_act": Page(
        lambda s: reverse("cobuild:proposal_act", args=[s.claim.pk, "confirm"]),
        answers=POST_ONLY,
    ),
    "cobuild:projects": Page(lambda s: reverse("cobuild:projects"), STAFF),
    "cobuild:project_new": Page(lambda s: reverse("cobuild:project_new"), answers=POST_ONLY),
    "cobuild:project": Page(
        lambda s: reverse("cobuild:project", args=[s.project.pk]), ITEM_READERS
    ),
    "cobuild:project_act": Page(
        lambda s: reverse("cobuild:project_act", args=[s.project.pk]), answers=POST_ONLY
    ),
    "cobuild:project_do": Page(
        lambda s: reverse("cobuild:project_do", args=[s.project.pk, "step"]), answers=POST_ONLY
    ),
    "cobuild:project_propose": Page(
        lambda s: reverse("cobuild:project_propose"), answers=POST_ONLY
    ),
    # A resident proposes a micro-project without signing in; the page lists communities.
    "cobuild:propose": Page(lambda s: reverse("cobuild:propose"), kind=PUBLIC, answers={"*": 200}),
    "cobuild:proposed": Page(
        lambda s: reverse("cobuild:proposed"), kind=PUBLIC, answers={"*": 200}
    ),
    "cobuild:evaluation_new": Page(
        lambda s: reverse("cobuild:evaluation_new", args=[s.project.pk]), answers=POST_ONLY
    ),
    "cobuild:evaluation": Page(
        lambda s: reverse("cobuild:evaluation", args=[s.evaluation.pk]), ITEM_READERS
    ),
    "cobuild:evaluation_score": Page(
        lambda s: reverse("cobuild:evaluation_score", args=[s.evaluation.pk]),
        answers=POST_ONLY,
    ),
    # A street's standard, to those working in or over the street (a liaison has no street).
    "cobuild:standard": Page(
        lambda s: reverse("cobuild:standard"), tuple(r for r in STAFF if r != "unit")
    ),
    "cobuild:standard_reweight": Page(
        lambda s: reverse("cobuild:standard_reweight"), answers=POST_ONLY
    ),
    "cobuild:rankings": Page(lambda s: reverse("cobuild:rankings"), STAFF),
    "cobuild:services": Page(lambda s: reverse("cobuild:services"), STAFF),
    "cobuild:service_new": Page(lambda s: reverse("cobuild:service_new"), answers=POST_ONLY),
    "cobuild:service": Page(
        lambda s: reverse("cobuild:service", args=[s.service.pk]), ITEM_READERS
    ),
    "cobuild:slot_act": Page(
        lambda s: reverse("cobuild:slot_act", args=[s.slot.pk]), answers=POST_ONLY
    ),
    "cobuild:meetings": Page(lambda s: reverse("cobuild:meetings"), STAFF),
    "cobuild:meeting_new": Page(lambda s: reverse("cobuild:meeting_new"), answers=POST_ONLY),
    "cobuild:meeting": Page(
        lambda s: reverse("cobuild:meeting", args=[s.meeting.pk]), ITEM_READERS
    ),
    "cobuild:meeting_act": Page(
        lambda s: reverse("cobuild:meeting_act", args=[s.meeting.pk, "start"]), answers=POST_ONLY
    ),
    "GET /api/v1/cobuild/needs": _api("needs"),
    "GET /api/v1/cobuild/needs/{need_id}": _api("needs/{s.need.pk}"),
    "GET /api/v1/cobuild/resources": _api("resources"),
    "GET /api/v1/cobuild/projects": _api("projects"),
    "GET /api/v1/cobuild/projects/{project_id}": _api("projects/{s.project.pk}"),
    "GET /api/v1/cobuild/services": _api("services"),
    "GET /api/v1/cobuild/services/{service_id}": _api("services/{s.service.pk}"),
    "GET /api/v1/cobuild/meetings": _api("meetings"),
    "GET /api/v1/cobuild/meetings/{meeting_id}": _api("meetings/{s.meeting.pk}"),
    "GET /api/v1/cobuild/claims": _api("claims"),
}
