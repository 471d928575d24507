"""The permission matrix of co-building: needs, projects, services, meetings, claims —
for staff and for a unit liaison (its own unit's claims and what is open to it)."""

from datetime import timedelta

from django.utils import timezone

from genxi.cobuild import services
from genxi.cobuild.models import Need, Project
from genxi.core.testing.matrix import PermissionMatrix
from genxi.core.testing.world import make_user

from .helpers import weekly_service


def _staff(world, region):
    return {world.a1: world.users["community"], world.a2: world.users["street"]}.get(
        region, world.users["outsider"]
    )


def _need(world, community, title):
    return services.need_create(
        actor=_staff(world, community),
        community=community,
        title=title,
        kind="volunteers",
        quantity=10,
        unit_label="小时",
    )


def _project(world, community, title):
    return services.project_create(
        actor=_staff(world, community), community=community, title=title, goal="目标"
    )


def _service(world, community, title):
    return weekly_service(
        world, weeks=3, actor=_staff(world, community), community=community, title=title
    )


def _meeting(world, host, title, units=()):
    actor = world.users["street"] if host == world.street_a else world.users["outsider"]
    return services.meeting_create(
        actor=actor,
        host=host,
        title=title,
        starts_at=timezone.now() + timedelta(days=3),
        place="党群服务中心",
        units=list(units),
    )


class TestNeedMatrix(PermissionMatrix):
    viewer = "community"
    page_detail = "cobuild:need"
    page_list = "cobuild:needs"
    api_detail = "/api/v1/cobuild/needs/{pk}"
    api_list = "/api/v1/cobuild/needs"
    label_attr = "title"

    def make_inside(self, world):
        return _need(world, world.a1, "内部需求甲")

    def make_outside(self, world):
        return _need(world, world.b1, "外部需求乙")


class TestNeedMatrixForLiaison(TestNeedMatrix):
    """A liaison sees the open needs of its paired communities, not those of others."""

    viewer = "unit"


class TestNeedMatrixForLiaisonClosedNeed(TestNeedMatrix):
    """…and not a paired community's need that no longer takes claims."""

    viewer = "unit"

    def make_outside(self, world):
        need = _need(world, world.a1, "已关闭的需求")
        Need.objects.filter(pk=need.pk).update(status="closed")
        return need


class TestProjectMatrix(PermissionMatrix):
    viewer = "street"
    page_detail = "cobuild:project"
    page_list = "cobuild:projects"
    api_detail = "/api/v1/cobuild/projects/{pk}"
    api_list = "/api/v1/cobuild/projects"
    label_attr = "title"

    def make_inside(self, world):
        return _project(world, world.a1, "内部项目甲")

    def make_outside(self, world):
        return _project(world, world.b1, "外部项目乙")


class TestProjectMatrixForLiaison(TestProjectMatrix):
    viewer = "unit"

    def make_outside(self, world):
        # In the liaison's street but in a community its unit is not paired with.
        project = _project(world, world.a2, "未结对社区的项目")
        Project.objects.filter(pk=project.pk).update(status="active")
        return project


class TestServiceMatrix(PermissionMatrix):
    viewer = "community"
    page_detail = "cobuild:service"
    page_list = "cobuild:services"
    api_detail = "/api/v1/cobuild/services/{pk}"
    api_list = "/api/v1/cobuild/services"
    label_attr = "title"

    def make_inside(self, world):
        return _service(world, world.a1, "内部服务甲")

    def make_outside(self, world):
        return _service(world, world.b1, "外部服务乙")


class TestServiceMatrixForLiaison(TestServiceMatrix):
    viewer = "unit"


class TestMeetingMatrix(PermissionMatrix):
    viewer = "street"
    page_detail = "cobuild:meeting"
    page_list = "cobuild:meetings"
    api_detail = "/api/v1/cobuild/meetings/{pk}"
    api_list = "/api/v1/cobuild/meetings"
    label_attr = "title"

    def make_inside(self, world):
        return _meeting(world, world.street_a, "金阊联席会甲")

    def make_outside(self, world):
        return _meeting(world, world.street_b, "虎丘联席会乙")


class TestMeetingMatrixForLiaison(TestMeetingMatrix):
    """A liaison sees the meetings its unit is invited to, not others in its street."""

    viewer = "unit"

    def make_inside(self, world):
        return _meeting(world, world.street_a, "邀请了甲单位的会", units=[world.objs["unit_a"]])

    def make_outside(self, world):
        return _meeting(world, world.street_a, "没有邀请甲单位的会")


class TestClaimMatrixForLiaison(PermissionMatrix):
    """A liaison sees its own unit's claims, not another unit's claim on the same need."""

    viewer = "unit"
    api_list = "/api/v1/cobuild/claims"

    def make_inside(self, world):
        need = _need(world, world.a1, "共同认领的需求")
        self.need = need
        return services.claim_create(
            actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=2
        )

    def make_outside(self, world):
        other = world.unit(world.street_a, "U-A-9", "丁共建单位", pair_with=[world.a1])
        liaison = make_user("liaison9", "unit_liaison", unit=other)
        need = Need.objects.get(title="共同认领的需求")
        return services.claim_create(actor=liaison, need=need, unit=other, quantity=3)


class TestResourceMatrix(PermissionMatrix):
    """Staff see the resources of the units paired within their area; a liaison its own."""

    viewer = "community"
    page_list = "cobuild:resources"
    api_list = "/api/v1/cobuild/resources"
    label_attr = "description"

    def make_inside(self, world):
        return services.resource_create(
            actor=world.users["unit"],
            unit=world.objs["unit_a"],
            kind="legal",
            description="甲单位律师咨询",
            capacity=4,
            unit_label="场次",
        )

    def make_outside(self, world):
        return services.resource_create(
            actor=world.users["outsider"],
            unit=world.objs["unit_b"],
            kind="legal",
            description="乙单位律师咨询",
            capacity=4,
            unit_label="场次",
        )


class TestResourceMatrixForLiaison(TestResourceMatrix):
    viewer = "unit"
