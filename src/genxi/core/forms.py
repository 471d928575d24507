from django import forms
from django.utils.translation import gettext_lazy as _


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
