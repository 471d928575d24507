"""The Django admin, scoped and audited like everything else.

`ScopedAdmin` is the base for every app's ModelAdmin: rows come through
`visible_to(user)`, personal-data fields are never put in a form (only their masked
value is shown), and every save or delete writes an audit event.
"""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AuditEvent
from .pii import encrypted_fields
from .roles import Perm
from .scope import scope_for


def _site_permission(request) -> bool:
    return request.user.is_active and scope_for(request.user).has(Perm.ADMIN_SITE)


admin.site.has_permission = _site_permission
admin.site.site_header = _("根系 genxi 后台管理")
admin.site.site_title = _("根系 genxi")


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete through the admin writes an audit event."""

    def save_model(self, request, obj, form, change):
        verb = f"{obj._meta.model_name}.{'update' if change else 'create'}"
        with transaction.atomic():
            before = {}
            if change:
                before = audit.snapshot(type(obj).objects.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            b, a = audit.diff(before, audit.snapshot(obj))
            audit.record(actor=request.user, verb=f"admin.{verb}", target=obj, before=b, after=a)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                actor=request.user,
                verb=f"admin.{obj._meta.model_name}.delete",
                target=obj,
                before=audit.snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        """Inline rows are writes too: record each one created, changed or deleted."""
        with transaction.atomic():
            before = {
                f.instance.pk: audit.snapshot(type(f.instance).objects.get(pk=f.instance.pk))
                for f in formset.forms
                if f.instance.pk and f.has_changed()
            }
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                name = obj._meta.model_name
                audit.record(
                    actor=request.user,
                    verb=f"admin.{name}.create",
                    target=obj,
                    after=audit.snapshot(obj),
                )
            for obj, _fields in formset.changed_objects:
                b, a = audit.diff(before.get(obj.pk, {}), audit.snapshot(obj))
                name = obj._meta.model_name
                audit.record(
                    actor=request.user, verb=f"admin.{name}.update", target=obj, before=b, after=a
                )
            for obj in formset.deleted_objects:
                audit.record(
                    actor=request.user,
                    verb=f"admin.{obj._meta.model_name}.delete",
                    target_label=str(obj),
                    before=audit.snapshot(obj),
                )


class ScopedAdmin(AuditedAdmin):
    list_per_page = 50

    def _allowed(self, request) -> bool:
        scope = scope_for(request.user)
        return scope.has(Perm.ADMIN_SITE) and scope.has(
            getattr(self.model, "scope_perm", Perm.VIEW_DATA)
        )

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_exclude(self, request, obj=None):
        hidden = [f.name for f in encrypted_fields(self.model)]
        return [*(super().get_exclude(request, obj) or []), *hidden]

    def get_readonly_fields(self, request, obj=None):
        masked = [f"masked_{f.name}" for f in encrypted_fields(self.model)]
        return [*super().get_readonly_fields(request, obj), *masked]

    def __getattr__(self, name):
        # masked_<field> columns for list_display and readonly_fields.
        if name.startswith("masked_"):
            field = name.removeprefix("masked_")

            def show(obj):
                return obj.masked(field) if obj is not None and obj.pk else ""

            show.short_description = self.model._meta.get_field(field).verbose_name
            return show
        raise AttributeError(name)


class ScopedInline(admin.TabularInline):
    """An inline that follows its parent admin's permissions (our roles, not Django's)."""

    extra = 0

    def _allowed(self, request) -> bool:
        return scope_for(request.user).has(Perm.ADMIN_SITE)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for auditors; nobody, the system admin included, may change or delete."""

    list_display = ("created_at", "actor_label", "verb", "target_type", "target_label", "ip")
    list_filter = ("verb",)
    search_fields = ("actor_label", "verb", "target_label")
    date_hierarchy = "created_at"

    def _auditor(self, request) -> bool:
        return scope_for(request.user).has(Perm.VIEW_AUDIT)

    def has_module_permission(self, request):
        return self._auditor(request)

    def has_view_permission(self, request, obj=None):
        return self._auditor(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
