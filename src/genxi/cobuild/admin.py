from django.contrib import admin

from genxi.core.admin import ScopedAdmin

from .models import Claim, Need, Resource


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
    list_display = ("need", "unit", "quantity", "status", "delivered_amount")
    list_filter = ("status",)
    raw_id_fields = ("need", "unit", "resource")
    readonly_fields = ("status",)
