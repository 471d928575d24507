from django.contrib import admin

from genxi.core.admin import ScopedAdmin, ScopedInline

from .models import (
    AgendaItem,
    Claim,
    Invitee,
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
)


@admin.register(Need)
class NeedAdmin(ScopedAdmin):
    list_display = ("title", "community", "kind", "quantity", "filled", "pooled", "status")
    list_filter = ("kind", "status", "pooled")
    raw_id_fields = ("community",)


@admin.register(Resource)
class ResourceAdmin(ScopedAdmin):
    list_display = ("unit", "kind", "capacity", "unit_label", "active")
    list_filter = ("kind", "active")
    raw_id_fields = ("unit",)


@admin.register(Claim)
class ClaimAdmin(ScopedAdmin):
    list_display = ("unit", "community", "need", "project", "slot", "quantity", "status")
    list_filter = ("status", "kind")
    raw_id_fields = ("need", "project", "slot", "community", "unit", "resource")
    readonly_fields = ("status",)


class MilestoneInline(ScopedInline):
    model = Milestone


class SpendingInline(ScopedInline):
    model = Spending


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    list_display = ("title", "tier", "community", "budget", "status", "progress", "start", "end")
    list_filter = ("tier", "status")
    raw_id_fields = ("community", "needs", "parent", "owner", "proposed_by")
    inlines = [MilestoneInline, SpendingInline]


class SlotInline(ScopedInline):
    model = ServiceSlot
    raw_id_fields = ("unit",)


@admin.register(ServiceOffer)
class ServiceOfferAdmin(ScopedAdmin):
    list_display = ("title", "community", "unit", "kind", "weekday", "start_time", "active")
    list_filter = ("kind", "weekday", "active")
    raw_id_fields = ("community", "unit")
    inlines = [SlotInline]


class InviteeInline(ScopedInline):
    model = Invitee
    raw_id_fields = ("unit", "resident")


class OpinionInline(ScopedInline):
    model = Opinion
    raw_id_fields = ("case",)


class AgendaInline(ScopedInline):
    model = AgendaItem
    raw_id_fields = ("carried",)


class ResolutionInline(ScopedInline):
    model = Resolution
    raw_id_fields = ("owner", "need", "project", "case")


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ("title", "host", "starts_at", "place", "status")
    list_filter = ("status",)
    raw_id_fields = ("host",)
    inlines = [InviteeInline, OpinionInline, AgendaInline, ResolutionInline]
