from django.contrib import admin

from genxi.core.admin import ScopedAdmin

from .models import Region


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("name", "level", "code", "parent")
    list_filter = ("level",)
    search_fields = ("name", "code")
    readonly_fields = ("path",)
    raw_id_fields = ("parent",)
