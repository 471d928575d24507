"""Helpers for testing the Django admin: one object of every registered model inside street A
and (where the model has a place) one inside street B, a form body for any object, and a
fingerprint of every registered table to show that a refused request wrote nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.utils import timezone

from genxi.alerts.models import EarlyWarning, FocusProblem
from genxi.campaigns.models import Campaign
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import (
    CalendarDay,
    Case,
    Category,
    Open311Client,
    RoutingRule,
)
from genxi.cobuild.models import Claim, Meeting, Need, Project, Resource, ServiceOffer
from genxi.core import audit
from genxi.core.models import AuditEvent, Notification, NotificationDelivery
from genxi.core.pii import EncryptedTextField
from genxi.events.models import Event, MonthPlan
from genxi.fieldwork.models import CareRule, Household, PlanItem, Visit, VisitCycle
from genxi.orgs.models import Pairing, PartnerUnit, PartyLevel, PartyMember, PartyOrg
from genxi.partylife.models import ContactDay, StudyReflection, TrainingPlan, TrainingSession
from genxi.people.models import ImportJob, Membership, Pioneer, Resident, User
from genxi.regions.models import BaseFeature, Building, Estate, Region
from genxi.stations.models import (
    Book,
    DutyShift,
    MedicineItem,
    Reflection,
    Station,
    StationVisit,
)
from genxi.volunteering.models import HoursRecord, PointsRules

from .world import World


def specimens(world: World) -> dict[type[models.Model], tuple[Any, Any]]:
    """model → (object in street A, object in street B); the second is None for city-wide
    tables (reference data, accounts, the audit log)."""
    ensure_categories(Category)
    category = Category.objects.order_by("code").first()
    tomorrow = timezone.now() + timedelta(days=1)
    made: dict[type[models.Model], tuple[Any, Any]] = {}

    def each(make):
        return make("A", world.street_a, world.a1, world.grid_a1, world.objs["unit_a"]), make(
            "B", world.street_b, world.b1, world.grid_b1, world.objs["unit_b"]
        )

    made[Region] = (world.a1, world.b1)
    made[Estate] = each(lambda t, s, c, g, u: world.building(g, f"小区{t}", "1"))
    # The base layer is city-wide public geography, read-only in the admin (docs/maps.md).
    made[BaseFeature] = (
        BaseFeature.objects.create(
            kind="road",
            name="金门路",
            geometry={"type": "LineString", "coordinates": [[120.59, 31.32], [120.6, 31.32]]},
        ),
        None,
    )
    made[Building] = each(lambda t, s, c, g, u: Building.objects.get(estate__name=f"小区{t}"))
    made[PartnerUnit] = (world.objs["unit_a"], world.objs["unit_b"])
    made[Pairing] = each(lambda t, s, c, g, u: Pairing.objects.get(unit=u, community=c))
    made[PartyOrg] = each(lambda t, s, c, g, u: PartyOrg.objects.get(region=s))
    made[PartyMember] = each(
        lambda t, s, c, g, u: PartyMember.objects.create(
            org=PartyOrg.objects.get(region=s), name=f"党员{t}"
        )
    )
    made[Resident] = each(lambda t, s, c, g, u: world.resident(g, f"居民{t}"))
    made[Pioneer] = each(lambda t, s, c, g, u: world.pioneer(g, f"P-{t}", f"先锋{t}"))
    made[ImportJob] = each(
        lambda t, s, c, g, u: ImportJob.objects.create(
            kind="residents",
            file=f"imports/{t}.xlsx",
            filename=f"{t}.xlsx",
            created_by=world.users["street"],
            region=s,
        )
    )
    made[Case] = each(
        lambda t, s, c, g, u: Case.objects.create(
            code=f"CASE{t}",
            channel="phone",
            title=f"诉求{t}",
            text="楼道里堆满了杂物",
            category=category,
            region=g,
        )
    )
    made[RoutingRule] = each(
        lambda t, s, c, g, u: RoutingRule.objects.create(
            category_prefix="ENV",
            region=c,
            handler=world.users["community" if t == "A" else "outsider"],
        )
    )
    made[Need] = each(
        lambda t, s, c, g, u: Need.objects.create(
            community=c, title=f"需求{t}", kind="volunteer", quantity=10, unit_label="小时"
        )
    )
    made[Resource] = each(
        lambda t, s, c, g, u: Resource.objects.create(
            unit=u, kind="volunteer", description="志愿服务", capacity=5, unit_label="小时"
        )
    )
    made[Claim] = each(
        lambda t, s, c, g, u: Claim.objects.create(
            need=made[Need][0 if t == "A" else 1],
            community=c,
            unit=u,
            kind="volunteer",
            unit_label="小时",
            quantity=2,
        )
    )
    made[Project] = each(
        lambda t, s, c, g, u: Project.objects.create(community=c, title=f"项目{t}", goal="目标")
    )
    made[ServiceOffer] = each(
        lambda t, s, c, g, u: ServiceOffer.objects.create(
            community=c,
            title=f"服务{t}",
            kind="legal",
            place="服务中心",
            weekday=1,
            start_time=time(14),
            end_time=time(17),
        )
    )
    made[Meeting] = each(
        lambda t, s, c, g, u: Meeting.objects.create(
            host=c, title=f"联席会{t}", starts_at=tomorrow, place="会议室"
        )
    )
    made[Station] = each(
        lambda t, s, c, g, u: Station.objects.create(
            community=c, grid=g, name=f"驿站{t}", lat=31.3, lon=120.6, address="驿站路1号"
        )
    )
    made[StationVisit] = each(
        lambda t, s, c, g, u: StationVisit.objects.create(
            station=made[Station][0 if t == "A" else 1], kind="rider", at=tomorrow
        )
    )
    made[Reflection] = each(
        lambda t, s, c, g, u: Reflection.objects.create(
            station=made[Station][0 if t == "A" else 1], text=f"谢谢驿站{t}"
        )
    )
    made[DutyShift] = each(
        lambda t, s, c, g, u: DutyShift.objects.create(
            station=made[Station][0 if t == "A" else 1],
            date=tomorrow.date(),
            start=480,
            end=720,
            pioneer=Pioneer.objects.create(
                code=f"P-DUTY-{t}", name="值班先锋", grid=g, kind="party_member", phone=""
            ),
        )
    )
    made[MedicineItem] = each(
        lambda t, s, c, g, u: MedicineItem.objects.create(
            station=made[Station][0 if t == "A" else 1],
            name=f"创可贴{t}",
            unit="片",
            expiry=date(2031, 1, 1),
            quantity=5,
        )
    )
    made[Book] = each(
        lambda t, s, c, g, u: Book.objects.create(
            station=made[Station][0 if t == "A" else 1], title=f"图书{t}"
        )
    )
    made[Household] = each(
        lambda t, s, c, g, u: Household.objects.get(
            members__resident=made[Resident][0 if t == "A" else 1]
        )
    )
    made[VisitCycle] = each(lambda t, s, c, g, u: VisitCycle.objects.create(community=c, months=3))
    made[CareRule] = each(
        lambda t, s, c, g, u: CareRule.objects.create(community=c, tag="elderly", every_days=14)
    )
    made[PlanItem] = each(
        lambda t, s, c, g, u: PlanItem.objects.create(
            month=date(2026, 10, 1),
            grid=g,
            household=made[Household][0 if t == "A" else 1],
            pioneer=made[Pioneer][0 if t == "A" else 1],
        )
    )
    made[Visit] = each(
        lambda t, s, c, g, u: Visit.objects.create(
            household=made[Household][0 if t == "A" else 1], grid=g, at=tomorrow, note=f"走访{t}"
        )
    )
    notification = Notification.objects.create(user=world.users["community"], verb="t", text="t")
    made[MonthPlan] = each(
        lambda t, s, c, g, u: MonthPlan.objects.create(
            community=c, month=date(2031, 5, 1), title=f"五月计划{t}"
        )
    )
    made[Event] = each(
        lambda t, s, c, g, u: Event.objects.create(
            community=c,
            title=f"周末活动{t}",
            starts_at=tomorrow,
            ends_at=tomorrow + timedelta(hours=2),
            capacity=20,
        )
    )
    made[Campaign] = each(
        lambda t, s, c, g, u: Campaign.objects.create(
            street=s,
            topic="legal",
            title=f"法治宣传{t}",
            starts_on=date(2031, 5, 1),
            ends_on=date(2031, 5, 31),
            channels=["onsite"],
        )
    )
    made[EarlyWarning] = each(
        lambda t, s, c, g, u: EarlyWarning.objects.create(
            kind="recurrence",
            key=f"test:{t}",
            region=c,
            grid=g,
            category=category,
            first_day=date(2031, 1, 1),
            last_day=date(2031, 3, 31),
            window_days=90,
            observed=3,
            score=3.0,
            seen_on=date(2031, 3, 31),
        )
    )
    made[FocusProblem] = each(
        lambda t, s, c, g, u: FocusProblem.objects.create(
            street=s, month=date(2031, 3, 1), category=category, count=9
        )
    )
    made[PointsRules] = each(
        lambda t, s, c, g, u: PointsRules.objects.create(street=s, version=1, rules={})
    )
    made[HoursRecord] = each(
        lambda t, s, c, g, u: HoursRecord.objects.create(
            pioneer=made[Pioneer][0 if t == "A" else 1],
            community=c,
            source="manual",
            source_key=f"manual:{t}",
            title=f"入户宣传{t}",
            served_on=date(2031, 1, 1),
            hours=2,
        )
    )
    party = each(
        lambda t, s, c, g, u: PartyOrg.objects.create(
            level=PartyLevel.COMMUNITY_COMMITTEE, name=f"大党委{t}", region=c
        )
    )
    member = (
        PartyMember.objects.create(org=party[0], name="党员A"),
        PartyMember.objects.create(org=party[1], name="党员B"),
    )
    made[TrainingPlan] = (
        TrainingPlan.objects.create(org=party[0], year=2031, title="冬训计划A"),
        TrainingPlan.objects.create(org=party[1], year=2031, title="冬训计划B"),
    )
    made[TrainingSession] = tuple(
        TrainingSession.objects.create(
            plan=plan, topic=f"冬训课程{t}", kind="study", starts_at=tomorrow, minutes=60
        )
        for plan, t in zip(made[TrainingPlan], "AB", strict=True)
    )
    made[StudyReflection] = tuple(
        StudyReflection.objects.create(member=m, text=f"学习感悟{t}")
        for m, t in zip(member, "AB", strict=True)
    )
    made[ContactDay] = tuple(
        ContactDay.objects.create(org=o, community=c, member=m, day=date(2031, 5, 15))
        for o, c, m in zip(party, (world.a1, world.b1), member, strict=True)
    )
    made[Category] = (category, None)
    made[CalendarDay] = (CalendarDay.objects.create(date=date(2031, 5, 1), name="劳动节"), None)
    made[NotificationDelivery] = (
        NotificationDelivery.objects.create(notification=notification, channel="email"),
        None,
    )
    made[Open311Client] = (
        Open311Client.objects.create(name="市热线", digest="0" * 64, prefix="00000000"),
        None,
    )
    made[User] = (world.users["norole"], None)
    made[AuditEvent] = (audit.record(actor=None, verb="test.event"), None)
    missing = set(admin.site._registry) - set(made)
    assert not missing, f"no specimen for {missing}: add one here"
    return made


def fingerprint() -> dict[str, list[tuple]]:
    """Every row of every registered model (and of the memberships)."""
    tables = [*admin.site._registry, Membership]
    return {m._meta.label: list(m._default_manager.order_by("pk").values_list()) for m in tables}


def _value(field: models.Field, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date | time | datetime):
        return value.isoformat()
    return str(value)


def form_data(obj: models.Model, user: Any, changes: dict[str, Any] | None = None) -> dict:
    """A body for the admin's add or change form of `obj`, as a browser would post it
    (personal-data fields left out, empty inline formsets), with `changes` applied."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if not field.editable or field.primary_key or isinstance(field, EncryptedTextField):
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.BooleanField):
            if value:
                data[field.name] = "on"
        elif isinstance(field, models.DateTimeField) and value:
            local = timezone.localtime(value)
            data[f"{field.name}_0"] = local.date().isoformat()
            data[f"{field.name}_1"] = local.time().strftime("%H:%M:%S")
        else:
            data[field.name] = _value(field, value)
    if obj.pk:
        for field in obj._meta.many_to_many:
            data[field.name] = [str(o.pk) for o in getattr(obj, field.name).all()]
    model_admin = admin.site._registry.get(type(obj))
    if model_admin is not None:
        request = RequestFactory().get("/")
        request.user = user
        for inline_class in model_admin.inlines:
            inline = inline_class(type(obj), admin.site)
            prefix = inline.get_formset(request, obj).get_default_prefix()
            data.update(
                {
                    f"{prefix}-TOTAL_FORMS": "0",
                    f"{prefix}-INITIAL_FORMS": "0",
                    f"{prefix}-MIN_NUM_FORMS": "0",
                    f"{prefix}-MAX_NUM_FORMS": "1000",
                }
            )
    data.update(changes or {})
    return data
