"""Query ceilings of co-building: the needs, resources, projects, services and meetings
lists (pages and API), claims, matches, contributions, and the pages that list related
rows — a need's or a project's claims, a service's slots, a meeting's agenda, guests,
opinions and resolutions. Each answers with the same number of queries for 3 rows and
for 9 (no N+1)."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from genxi.cases import services as case_services
from genxi.cobuild import services
from genxi.cobuild.models import Resource, ServiceSlot
from genxi.core.testing.queries import Listing, listing_id

from .helpers import weekly_service


def _need(world, title, quantity=100):
    return services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title=title,
        kind="volunteers",
        quantity=quantity,
        unit_label="小时",
        description="助老 志愿者",
    )


def _claim(world, need, quantity=1, deliver=False):
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=quantity
    )
    if deliver:
        services.claim_approve(actor=world.users["community"], claim=claim)
        services.claim_deliver(actor=world.users["unit"], claim=claim, amount=quantity)
    return claim


def _needs(world, claimed=False, deliver=False):
    seq = count(1)

    def rows(k):
        titles = [f"需求{next(seq)}" for _ in range(k)]
        for title in titles:
            need = _need(world, title)
            if claimed or deliver:
                _claim(world, need, deliver=deliver)
        return titles

    return rows


def _resources(world):
    """Resources of new units of street A (each row its own unit)."""
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            unit = world.unit(world.street_a, f"U-R-{n}", f"资源单位{n}", pair_with=[world.a1])
            Resource.objects.create(
                unit=unit,
                kind="volunteers",
                description=f"助老志愿者服务队{n}",
                capacity=5,
                unit_label="次",
            )
            names.append(f"资源单位{n}")
        return names

    return rows


def _projects(world):
    seq = count(1)

    def rows(k):
        titles = [f"项目{next(seq)}" for _ in range(k)]
        for title in titles:
            project = services.project_create(
                actor=world.users["community"], community=world.a1, title=title, goal="目标"
            )
            services.claim_create(
                actor=world.users["unit"],
                project=project,
                unit=world.objs["unit_a"],
                kind="funds",
                unit_label="元",
                quantity=100,
            )
        return titles

    return rows


def _services(world):
    seq = count(1)

    def rows(k):
        titles = [f"服务{next(seq)}" for _ in range(k)]
        for title in titles:
            weekly_service(world, weeks=2, title=title, unit=world.objs["unit_a"])
        return titles

    return rows


def _meeting(world, title="金阊联席会"):
    return services.meeting_create(
        actor=world.users["street"],
        host=world.street_a,
        title=title,
        starts_at=timezone.now() - timedelta(hours=1),  # under way: resolutions are recorded
        place="党群服务中心",
        units=[world.objs["unit_a"]],
    )


def _meetings(world):
    """Meetings of street A, each with an action item (the list shows the open ones)."""
    seq = count(1)

    def rows(k):
        titles = [f"联席会{next(seq)}" for _ in range(k)]
        for title in titles:
            meeting = _meeting(world, title)
            services.resolution_add(
                actor=world.users["street"],
                meeting=meeting,
                text=f"{title}的决议",
                kind="need",
                owner=world.users["community"],
                deadline=timezone.localdate() + timedelta(days=30),
                community=world.a1,
                need_kind="volunteers",
                quantity=5,
                unit_label="小时",
            )
        return titles

    return rows


# Lists -------------------------------------------------------------------------------------


def needs_page(world):
    return reverse("cobuild:needs"), _needs(world)


def needs_api(world):
    return "/api/v1/cobuild/needs", _needs(world)


def resources_page(world):
    return reverse("cobuild:resources"), _resources(world)


def resources_api(world):
    return "/api/v1/cobuild/resources", _resources(world)


def projects_page(world):
    return reverse("cobuild:projects"), _projects(world)


def projects_api(world):
    return "/api/v1/cobuild/projects", _projects(world)


def services_page(world):
    return reverse("cobuild:services"), _services(world)


def services_api(world):
    return "/api/v1/cobuild/services", _services(world)


def meetings_page(world):
    return reverse("cobuild:meetings"), _meetings(world)


def meetings_api(world):
    return "/api/v1/cobuild/meetings", _meetings(world)


def claims_api(world):
    more = _needs(world, claimed=True)
    return "/api/v1/cobuild/claims", lambda k: more(k)[:0]  # claims name their need by id


def matches_page(world):
    """Needs of A1 and resources of street A's units: the street's suggested matches."""
    needs, resources = _needs(world), _resources(world)
    return reverse("cobuild:matches"), lambda k: [*needs(k), *resources(k)]


def _proposals(world, decline=False):
    """Needs of A1, each proposed to unit A (declined with a reason, if `decline`)."""
    seq = count(1)
    resource = Resource.objects.create(
        unit=world.objs["unit_a"], kind="volunteers", description="助老", capacity=5,
        unit_label="次",
    )  # fmt: skip

    def rows(k):
        titles = [f"提议需求{next(seq)}" for _ in range(k)]
        for title in titles:
            claim = services.match_accept(
                actor=world.users["community"], need=_need(world, title), resource=resource,
                quantity=1,
            )  # fmt: skip
            if decline:
                services.proposal_decline(actor=world.users["unit"], claim=claim, reason="人手不足")
        return titles

    return rows


def _rejected(world):
    """Claims of unit A on needs, projects and slots of A1, each turned down with a reason."""
    seq = count(1)

    def rows(k):
        titles = []
        for _ in range(k):
            n = next(seq)
            need = _need(world, f"未通过需求{n}")
            project = services.project_create(
                actor=world.users["community"], community=world.a1, title=f"未通过项目{n}",
                goal="目标",
            )  # fmt: skip
            service = weekly_service(world, weeks=1, title=f"未通过服务{n}")
            claims = [
                _claim(world, need),
                services.claim_create(
                    actor=world.users["unit"],
                    project=project,
                    unit=world.objs["unit_a"],
                    kind="funds",
                    unit_label="元",
                    quantity=100,
                ),  # fmt: skip
                services.claim_create(
                    actor=world.users["unit"], slot=service.slots.get(), unit=world.objs["unit_a"]
                ),
            ]
            for claim in claims:
                services.claim_reject(actor=world.users["community"], claim=claim, reason="冲突")
            titles += [f"未通过需求{n}", f"未通过项目{n}", f"未通过服务{n}"]
        return titles

    return rows


def rejected_claims(world):
    return reverse("cobuild:matches"), _rejected(world)


def proposals_to_the_unit(world):
    return reverse("cobuild:matches"), _proposals(world)


def proposals_declined(world):
    return reverse("cobuild:matches"), _proposals(world, decline=True)


def unit_contributions(world):
    unit = world.objs["unit_a"]
    return reverse("cobuild:unit", args=[unit.pk]), _needs(world, deliver=True)


def unit_contributions_xlsx(world):
    unit = world.objs["unit_a"]
    more = _needs(world, deliver=True)
    return reverse("cobuild:unit", args=[unit.pk]) + "?format=xlsx", lambda k: more(k)[:0]


def community_received(world):
    return reverse("cobuild:community", args=[world.a1.pk]), _needs(world, deliver=True)


# Pages with related lists -----------------------------------------------------------------


def need_page(world):
    """A need's claims (with their photos), seen by the liaison who may also claim with its
    unit's resources."""
    need = _need(world, "周末助老志愿服务", quantity=1000)
    seq = count(1)

    def rows(k):
        notes = [f"第{next(seq)}次认领" for _ in range(k)]
        for note in notes:
            resource = Resource.objects.create(
                unit=world.objs["unit_a"], kind="volunteers", description=note, capacity=5
            )
            services.claim_create(
                actor=world.users["unit"],
                need=need,
                unit=world.objs["unit_a"],
                resource=resource,
                note=note,
            )
        return notes

    return reverse("cobuild:need", args=[need.pk]), rows


