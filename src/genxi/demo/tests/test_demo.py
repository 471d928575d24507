"""The demo data: the newspaper's numbers, and a second load adds nothing."""

from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from genxi.alerts.models import EarlyWarning
from genxi.campaigns.models import Campaign, Part
from genxi.campaigns.selectors import totals
from genxi.cases.models import Case, CaseAssignment, CaseEvent
from genxi.core.models import AuditEvent
from genxi.core.stats import headline_counts
from genxi.demo.loader import DemoLoader
from genxi.events.models import Material, Registration
from genxi.orgs.models import Pairing, PartyLevel, PartyMember
from genxi.partylife.models import PracticeLink, StudyReflection, TrainingSession
from genxi.people.domain.idcard import is_valid_id_number
from genxi.people.models import Membership, Pioneer, Resident
from genxi.regions.models import Region
from genxi.reports.models import MonthlyReport
from genxi.reports.selectors import last_complete_month


def test_demo_numbers_and_idempotence(db):
    first = DemoLoader().run()
    assert first["cases"] > 3000
    # Every demo role was given through the one service, and recorded.
    grants = AuditEvent.objects.filter(verb="membership.grant").count()
    assert grants == Membership.objects.count() > 0
    counts = headline_counts(Region.objects.streets())
    jinchang = counts["金阊街道"]
    assert jinchang["communities"] == 29 and jinchang["pioneers"] == 625
    assert jinchang["partner_units"] == 180
    grids = Region.objects.grids().filter(path__startswith=Region.objects.get(name="金阊街道").path)
    per_community = {}
    for grid in grids:
        per_community[grid.parent_id] = per_community.get(grid.parent_id, 0) + 1
    assert min(per_community.values()) >= 6 and max(per_community.values()) <= 12
    assert all(is_valid_id_number(r.id_number) for r in Resident.objects.all()[:200])
    # The README's co-building walk: the `unit` login's unit works with the `community`
    # login's community; party members are on their grid branches' rolls.
    assert Pairing.objects.filter(unit__code="U-JC-001", community__code="320508012001").exists()
    on_branches = PartyMember.objects.filter(org__level=PartyLevel.GRID_BRANCH)
    assert on_branches.count() == on_branches.values("pioneer").distinct().count() > 200
    states = set(Case.objects.values_list("state", flat=True))
    assert states == {
        "submitted",
        "accepted",
        "rejected",
        "merged",
        "dispatched",
        "in_progress",
        "resolved",
        "verified",
        "closed",
    }
    # 吹哨报到: cases sent up to the street, dispatched with 协办, one sent back by the
    # department, one sent back down to the community.
    assert first["escalations"] == 5
    assert Case.objects.filter(level="street").exclude(channel="inspection").count() == 4
    # The two overdue fire-safety notices went up too, each led by the round's fire station.
    overdue = Case.objects.filter(channel="inspection")
    assert {(c.level, c.state, c.handler.username) for c in overdue} == {
        ("street", "dispatched", "yhxf")
    }
    assert overdue.count() == 2
    assert CaseAssignment.objects.filter(role="assist").count() == 3
    assert CaseEvent.objects.filter(action="return", level="street").count() == 1
    assert CaseEvent.objects.filter(action="send_down").count() == 1
    # The year of cases is held by levels too: the community dispatches to its grid worker.
    assert CaseEvent.objects.filter(action="dispatch", data__to_level="grid").count() > 1000
    assert not CaseEvent.objects.filter(action="resolve", held__isnull=True).exists()
    assert CaseEvent.objects.filter(action="escalate", held__gt=timedelta(hours=1)).count() == 5
    # The weekend community: a year of weekends in every community of 金阊街道, the winter
    # drive's scarves and gloves counted, waiting lists, check-ins and no-shows.
    assert first["events"] > 29 * 52 and jinchang["events"] > 29 * 40
    assert jinchang["registrations"] > 3000
    winter = Material.objects.filter(event__title="冬日暖心·围巾手套送温暖")
    assert set(winter.values_list("name", flat=True)) == {"围巾", "手套"}
    assert Registration.objects.filter(status="waitlisted").exists()
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    # Campaigns (主题宣传): the page's figures — 200+ leaflets and 20+ consultations in the
    # fund-raising and the legal-education campaigns; the winter drive counts its events'
    # scarves and gloves.
    assert jinchang["campaigns"] == Campaign.objects.count() == 5
    for title in ("防范非法集资宣传月", "宪法宣传周·法治进社区"):
        found = totals(Part.objects.filter(campaign__title=title))
        leaflets = sum(m["quantity"] for m in found.materials if m["kind"] == "宣传单")
        assert leaflets >= 200 and found.consultations >= 20, title
    drive = Campaign.objects.get(title="冬日暖心·围巾手套送温暖")
    assert drive.events.count() > 0
    handed = totals(Part.objects.filter(campaign=drive)).materials
    assert {m["kind"]: m["quantity"] for m in handed} == {
        r["name"]: r["n"]
        for r in Material.objects.filter(event__in=drive.events.all())
        .values("name")
        .annotate(n=Sum("quantity"))
    }
    # 党员生活: 金阊's winter training held, 仁安's study corner, 夏家桥's Lantern Festival,
    # 元和's practice class linked to its fire-safety round (demo/partylife.py).
    assert jinchang["training_sessions"] > 100 and jinchang["study_hours"] > 100
    assert (
        jinchang["party_members"]
        == PartyMember.objects.filter(
            org__region__path__startswith=Region.objects.get(name="金阊街道").path
        ).count()
    )
    assert StudyReflection.objects.filter(
        member__org__region__code="320508013002", status="approved"
    ).exists()
    assert TrainingSession.objects.filter(
        topic__contains="元宵猜灯谜", plan__org__region__name="夏家桥社区"
    ).exists()
    assert PracticeLink.objects.filter(
        session__plan__org__region__code="320507001000", label__contains="沿街商铺消防安全排查"
    ).exists()
    # 未诉先办: the planted recurrence and hotspot in 彩香一村 are raised by the scan at the end.
    raised = set(
        EarlyWarning.objects.filter(region__code="320508012001").values_list("kind", flat=True)
    )
    assert {"recurrence", "hotspot"} <= raised and first["focus_problems"] >= 1
    # The monthly report: 金阊街道's for the last complete month is kept, with its figures.
    report = MonthlyReport.objects.get(region__name="金阊街道")
    assert first["monthly_reports"] == 1 and report.received > 0 and report.made_by is None
    assert report.month == last_complete_month(timezone.localdate())
    # Notices: 御窑's poster (with its two pictures) on 花南家园's 12 buildings; 东港家和's SMS only to consenting
    # residents (two withdrew before it left, and got none).
    from genxi.notices.models import Announcement, AnnouncementText

    yuyao = Announcement.objects.get(community__code="320507001006")
    assert yuyao.status == "published" and yuyao.prints.get().building_count == 12
    assert [p.caption for p in yuyao.images.all()] == ["电动自行车请停充电棚", "楼道保持畅通"]
    texts = AnnouncementText.objects.filter(notice__community__code="320571002001")
    outcomes = dict(texts.values_list("outcome").annotate(n=Count("pk")))
    assert outcomes["sent"] > 5 and outcomes["no_consent"] >= 2
    assert all(t.resident.sms_consent.given for t in texts.filter(outcome="sent"))
    assert counts["娄葑街道"]["notice_sms_sent"] == outcomes["sent"]
    before = (
        Resident.objects.count(),
        Pioneer.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
    )
    second = DemoLoader().run()
    assert not any(second.values())
    after = (
        Resident.objects.count(),
        Pioneer.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
    )
    assert before == after
