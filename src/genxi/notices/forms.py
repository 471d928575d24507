"""One form per action on notices: the notice (per community), a step (submit, approve,
return with a reason, withdraw), the poster's buildings, a picture. A form checks the input; the
service checks who may and the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from genxi.core.forms import ModelMultipleChoiceField
from genxi.people.models import ResidentTag
from genxi.regions.models import Building, Region

from .domain.states import STEPS
from .models import AudienceKind


class _Form(forms.Form):
    status = 400

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class BuildingField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(estate)s %(n)s幢") % {"estate": obj.estate.name, "n": obj.number}


def community_buildings(community: Region):
    """The community's buildings in the order people count them (2幢 before 10幢)."""
    return (
        Building.objects.filter(estate__community=community)
        .select_related("estate")
        .order_by("estate__name", Length("number"), "number")
    )


class NoticeForm(_Form):
    title = forms.CharField(label=_("标题"), max_length=60)
    text = forms.CharField(
        label=_("正文"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )
    valid_from = forms.DateField(label=_("生效日期"), widget=DateInput())
    valid_until = forms.DateField(label=_("截止日期"), widget=DateInput())
    audience = forms.ChoiceField(
        label=_("范围"), choices=AudienceKind.choices, widget=forms.RadioSelect
    )
    grids = ModelMultipleChoiceField(
        label=_("网格"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    buildings = BuildingField(
        label=_("楼栋"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tag = forms.ChoiceField(
        label=_("只发给有此标签的居民"), choices=[("", "—"), *ResidentTag.choices], required=False
    )
    by_sms = forms.BooleanField(label=_("发布时短信通知同意接收短信的居民"), required=False)
    sms_text = forms.CharField(
        label=_("短信内容"),
        max_length=200,
        required=False,
        help_text=_("不超过 200 字;发送时前面加上社区名称。"),
    )

    def __init__(self, *args: Any, community: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grids = self.fields["grids"]
        assert isinstance(grids, forms.ModelChoiceField)  # declared above
        grids.queryset = community.children.order_by("code")
        buildings = self.fields["buildings"]
        assert isinstance(buildings, forms.ModelChoiceField)  # declared above
        buildings.queryset = community_buildings(community)


class ActForm(_Form):
    action = forms.ChoiceField(choices=[(a, a) for a in STEPS])
    reason = forms.CharField(label=_("理由"), max_length=200, required=False)


class PrintForm(_Form):
    buildings = BuildingField(
        label=_("张贴的楼栋"),
        queryset=Building.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, community: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["buildings"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above
        field.queryset = community_buildings(community)


class ImageForm(_Form):
    """A picture for the notice; core/photos.py checks it and strips its metadata."""

    image = forms.FileField(
        label=_("图片"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("图片说明"), max_length=40, required=False)
