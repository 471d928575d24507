"""Forms of the core, and how every app's views run a form through a service: `submit()`
calls the service with the cleaned data and `refuse()` puts its refusal on the form."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from . import audit_verbs
from .params import calendar_error


def refuse(form: forms.Form, exc: ValidationError | PermissionDenied, *, field=None) -> None:
    """Put a service's refusal on the form: each message on the field it names (or the
    field the form's `refusals` maps that name to), else on `field` (or the whole form).
    A permission refusal marks the form `status = 403`."""
    _mark(form, 400)
    if isinstance(exc, PermissionDenied):
        _mark(form, 403)
        form.add_error(field, str(exc))
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(field, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        name = getattr(form, "refusals", {}).get(name, name)
        form.add_error(name if name in form.fields else field, errors)


def _mark(form: forms.BaseForm, status: int) -> None:
    """`form.status`: what the view answers with. Any form may be sent back, so the
    attribute is set on the instance (a form class may declare it, as cobuild's `_Form`)."""
    form.status = status  # type: ignore[attr-defined]


def submit(form, call):
    """Run `call(cleaned_data)` if the form is valid; a service's refusal goes onto the
    form's fields. Answers what `call` returned, or None when the form has errors; then
    `form.status` is the status to answer with (400, or 403 for a permission refusal)."""
    if not form.is_valid() or not within_calendar(form):
        _mark(form, 400)
        return None
    try:
        return call(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refuse(form, exc)
        return None


def within_calendar(form) -> bool:
    """Whether every date and date-time of a valid form falls within the years a service can
    count from (core.params.YEAR_MIN..YEAR_MAX); each one beyond is refused beside its
    field. Django reads "0001-01-01" as a date, and a service adding a day, a week or a
    time zone's offset to it (or to 9999-12-31) raised OverflowError: a 500."""
    fine = True
    for name, value in list(form.cleaned_data.items()):
        message = calendar_error(value) if isinstance(value, date) else None
        if message:
            form.add_error(name, message)
            fine = False
    return fine


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing as an invalid choice a key its column cannot hold (2**63 on an
    integer key): Django passes the values to one `pk__in` query unchecked, and the
    database driver raised OverflowError (SQLite) there — a 500 for a tampered checkbox.
    Every multiple choice of the models in genxi's forms is one of these."""

    def _check_values(self, value):
        model = self.queryset.model
        key = (
            model._meta.pk
            if self.to_field_name is None
            else model._meta.get_field(self.to_field_name)
        )
        for raw in value if isinstance(value, list | tuple | set | frozenset) else ():
            try:
                key.run_validators(key.to_python(raw))
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": raw},
                ) from None
            except (TypeError, ValueError):
                continue  # Django's own check names it
        return super()._check_values(value)


class ConfirmForm(forms.Form):
    """A confirmed step that takes no input (revoking a token): the form only carries the
    service's refusal back to the page."""

    status = 400


class TwoFactorForm(forms.Form):
    """The 6-digit code of the authenticator app. Whether it is right is the device's
    answer (the view puts a wrong code on the field)."""

    token = forms.RegexField(
        label=_("验证码"),
        regex=r"^\d{6,8}$",
        strip=True,
        error_messages={"invalid": _("验证码不正确,请重新输入。")},
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
            }
        ),
    )


_TEXT = {"class": "form-control form-control-sm"}


def _verb_choices() -> list[tuple[str, StrOrPromise]]:
    """The registered verbs by their words (the words are unique: a test checks it)."""
    return [("", _("全部操作"))] + list(audit_verbs.choices())


class AuditFilterForm(forms.Form):
    """The audit log's filters; the verb is picked from the registered ones."""

    actor = forms.CharField(
        label=_("操作人"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": _("操作人")}),
    )
    verb = forms.ChoiceField(
        label=_("操作"),
        required=False,
        choices=_verb_choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    target = forms.CharField(
        label=_("对象"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": _("对象")}),
    )
    since = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}),
    )

    def filter(self, qs):
        """The events that pass the (valid) filters."""
        data = self.cleaned_data
        if data["actor"]:  # a person's name, or the login they had then
            qs = qs.filter(
                Q(actor__display_name__icontains=data["actor"])
                | Q(actor_label__icontains=data["actor"])
            )
        if data["verb"]:
            qs = qs.filter(_verb_q(data["verb"]))
        if data["target"]:
            qs = qs.filter(target_label__icontains=data["target"])
        if data["since"]:
            qs = qs.filter(created_at__date__gte=data["since"])
        return qs


def _verb_q(verb: str) -> Q:
    """One verb, or every verb a pattern (`admin.*.update`) stands for."""
    if "*" not in verb:
        return Q(verb=verb)
    return Q(verb__regex=audit_verbs.pattern_regex(verb).pattern)


class SavedFilterForm(forms.Form):
    """Saving a list's current filter under a name (core.services.saved_filter_create
    checks the page and the query against the page's own filter form)."""

    status = 400
    page = forms.CharField(max_length=60, widget=forms.HiddenInput)
    query = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("名称"),
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
