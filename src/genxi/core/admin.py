"""The Django admin, scoped and audited like everything else.

`ScopedAdmin` is the base for every app's ModelAdmin: rows come through
`visible_to(user)`, personal-data fields are never put in a form (only their masked
value is shown), and every save or delete writes an audit event.

The admin is not a second write path for business data: a `ScopedAdmin` is read-only
unless its class says `writable = True` (and then its saves call the app's services).
Foreign-key choices, raw-id labels and "view on site" follow the user's scope, and an
object out of scope answers 404, as everywhere else. City-wide reference data is the
system admin's (`ReferenceAdmin`).
"""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import audit
from .forms import ModelMultipleChoiceField
from .models import AuditEvent, NotificationDelivery
from .pii import encrypted_fields
from .roles import Perm
from .scope import scope_for


def _site_permission(request) -> bool:
    return request.user.is_active and scope_for(request.user).has(Perm.ADMIN_SITE)


admin.site.has_permission = _site_permission  # type: ignore[method-assign]
admin.site.site_header = _("根系 genxi 后台管理")
admin.site.site_title = _("根系 genxi")


def _view_on_site(request, content_type_id, object_id):
    """Django's "view on site" shortcut, but only for an object the user may see in the
    admin: anything else, existing or not, is a 404 (the redirect would name it)."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_permission(request):
        raise Http404
    obj = model_admin.get_object(request, object_id)
    if obj is None or not hasattr(obj, "get_absolute_url"):
        raise Http404
    return redirect(obj.get_absolute_url())


_site_urls = admin.site.get_urls


def _get_urls():
    urls = _site_urls()
    for i, pattern in enumerate(urls):
        if getattr(pattern, "name", None) == "view_on_site":
            urls[i] = path(
                "r/<int:content_type_id>/<path:object_id>/",
                admin.site.admin_view(_view_on_site),
                name="view_on_site",
            )
    return urls


admin.site.get_urls = _get_urls  # type: ignore[method-assign]


def keep_own_models_only() -> None:
    """The admin shows genxi's models only. Third-party tables (Django's groups, the
    lockout logs, task results, TOTP devices) follow Django's own permission flags, which
    our roles do not use: a stray `is_superuser` must not open them."""
    for model in list(admin.site._registry):
        if not model.__module__.startswith("genxi."):
            admin.site.unregister(model)


class NotFoundAdmin(admin.ModelAdmin):
    """An object the admin's queryset does not hold answers 404 (Django redirects).

    Django's own admin log (django_admin_log) is not written: the audit log is the one
    record of who changed what, and the admin log would keep a second, unsealed copy with
    object names (a resident's name, say) in plain text."""

    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletions(self, request, queryset):
        return None

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class AuditedAdmin(NotFoundAdmin):
    """Every save and delete through the admin writes an audit event."""

    audit_hidden: tuple[str, ...] = ()  # fields kept out of the audit record

    def _snapshot(self, obj):
        return {k: v for k, v in audit.snapshot(obj).items() if k not in self.audit_hidden}

    def save_model(self, request, obj, form, change):
        verb = f"{obj._meta.model_name}.{'update' if change else 'create'}"
        with transaction.atomic():
            before = {}
            if change:
                before = self._snapshot(type(obj).objects.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            b, a = audit.diff(before, self._snapshot(obj))
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


class ScopedRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw-id box whose label names only an object of the field's (scoped) choices."""

    def __init__(self, rel, admin_site, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(rel, admin_site, **kwargs)

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            if not self.queryset.filter(**{key: value}).exists():
                return "", ""
        except (ValueError, TypeError):
            return "", ""
        return super().label_and_url_for_value(value)


class ScopedChoices:
    """Foreign-key and many-to-many choices (and their validation) from `visible_to`."""

    def _scoped_queryset(self, db_field, request, kwargs):
        if "queryset" not in kwargs:
            related = db_field.remote_field.model._default_manager.all()
            if hasattr(related, "visible_to"):
                kwargs["queryset"] = related.visible_to(request.user)
        return kwargs.get("queryset")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = self._scoped_queryset(db_field, request, kwargs)
        if queryset is not None and "widget" not in kwargs and db_field.name in self.raw_id_fields:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, queryset, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scoped_queryset(db_field, request, kwargs)
        kwargs.setdefault("form_class", ModelMultipleChoiceField)  # a key too large: refused
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdmin(ScopedChoices, AuditedAdmin):
    """Business data: seen within the user's scope, written through the pages.

    `writable = True` opens add, change and delete (within scope) to the roles that see
    the model; such an admin's saves must call the app's services."""

    list_per_page = 50
    writable = False

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
        return self.writable and self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self.writable and self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self.writable and self._allowed(request)

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


class ScopedInline(ScopedChoices, admin.TabularInline):
    """An inline of business rows: shown with its parent, written through the pages."""

    extra = 0

    def _allowed(self, request) -> bool:
        return scope_for(request.user).has(Perm.ADMIN_SITE)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceAdmin(AuditedAdmin):
    """City-wide reference data (categories, holidays, Open311 clients, deliveries): it
    moves every street's work, so only the system admin sees and edits it. Rows are not
    deleted (cases, deadlines and deliveries refer to them); deactivate instead."""

    def _allowed(self, request) -> bool:
        scope = scope_for(request.user)
        return scope.has(Perm.ADMIN_SITE) and scope.has(Perm.EDIT_REFERENCE)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if self._allowed(request) else queryset.none()


@admin.register(AuditEvent)
class AuditEventAdmin(NotFoundAdmin):
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


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(ReferenceAdmin):
    """Failed notifications stay visible here (to the system admin, read-only)."""

    list_display = ("created_at", "channel", "status", "attempts", "last_error")
    list_filter = ("status", "channel")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
