from django.contrib import admin

from genxi.core.admin import ScopedAdmin, ScopedInline

from .models import Event, Material, MonthPlan, RosterEntry, WeekTheme


class ThemeInline(ScopedInline):
    model = WeekTheme


class MaterialInline(ScopedInline):
    model = Material


class RosterInline(ScopedInline):
    model = RosterEntry
    raw_id_fields = ("pioneer",)


@admin.register(MonthPlan)
class MonthPlanAdmin(ScopedAdmin):
    list_display = ("title", "community", "month", "status")
    list_filter = ("status",)
    raw_id_fields = ("community", "published_by")
    inlines = [ThemeInline]


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ("title", "community", "starts_at", "capacity", "status")
    list_filter = ("status",)
    raw_id_fields = ("community", "project", "organiser")
    inlines = [RosterInline, MaterialInline]
