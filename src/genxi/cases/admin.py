from django.contrib import admin

from genxi.core.admin import AuditedAdmin, ScopedAdmin

from .models import (
    CalendarDay,
    Case,
    Category,
    Delivery,
    Open311Client,
    RoutingRule,
)


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    list_display = ("code", "title", "state", "category", "region", "handler", "flagged")
    list_filter = ("state", "flagged", "channel")
    search_fields = ("code", "title")
    raw_id_fields = ("reporter", "region", "handler", "master", "category")
    readonly_fields = ("state", "code")

    def has_add_permission(self, request):
        return False  # cases come in through intake, and move only through the loop

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdmin):
    """Street admins edit who gets which cases in their street."""

    list_display = ("category_prefix", "region", "handler", "priority", "active")
    raw_id_fields = ("region", "handler")


class ReferenceAdmin(AuditedAdmin):
    """Reference data (categories, holidays): the system admin maintains it."""

    def has_module_permission(self, request):
        from genxi.core.roles import Perm
        from genxi.core.scope import scope_for

        return scope_for(request.user).has(Perm.ADMIN_SITE)

    has_view_permission = has_change_permission = has_add_permission = (
        lambda self, request, obj=None: self.has_module_permission(request)
    )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ReferenceAdmin):
    list_display = ("code", "name", "name_en", "response_hours", "resolve_days", "active")


@admin.register(CalendarDay)
class CalendarDayAdmin(ReferenceAdmin):
    list_display = ("date", "is_workday", "name")


@admin.register(Delivery)
class DeliveryAdmin(ReferenceAdmin):
    """Failed notifications stay visible here."""

    list_display = ("created_at", "channel", "status", "attempts", "last_error")
    list_filter = ("status", "channel")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Open311Client)
class Open311ClientAdmin(ReferenceAdmin):
    list_display = ("name", "prefix", "active", "created_at")
    readonly_fields = ("digest", "prefix")