def project_page(world):
    """A project's needs and claims."""
    project = services.project_create(
        actor=world.users["community"], community=world.a1, title="楼道微更新", goal="目标"
    )
    seq = count(1)

    def rows(k):
        notes = [f"第{next(seq)}笔投入" for _ in range(k)]
        for note in notes:
            services.claim_create(
                actor=world.users["unit"],
                project=project,
                unit=world.objs["unit_a"],
                kind="funds",
                unit_label="元",
                quantity=100,
                note=note,
            )
            need = _need(world, f"{note}的需求")
            project.needs.add(need)
        return notes

    return reverse("cobuild:project", args=[project.pk]), rows


def _slots(service, claim_as=None):
    """More slots of a service, each claimed by the unit."""
    first = max(s.date for s in service.slots.all())
    seq = count(1)

    def rows(k):
        for _ in range(k):
            slot = ServiceSlot.objects.create(
                service=service, date=first + timedelta(weeks=next(seq))
            )
            if claim_as is not None:
                services.claim_create(actor=claim_as, slot=slot, unit=service.unit)
        return []

    return rows


def service_page(world):
    service = weekly_service(world, weeks=2, unit=world.objs["unit_a"])
    return reverse("cobuild:service", args=[service.pk]), _slots(service, world.users["unit"])


def service_api(world):
    service = weekly_service(world, weeks=2, unit=world.objs["unit_a"])
    return f"/api/v1/cobuild/services/{service.pk}", _slots(service)


