"""One form per action of party members' life; the services check the rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from genxi.core.forms import ModelMultipleChoiceField
from genxi.orgs.models import PartyMember, PartyOrg
from genxi.regions.models import Level, Region
from genxi.stations.models import Book

from .links import PRACTICE_KINDS
from .models import AttendanceStatus, SessionKind, TrainingSession

_TEXT = {"class": "form-control"}


def place_of(org: PartyOrg) -> Region:
    """The place whose communities an organisation works in: a grid branch its community."""
    if org.region.level == Level.GRID and org.region.parent is not None:
        return org.region.parent
    return org.region


_SELECT = {"class": "form-select"}


class _Form(forms.Form):
    status = 400  # what the view answers when the form comes back (core.forms.submit)


class PlanForm(_Form):
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, widget=forms.NumberInput(_TEXT)
    )
    title = forms.CharField(label=_("计划名称"), max_length=80, widget=forms.TextInput(_TEXT))
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea({**_TEXT, "rows": 2})
    )


class SessionForm(_Form):
    topic = forms.CharField(label=_("主题"), max_length=80, widget=forms.TextInput(_TEXT))
    kind = forms.ChoiceField(
        label=_("形式"), choices=SessionKind.choices, widget=forms.Select(_SELECT)
    )
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput({**_TEXT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(
        label=_("时长(分钟)"),
        min_value=1,
        max_value=600,
        initial=90,
        widget=forms.NumberInput(_TEXT),
    )
    place = forms.CharField(
        label=_("地点"), max_length=80, required=False, widget=forms.TextInput(_TEXT)
    )
    materials = forms.CharField(
        label=_("学习材料"), required=False, widget=forms.Textarea({**_TEXT, "rows": 2})
    )


class AttendanceForm(_Form):
    """A radio row per member of the branch: 出席 / 缺席 / 请假."""

    def __init__(
        self,
        *args: Any,
        members: list[PartyMember],
        marks: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        marks = marks or {}
        self.members = members
        for m in members:
            self.fields[f"m{m.pk}"] = forms.ChoiceField(
                label=m.name,
                choices=AttendanceStatus.choices,
                initial=marks.get(m.pk, AttendanceStatus.PRESENT),
                widget=forms.RadioSelect,
                error_messages={"required": _("请为这位党员选择出勤情况。")},
            )

    def marks(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"m{m.pk}"] for m in self.members}

    def rows(self) -> list[tuple[PartyMember, forms.BoundField]]:
        return [(m, self[f"m{m.pk}"]) for m in self.members]


class PracticeForm(_Form):
    kind = forms.ChoiceField(
        label=_("成果类型"),
        choices=[(k, v[1]) for k, v in PRACTICE_KINDS.items()],
        widget=forms.Select(_SELECT),
    )
    target = forms.IntegerField(label=_("编号"), min_value=1, widget=forms.NumberInput(_TEXT))


class BooksForm(_Form):
    books = ModelMultipleChoiceField(
        label=_("驿站图书"),
        queryset=Book.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, session: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The books of the stations in the organisation's place (a street's: all of them).
        self.fields["books"].queryset = (  # type: ignore[attr-defined]
            Book.objects.visible_to(user)
            .select_related("station")
            .filter(station__community__path__startswith=place_of(session.plan.org).path)
        )
        self.fields["books"].initial = list(session.books.values_list("pk", flat=True))


class ReflectionForm(_Form):
    member = forms.ModelChoiceField(
        label=_("党员"), queryset=PartyMember.objects.none(), widget=forms.Select(_SELECT)
    )
    text = forms.CharField(
        label=_("学习感悟"), max_length=200, widget=forms.Textarea({**_TEXT, "rows": 2})
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class ModerateForm(_Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("展示")), ("0", _("隐藏"))], coerce=lambda v: v == "1"
    )


class StudyForm(_Form):
    member = forms.ModelChoiceField(
        label=_("党员"), queryset=PartyMember.objects.none(), widget=forms.Select(_SELECT)
    )
    day = forms.DateField(label=_("日期"), widget=forms.DateInput({**_TEXT, "type": "date"}))
    minutes = forms.IntegerField(
        label=_("时长(分钟)"), min_value=1, max_value=600, widget=forms.NumberInput(_TEXT)
    )
    note = forms.CharField(label=_("学习内容"), max_length=120, widget=forms.TextInput(_TEXT))

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class ContactDayForm(_Form):
    community = forms.ModelChoiceField(
        label=_("联系社区"), queryset=Region.objects.none(), widget=forms.Select(_SELECT)
    )
    member = forms.ModelChoiceField(
        label=_("联系党员/干部"), queryset=PartyMember.objects.none(), widget=forms.Select(_SELECT)
    )
    day = forms.DateField(label=_("联系日"), widget=forms.DateInput({**_TEXT, "type": "date"}))
    place = forms.CharField(
        label=_("地点"), max_length=80, required=False, widget=forms.TextInput(_TEXT)
    )

    def __init__(self, *args: Any, org: PartyOrg, user: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        self.fields["community"].queryset = Region.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            level=Level.COMMUNITY, path__startswith=place_of(org).path
        )


class ContactNoteForm(_Form):
    text = forms.CharField(
        label=_("民情记录"), max_length=500, widget=forms.Textarea({**_TEXT, "rows": 3})
    )
    to_case = forms.BooleanField(label=_("转为工单,进入诉求办理流程"), required=False)
