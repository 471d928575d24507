from django.contrib import admin

from genxi.core.admin import ScopedAdmin

from .models import EarlyWarning, FocusProblem


@admin.register(EarlyWarning)
class EarlyWarningAdmin(ScopedAdmin):
    list_display = ("kind", "region", "grid", "category", "observed", "score", "state", "seen_on")
    list_filter = ("kind", "state")
    raw_id_fields = ("region", "grid", "category", "decided_by", "case")
    filter_horizontal = ()
    exclude = ("cases",)


@admin.register(FocusProblem)
class FocusProblemAdmin(ScopedAdmin):
    list_display = ("street", "month", "category", "place_key", "count", "state")
    list_filter = ("state",)
    raw_id_fields = ("street", "category", "confirmed_by")