def _meeting_rows(world, meeting):
    """A longer agenda, more residents invited, more opinions (each from a case), more
    action items."""
    seq = count(1)
    staff = world.users["street"]

    def rows(k):
        labels = []
        for _ in range(k):
            n = next(seq)
            services.agenda_add(actor=staff, meeting=meeting, title=f"议题{n}")
            resident = world.resident(world.grid_a1, f"代表{n}")
            services.meeting_invite(actor=staff, meeting=meeting, resident=resident)
            case = case_services.case_create(
                actor=None, channel="phone", text=f"第{n}件:楼道灯坏了", region=world.grid_a1
            )
            services.opinion_add(actor=staff, meeting=meeting, case=case, note=f"意见{n}")
            services.resolution_add(
                actor=staff,
                meeting=meeting,
                text=f"决议{n}:更换楼道灯",
                kind="case",
                owner=world.users["community"],
                deadline=timezone.localdate() + timedelta(days=30),
                community=world.a1,
            )
            labels += [f"议题{n}", f"意见{n}", f"决议{n}"]
        return labels

    return rows


def meeting_page(world):
    meeting = _meeting(world)
    return reverse("cobuild:meeting", args=[meeting.pk]), _meeting_rows(world, meeting)


def meeting_api(world):
    meeting = _meeting(world)
    return f"/api/v1/cobuild/meetings/{meeting.pk}", _meeting_rows(world, meeting)


def project_page_parts(world):
    """A project's milestones, spending and sub-projects."""
    project = services.project_create(
        actor=world.users["street"],
        community=world.street_a,
        tier="street",
        title="海棠连心千家万户",
        goal="目标",
    )
    seq = count(1)

    def rows(k):
        labels = []
        for _ in range(k):
            n = next(seq)
            services.milestone_add(
                actor=world.users["street"],
                project=project,
                title=f"节点{n}号",
                due=date(2026, 3, n),
            )
            services.spending_add(
                actor=world.users["street"],
                project=project,
                day=date(2026, 3, n),
                item=f"支出{n}号",
                amount=n,
            )
            services.project_create(
                actor=world.users["street"],
                community=world.a1,
                parent=project,
                title=f"子项目{n}号",
                goal="x",
            )
            labels += [f"节点{n}号", f"支出{n}号", f"子项目{n}号"]
        return labels

    return reverse("cobuild:project", args=[project.pk]), rows


def rankings_page(world):
    """The round's rated projects, best first, and each community's average."""
    seq = count(1)

    def rows(k):
        titles = []
        for _ in range(k):
            title = f"排名项目{next(seq)}号"
            project = services.project_create(
                actor=world.users["street"], community=world.a1, title=title, goal="x"
            )
            evaluation = services.evaluation_start(
                actor=world.users["street"], project=project, period="2026年度"
            )
            for _stage in range(3):
                evaluation = services.evaluation_score(
                    actor=world.users["street"],
                    evaluation=evaluation,
                    scores=[
                        services.ScoreIn(criterion_id=c.pk, score=4)
                        for c in evaluation.version.criteria.all()
                    ],
                )
            titles.append(title)
        return titles

    return reverse("cobuild:rankings") + "?period=2026年度", rows


LISTINGS = [
    Listing("needs-page", "community", 11, needs_page),
    Listing("needs-api", "community", 10, needs_api),
    Listing("resources-page", "street", 10, resources_page),
    Listing("resources-api", "street", 10, resources_api),
    # The list also offers the street projects and the communities a proposal may name.
    Listing("projects-page", "community", 14, projects_page),
    Listing("projects-api", "community", 10, projects_api),
    Listing("services-page", "community", 11, services_page),
    Listing("services-api", "community", 10, services_api),
    Listing("meetings-page", "street", 12, meetings_page),
    Listing("meetings-api", "street", 10, meetings_api),
    Listing("claims-api", "community", 10, claims_api),
    Listing("matches-page", "street", 12, matches_page),
    Listing("matches-page-proposals-waiting", "unit", 13, proposals_to_the_unit),
    Listing("matches-page-proposals-declined", "community", 12, proposals_declined),
    Listing("matches-page-rejected-claims", "unit", 14, rejected_claims),
    Listing("unit-contributions-page", "street", 14, unit_contributions),
    Listing("unit-contributions-xlsx", "street", 11, unit_contributions_xlsx),
    Listing("community-received-page", "community", 13, community_received),
    Listing("need-page-claims", "unit", 13, need_page),
    # The page also reads its sub-projects, milestones, spending, photos and evaluations.
    Listing("project-page-needs-claims", "community", 18, project_page),
    Listing("service-page-slots-claims", "community", 12, service_page),
    Listing("project-page-milestones-spending-children", "street", 17, project_page_parts),
    Listing("rankings-page", "street", 12, rankings_page),
    Listing("service-api-slots", "community", 10, service_api),
    Listing("meeting-page-agenda-opinions-resolutions", "street", 17, meeting_page),
    Listing("meeting-api-agenda-opinions-resolutions", "street", 13, meeting_api),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
