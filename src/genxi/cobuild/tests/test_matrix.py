"""The permission matrix of co-building: needs, projects, services, meetings, claims and
resources, pages and API, for every role (core/testing/matrix.py). Staff see their area; a
liaison sees what is open to its unit (the communities it is paired with), the meetings
it is invited to and its own claims."""

from datetime import timedelta

from django.utils import timezone

from genxi.cobuild import services
from genxi.cobuild.models import Need, Project
from genxi.core.testing.matrix import IN, STAFF_SIGHT, ListMatrix, ViewMatrix, sight

from .helpers import weekly_service

# Staff see their area — a community's lists sit above a grid worker's grid, out of its
# sight; the liaison of 彩香一村's unit sees what is open to it there.
OPEN_TO_LIAISON = sight(STAFF_SIGHT, grid=(), unit={IN})
NOT_TO_LIAISON = sight(STAFF_SIGHT, grid=(), unit=())


def _need(ctx, title="需求"):
    return services.need_create(
        actor=ctx.staff,
        community=ctx.community,
        title=f"{title}{ctx.side}{ctx.role}",
        kind="volunteers",
        quantity=10,
        unit_label="小时",
    )


def _meeting(ctx, units):
    return services.meeting_create(
        actor=ctx.staff,
        host=ctx.community,
        title=f"联席会{ctx.side}{ctx.role}",
        starts_at=timezone.now() + timedelta(days=3),
        place="党群服务中心",
        units=units,
    )


class TestNeeds(ViewMatrix, ListMatrix):
    page_detail, page_list = "cobuild:need", "cobuild:needs"
    api_detail, api_list = "/api/v1/cobuild/needs/{pk}", "/api/v1/cobuild/needs"
    label_attr = "title"
    sees = OPEN_TO_LIAISON

    def make(self, ctx):
        return _need(ctx)


class TestClosedNeeds(TestNeeds):
    """A need that no longer takes claims is not open to the liaison."""

    sees = NOT_TO_LIAISON

    def make(self, ctx):
        need = _need(ctx, "已关闭的需求")
        Need.objects.filter(pk=need.pk).update(status="closed")
        return need


class TestProjects(ViewMatrix, ListMatrix):
    page_detail, page_list = "cobuild:project", "cobuild:projects"
    api_detail, api_list = "/api/v1/cobuild/projects/{pk}", "/api/v1/cobuild/projects"
    label_attr = "title"
    sees = OPEN_TO_LIAISON

    def make(self, ctx):
        project = services.project_create(
            actor=ctx.staff, community=ctx.community, title=f"项目{ctx.side}{ctx.role}", goal="目标"
        )
        Project.objects.filter(pk=project.pk).update(status="active")
        return project


class TestServices(ViewMatrix, ListMatrix):
    page_detail, page_list = "cobuild:service", "cobuild:services"
    api_detail, api_list = "/api/v1/cobuild/services/{pk}", "/api/v1/cobuild/services"
    label_attr = "title"
    sees = OPEN_TO_LIAISON

    def make(self, ctx):
        title = f"服务{ctx.side}{ctx.role}"
        return weekly_service(
            ctx.world, weeks=3, actor=ctx.staff, community=ctx.community, title=title
        )


class TestMeetings(ViewMatrix, ListMatrix):
    """A liaison sees the meetings its unit is invited to."""

    page_detail, page_list = "cobuild:meeting", "cobuild:meetings"
    api_detail, api_list = "/api/v1/cobuild/meetings/{pk}", "/api/v1/cobuild/meetings"
    label_attr = "title"
    sees = OPEN_TO_LIAISON

    def make(self, ctx):
        return _meeting(ctx, units=[ctx.unit])


class TestMeetingsWithoutTheUnit(TestMeetings):
    """…and not a meeting of its paired community that does not invite it."""

    sees = NOT_TO_LIAISON

    def make(self, ctx):
        return _meeting(ctx, units=[])


class TestClaims(ListMatrix):
    """A liaison sees its own unit's claims, not another unit's (彩香二村's unit's)."""

    api_list = "/api/v1/cobuild/claims"
    sees = OPEN_TO_LIAISON

    def make(self, ctx):
        return services.claim_create(actor=ctx.liaison, need=_need(ctx), unit=ctx.unit, quantity=2)


class TestResources(ListMatrix):
    """Staff see the resources of the units paired within their area; a liaison its own."""

    page_list, api_list = "cobuild:resources", "/api/v1/cobuild/resources"
    label_attr = "description"
    sees = OPEN_TO_LIAISON

    def make(self, ctx):
        return services.resource_create(
            actor=ctx.liaison,
            unit=ctx.unit,
            kind="legal",
            description=f"律师咨询{ctx.side}{ctx.role}",
            capacity=4,
            unit_label="场次",
        )
