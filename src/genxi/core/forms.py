"""Forms of the core, and how every app's views run a form through a service: `submit()`
calls the service with the cleaned data and `refuse()` puts its refusal on the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


def refuse(form: forms.Form, exc: ValidationError | PermissionDenied, *, field=None) -> None:
    """Put a service's refusal on the form: each message on the field it names (or the
    field the form's `refusals` maps that name to), else on `field` (or the whole form).
    A permission refusal marks the form `status = 403`."""
    form.status = 400
    if isinstance(exc, PermissionDenied):
        form.status = 403
        form.add_error(field, str(exc))
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(field, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        name = getattr(form, "refusals", {}).get(name, name)
        form.add_error(name if name in form.fields else field, errors)


def submit(form, call):
    """Run `call(cleaned_data)` if the form is valid; a service's refusal goes onto the
    form's fields. Answers what `call` returned, or None when the form has errors; then
    `form.status` is the status to answer with (400, or 403 for a permission refusal)."""
    if not form.is_valid():
        form.status = 400
        return None
    try:
        return call(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refuse(form, exc)
        return None


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
