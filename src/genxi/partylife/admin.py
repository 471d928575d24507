from django.contrib import admin

from genxi.core.admin import ScopedAdmin

from .models import ContactDay, StudyReflection, TrainingPlan, TrainingSession


@admin.register(TrainingPlan)
class TrainingPlanAdmin(ScopedAdmin):
    list_display = ("title", "org", "year")
    raw_id_fields = ("org",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(ScopedAdmin):
    list_display = ("topic", "plan", "kind", "starts_at", "held_at")
    list_filter = ("kind",)
    raw_id_fields = ("plan", "books")


@admin.register(StudyReflection)
class StudyReflectionAdmin(ScopedAdmin):
    list_display = ("member", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("member", "session", "moderated_by")


@admin.register(ContactDay)
class ContactDayAdmin(ScopedAdmin):
    list_display = ("day", "community", "member")
    raw_id_fields = ("org", "community", "member")
