from django.contrib import admin

from genxi.core.admin import ScopedAdmin, ScopedInline

from .models import (
    Book,
    BookCopy,
    DutyShift,
    HoursException,
    MedicineItem,
    Reflection,
    Station,
    StationVisit,
    StationVolunteer,
)


class ExceptionInline(ScopedInline):
    model = HoursException


class VolunteerInline(ScopedInline):
    model = StationVolunteer
    raw_id_fields = ("pioneer",)


@admin.register(Station)
class StationAdmin(ScopedAdmin):
    list_display = ("name", "community", "grid", "address", "manager", "active")
    list_filter = ("active",)
    raw_id_fields = ("community", "grid", "manager")
    inlines = [ExceptionInline, VolunteerInline]


@admin.register(StationVisit)
class StationVisitAdmin(ScopedAdmin):
    list_display = ("station", "kind", "at", "recorded_by")
    list_filter = ("kind",)
    raw_id_fields = ("station", "recorded_by")


@admin.register(Reflection)
class ReflectionAdmin(ScopedAdmin):
    list_display = ("station", "text", "status", "created_at", "moderated_by")
    list_filter = ("status",)
    raw_id_fields = ("station", "moderated_by")


@admin.register(DutyShift)
class DutyShiftAdmin(ScopedAdmin):
    list_display = ("station", "date", "start", "end", "pioneer")
    raw_id_fields = ("station", "pioneer")


@admin.register(MedicineItem)
class MedicineItemAdmin(ScopedAdmin):
    list_display = ("station", "name", "batch", "expiry", "quantity", "unit")
    raw_id_fields = ("station",)


class CopyInline(ScopedInline):
    model = BookCopy


@admin.register(Book)
class BookAdmin(ScopedAdmin):
    list_display = ("station", "title", "author", "isbn")
    raw_id_fields = ("station",)
    inlines = [CopyInline]
