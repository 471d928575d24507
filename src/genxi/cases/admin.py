from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from genxi.core.admin import ReferenceAdmin, ScopedAdmin

from . import rule_services
from .models import (
    CalendarDay,
    CalendarSource,
    Case,
    Category,
    Open311Client,
    RoutingRule,
)
from .open311.services import (
    open311_client_check,
    open311_client_create,
    open311_client_revoke,
)
from .selectors import visible_handlers


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    list_display = ("code", "title", "state", "level", "category", "region", "handler", "flagged")
    list_filter = ("state", "level", "flagged", "channel")
    search_fields = ("code", "title")
    raw_id_fields = ("reporter", "region", "handler", "master", "category")
    readonly_fields = ("state", "code")
    # Read-only (ScopedAdmin): cases come in through intake, and move only through the loop.


class RoutingRuleForm(forms.ModelForm):
    """Asks the service's checks, so a refusal is a form error before anything is written."""

    request = None  # set by RoutingRuleAdmin.get_form

    class Meta:
        model = RoutingRule
        fields = ("category_prefix", "region", "handler", "priority", "active")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            rule_services.routing_rule_check(
                actor=self.request.user,
                region=data.get("region"),
                handler=data.get("handler"),
                rule=self.instance,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdmin):
    """Street admins edit who gets which cases in their street (through the service)."""

    writable = True
    form = RoutingRuleForm
    list_display = ("category_prefix", "region", "handler", "priority", "active")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "handler":
            kwargs["queryset"] = visible_handlers(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in RoutingRuleForm.Meta.fields}
        saved = rule_services.routing_rule_save(
            actor=request.user, rule=obj if change else None, **fields
        )
        obj.pk, obj._state.adding = saved.pk, False

    def delete_model(self, request, obj):
        rule_services.routing_rule_delete(actor=request.user, rule=obj)


@admin.register(Category)
class CategoryAdmin(ReferenceAdmin):
    list_display = ("code", "name", "name_en", "response_hours", "resolve_days", "active")


@admin.register(CalendarDay)
class CalendarDayAdmin(ReferenceAdmin):
    list_display = ("date", "is_workday", "name", "source")
    list_filter = ("source", "is_workday")
    readonly_fields = ("source",)

    def save_model(self, request, obj, form, change):
        # A day set here is the admin's: `holidays sync` leaves it as it is from now on.
        obj.source = CalendarSource.MANUAL
        super().save_model(request, obj, form, change)


class Open311ClientForm(forms.ModelForm):
    """Adding asks only for a name (the key is made by the service and shown once);
    changing can only turn an active key off."""

    request = None  # set by Open311ClientAdmin.get_form

    class Meta:
        model = Open311Client
        fields = ("name", "active")

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                open311_client_check(name=data.get("name", ""))
            except ValidationError as exc:
                for field, problems in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, problems)
        return data

    def validate_unique(self):
        pass  # the service decides: a revoked client's name may take a new key


@admin.register(Open311Client)
class Open311ClientAdmin(ReferenceAdmin):
    form = Open311ClientForm
    list_display = ("name", "prefix", "active", "created_at")

    def get_fields(self, request, obj=None):
        return ("name",) if obj is None else ("name", "prefix", "active", "created_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("name", "prefix", "created_at") + (() if obj.active else ("active",))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            client, key = open311_client_create(actor=request.user, name=obj.name)
            obj.pk, obj._state.adding = client.pk, False
            self.message_user(
                request,
                _("客户端「%(name)s」的密钥(只显示这一次,请妥善交给对方):%(key)s")
                % {"name": client.name, "key": key},
                messages.WARNING,
            )
        elif "active" in form.changed_data and not form.cleaned_data["active"]:
            open311_client_revoke(actor=request.user, client=obj)
