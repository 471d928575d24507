"""The forms of the early warnings' pages: one per action."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import REASON_MAX


class ActForm(forms.Form):
    """Turn a warning into a proactive case: the case's text (the proposed one if blank)."""

    status = 400
    text = forms.CharField(
        label=_("诉求内容"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DismissForm(forms.Form):
    status = 400
    reason = forms.CharField(
        label=_("忽略理由"),
        max_length=REASON_MAX,
        error_messages={"required": _("请填写忽略的理由。")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FocusConfirmForm(forms.Form):
    status = 400
    choice = forms.TypedChoiceField(label=_("候选问题"), coerce=int, choices=[])
    note = forms.CharField(label=_("说明"), required=False, max_length=REASON_MAX)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(i, str(i)) for i in range(len(candidates))]
