"""One form per action of inspections: a target, a round, one item's answer, the sign-off.
A form checks the input (and limits choices to what the user may see); the service checks
who may and the business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from genxi.core.forms import ModelMultipleChoiceField
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.regions.models import Level, Region

from . import selectors
from .models import ChecklistTemplate, MemberRole, Result, Target, TargetKind

_INPUT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


class _Form(forms.Form):
    status = 400


class PlaceField(forms.ModelChoiceField):
    """A community or grid named in full ("彩香一村社区 · 第1网格")."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name if obj.level == Level.GRID else obj.name


def _places(user: Any, level: str):
    """The communities (grids) where the user is the staff: they register targets there."""
    scope = scope_for(user)
    regions = Region.objects.filter(level=level).select_related("parent")
    q = Q(pk__in=[])
    for role, path in scope.role_paths:
        if role in STAFF_ROLES:
            q |= Q(path__startswith=path)
    return regions.filter(q).order_by("path")


class TargetForm(_Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=TargetKind.choices, widget=forms.Select(_SELECT)
    )
    name = forms.CharField(label=_("名称"), max_length=80, widget=forms.TextInput(_INPUT))
    community = PlaceField(
        label=_("社区"), queryset=Region.objects.none(), widget=forms.Select(_SELECT)
    )
    grid = PlaceField(
        label=_("网格"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.Select(_SELECT),
    )
    address = forms.CharField(
        label=_("地址"), max_length=120, required=False, widget=forms.TextInput(_INPUT)
    )
    licences = forms.CharField(
        label=_("许可证号"), max_length=200, required=False, widget=forms.TextInput(_INPUT)
    )
    responsible_name = forms.CharField(
        label=_("负责人"), max_length=40, required=False, widget=forms.TextInput(_INPUT)
    )
    responsible_phone = forms.CharField(
        label=_("负责人电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput({**_INPUT, "inputmode": "tel"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = _places(user, Level.COMMUNITY)  # type: ignore[attr-defined]
        self.fields["grid"].queryset = _places(user, Level.GRID)  # type: ignore[attr-defined]


class RoundForm(_Form):
    title = forms.CharField(label=_("名称"), max_length=80, widget=forms.TextInput(_INPUT))
    street = forms.ModelChoiceField(
        label=_("街道"), queryset=Region.objects.none(), widget=forms.Select(_SELECT)
    )
    template = forms.ModelChoiceField(
        label=_("检查表"), queryset=ChecklistTemplate.objects.all(), widget=forms.Select(_SELECT)
    )
    department = forms.CharField(
        label=_("牵头部门"), max_length=60, required=False, widget=forms.TextInput(_INPUT)
    )
    starts_on = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput({**_INPUT, "type": "date"})
    )
    ends_on = forms.DateField(
        label=_("结束日期"), widget=forms.DateInput({**_INPUT, "type": "date"})
    )
    targets = ModelMultipleChoiceField(
        label=_("检查对象"), queryset=Target.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    departments = ModelMultipleChoiceField(
        label=_("职能部门人员"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    street_staff = ModelMultipleChoiceField(
        label=_("街道人员"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    community_staff = ModelMultipleChoiceField(
        label=_("社区工作者"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    volunteers = ModelMultipleChoiceField(
        label=_("志愿者"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    TEAM = (
        ("departments", MemberRole.DEPARTMENT),
        ("street_staff", MemberRole.STREET),
        ("community_staff", MemberRole.COMMUNITY),
        ("volunteers", MemberRole.VOLUNTEER),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        streets = selectors.plannable_streets(user)
        self.fields["street"].queryset = streets  # type: ignore[attr-defined]
        self.fields["targets"].queryset = (  # type: ignore[attr-defined]
            selectors.target_list(user=user).filter(active=True)
        )
        people = selectors.team_choices(streets, user)
        for name, _role in self.TEAM:
            self.fields[name].queryset = people  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = str  # type: ignore[attr-defined]

    def team(self) -> list[tuple[Any, str]]:
        return [(u, role) for name, role in self.TEAM for u in self.cleaned_data.get(name) or []]


class AnswerForm(_Form):
    key = forms.UUIDField(widget=forms.HiddenInput)
    item = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("结果"), choices=Result.choices, required=False, widget=forms.RadioSelect
    )
    number = forms.DecimalField(label=_("数值"), required=False, max_digits=12, decimal_places=2)
    text = forms.CharField(label=_("记录"), max_length=500, required=False)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)
    fixed_on_spot = forms.BooleanField(label=_("已当场整改"), required=False)
    photos = forms.ImageField(label=_("照片"), required=False)


class FinishForm(_Form):
    ack_name = forms.CharField(label=_("负责人姓名"), max_length=40, widget=forms.TextInput(_INPUT))
    signature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=800_000)
    note = forms.CharField(
        label=_("检查意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea({**_INPUT, "rows": 2}),
    )
    due_on = forms.DateField(
        label=_("整改期限"), required=False, widget=forms.DateInput({**_INPUT, "type": "date"})
    )
