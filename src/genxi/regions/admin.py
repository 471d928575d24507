from django.contrib import admin

from genxi.core.admin import ScopedAdmin

from .models import BaseFeature, Building, Estate, Region


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("name", "level", "code", "parent")
    list_filter = ("level",)
    search_fields = ("name", "code")
    readonly_fields = ("path",)
    raw_id_fields = ("parent",)


@admin.register(Estate)
class EstateAdmin(ScopedAdmin):
    """Read-only: the gazetteer is kept on the community's page (地址库), through services."""

    list_display = ("name", "community", "aliases")
    search_fields = ("name",)
    list_select_related = ("community",)


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    list_display = ("__str__", "grid")
    search_fields = ("estate__name", "number")
    list_select_related = ("estate", "grid")


@admin.register(BaseFeature)
class BaseFeatureAdmin(ScopedAdmin):
    """Read-only: the base layer changes by `genxi basemap_import` (docs/maps.md)."""

    list_display = ("name", "kind", "rank", "source")
    list_filter = ("kind",)
    search_fields = ("name",)
