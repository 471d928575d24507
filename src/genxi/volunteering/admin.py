from django.contrib import admin

from genxi.core.admin import ScopedAdmin

from .models import HoursRecord, PointsRules


@admin.register(PointsRules)
class PointsRulesAdmin(ScopedAdmin):
    list_display = ("street", "version", "note", "created_at")
    raw_id_fields = ("street", "created_by")


@admin.register(HoursRecord)
class HoursRecordAdmin(ScopedAdmin):
    list_display = ("pioneer", "title", "source", "served_on", "hours", "status", "points")
    list_filter = ("status", "source")
    raw_id_fields = ("pioneer", "community", "event", "shift", "case", "rules", "decided_by")
