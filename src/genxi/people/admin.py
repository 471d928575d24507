from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from genxi.core import audit
from genxi.core.admin import ScopedAdmin
from genxi.core.roles import Perm
from genxi.core.scope import scope_for
from genxi.orgs.models import PartnerUnit
from genxi.regions.models import Region

from . import services
from .models import ImportJob, Membership, Pioneer, Resident, User


class MembershipFormSet(BaseInlineFormSet):
    """Roles change through `membership_grant` / `membership_revoke` only: this formset
    asks the same checks before anything is written, so a refusal is a form error."""

    request = None  # set by MembershipInline.get_formset

    def clean(self):
        super().clean()
        user = self.instance
        kept = {
            f.instance.role
            for f in self.initial_forms
            if f.instance.active and not self._should_delete_form(f)
        }
        for form in self.initial_forms:
            if self._should_delete_form(form):
                try:
                    services.membership_actor_check(actor=self.request.user, user=user)
                except PermissionDenied as exc:
                    raise ValidationError(str(exc)) from exc
        for form in self.extra_forms:
            if not form.is_valid() or self._should_delete_form(form) or not form.has_changed():
                continue
            data = form.cleaned_data
            try:
                services.membership_check(
                    actor=self.request.user,
                    user=user,
                    role=data.get("role"),
                    region=data.get("region"),
                    unit=data.get("unit"),
                    held=kept,
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                kept.add(data["role"])


class MembershipInline(admin.TabularInline):
    """The security admin's view of an account's roles: a role is added (granted) or
    deleted (revoked), never edited in place. Regions and units are the organisation
    chart the security admin needs for this, shown by name only."""

    model = Membership
    formset = MembershipFormSet
    fields = ("role", "region", "unit", "active")
    readonly_fields = ("active",)
    extra = 0

    def _allowed(self, request) -> bool:
        scope = scope_for(request.user)
        return scope.has(Perm.ADMIN_SITE) and scope.has(Perm.MANAGE_ACCOUNTS)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = Region.objects.order_by("path")
        elif db_field.name == "unit":
            kwargs["queryset"] = PartnerUnit.objects.order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class GenxiUserAdmin(ScopedAdmin, UserAdmin):
    """Accounts: the security admin's. Accounts are deactivated, never deleted (their
    audit events and roles stay explained)."""

    writable = True
    list_display = ("username", "display_name", "is_active", "must_change_password", "last_login")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("", {"fields": ("display_name", "is_active", "must_change_password")}),
    )
    inlines = [MembershipInline]
    audit_hidden = ("password",)

    def has_delete_permission(self, request, obj=None):
        return False

    def user_change_password(self, request, id, form_url=""):
        """Setting someone's password is recorded too (the auditor sees who did it)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            with transaction.atomic():
                audit.record(actor=request.user, verb="user.set_password", target=user)
        return response

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # Revocations first: a submission may swap one role for another.
        for row in formset.initial_forms:
            if formset._should_delete_form(row):
                services.membership_revoke(actor=request.user, membership=row.instance)
        for row in formset.extra_forms:
            if formset._should_delete_form(row) or not row.has_changed():
                continue
            data = row.cleaned_data
            services.membership_grant(
                actor=request.user,
                user=form.instance,
                role=data["role"],
                region=data.get("region"),
                unit=data.get("unit"),
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


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
    list_display = (
        "filename",
        "kind",
        "mode",
        "status",
        "created_rows",
        "updated_rows",
        "created_at",
    )
    readonly_fields = ("mode", "errors", "preview", "updated_rows", "unchanged_rows")
