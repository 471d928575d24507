from django.contrib import admin

from genxi.core.admin import ScopedAdmin, ScopedInline

from .models import Campaign, Part


class PartInline(ScopedInline):
    model = Part
    raw_id_fields = ("community", "recorded_by")


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    list_display = ("title", "topic", "street", "starts_on", "ends_on", "status")
    list_filter = ("topic", "status")
    raw_id_fields = ("street", "created_by", "events")
    inlines = [PartInline]
