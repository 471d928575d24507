"""The gazetteer's and service phones' forms: one form per action (docs/architecture.md)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.addresses import parse_building_list
from .domain.sheet import split_aliases
from .models import Level, Region

_TEXT = {"class": "form-control"}


class _Numbers(forms.CharField):
    """Buildings as staff type them: `1-12`, `3、5、7`, `25号楼`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("楼栋号"))
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={**_TEXT, "placeholder": _("如 1-12 或 3、5、7")})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        try:
            return parse_building_list(value)
        except ValueError as exc:
            raise forms.ValidationError(
                _("看不懂“%(part)s”:请写成 1-12 或 3、5、7。"), params={"part": str(exc)}
            ) from exc


class _GridChoice(forms.ModelChoiceField):
    def __init__(self, community: Region, **kwargs):
        super().__init__(
            queryset=Region.objects.filter(parent=community, level=Level.GRID).order_by("code"),
            label=_("所属网格"),
            empty_label=_("请选择网格"),
            widget=forms.Select(attrs={"class": "form-select"}),
            **kwargs,
        )

    def label_from_instance(self, obj):
        return obj.name


def _aliases_field():
    return forms.CharField(
        label=_("其他叫法(可不填)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={**_TEXT, "placeholder": _("如 彩香一村、彩香小区,用顿号隔开")}
        ),
    )


class EstateForm(forms.Form):
    """A new estate, with its first buildings if given."""

    name = forms.CharField(label=_("小区名称"), max_length=100, widget=forms.TextInput(_TEXT))
    aliases = _aliases_field()

    def __init__(self, *args, community: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numbers"] = _Numbers(required=False)
        self.fields["grid"] = _GridChoice(community, required=False)

    def clean_aliases(self):
        return list(split_aliases(self.cleaned_data["aliases"]))

    def clean(self):
        data = super().clean()
        if data.get("numbers") and not data.get("grid"):
            self.add_error("grid", _("请选择这些楼栋所属的网格。"))
        return data


class EstateEditForm(forms.Form):
    name = forms.CharField(label=_("小区名称"), max_length=100, widget=forms.TextInput(_TEXT))
    aliases = _aliases_field()

    def clean_aliases(self):
        return list(split_aliases(self.cleaned_data["aliases"]))


class BuildingsForm(forms.Form):
    """Buildings of an estate into a grid (added, or moved from another)."""

    def __init__(self, *args, community: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numbers"] = _Numbers()
        self.fields["grid"] = _GridChoice(community)


class BuildingsRemoveForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numbers"] = _Numbers()


class GazetteerImportForm(forms.Form):
    status = 400  # what the page answers when the import is refused (core.forms)
    refusals = {"file": "file"}  # the service's refusals land on the file field
    file = forms.FileField(
        label=_("Excel 文件(.xlsx)"),
        widget=forms.ClearableFileInput(attrs={**_TEXT, "accept": ".xlsx"}),
    )


class ContactForm(forms.Form):
    """How residents reach a grid or community (an office number; the service checks it)."""

    service_phone = forms.CharField(
        label=_("服务电话"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={**_TEXT, "inputmode": "tel", "placeholder": _("如 0512-65310000")}
        ),
    )
    service_hours = forms.CharField(
        label=_("服务时间"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": _("如 工作日 8:30-17:00")}),
    )
