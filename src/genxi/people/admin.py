from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from genxi.core.admin import ScopedAdmin, ScopedInline

from .models import ImportJob, Membership, Pioneer, Resident, User


class MembershipInline(ScopedInline):
    model = Membership
    raw_id_fields = ("region", "unit")


@admin.register(User)
class GenxiUserAdmin(ScopedAdmin, UserAdmin):
    list_display = ("username", "display_name", "is_active", "must_change_password", "last_login")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("", {"fields": ("display_name", "is_active", "must_change_password")}),
    )
    inlines = [MembershipInline]


@admin.register(Resident)
class ResidentAdmin(ScopedAdmin):
    list_display = ("name", "grid", "masked_phone", "masked_id_number")
    search_fields = ("name",)
    raw_id_fields = ("grid",)


@admin.register(Pioneer)
class PioneerAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "grid", "masked_phone", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    raw_id_fields = ("grid", "user")
    filter_horizontal = ("extra_grids",)


@admin.register(ImportJob)
class ImportJobAdmin(ScopedAdmin):
    list_display = ("filename", "kind", "status", "created_rows", "created_at")
    readonly_fields = ("errors",)
