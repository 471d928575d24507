from django.contrib import admin

from genxi.core.admin import ScopedAdmin

from .models import CareRule, Household, PlanItem, Visit, VisitCycle


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = ("label", "grid", "size", "active")
    list_filter = ("active",)
    raw_id_fields = ("grid",)
    readonly_fields = ("size",)


@admin.register(VisitCycle)
class VisitCycleAdmin(ScopedAdmin):
    list_display = ("community", "months")
    raw_id_fields = ("community",)


@admin.register(PlanItem)
class PlanItemAdmin(ScopedAdmin):
    list_display = ("month", "grid", "household", "pioneer")
    raw_id_fields = ("grid", "household", "pioneer")


@admin.register(Visit)
class VisitAdmin(ScopedAdmin):
    list_display = ("household", "at", "pioneer", "recorded_by", "case")
    raw_id_fields = ("household", "grid", "pioneer", "recorded_by", "case")


@admin.register(CareRule)
class CareRuleAdmin(ScopedAdmin):
    list_display = ("community", "tag", "every_days")
    raw_id_fields = ("community",)
