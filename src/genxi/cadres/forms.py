"""The forms of cadre development: one per action. Choices are limited to the office's own
street (units, places, projects, cadres, accounts); the services check the rules again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from genxi.cases.models import Case
from genxi.core.forms import ModelMultipleChoiceField
from genxi.core.scope import path_q
from genxi.people.models import Membership, User

from . import selectors
from .domain import assessment
from .models import CommendationLevel, Gender, PostingKind, ScorerKind

GROUP_CHOICES = [("overall", _("总体评价")), ("core", _("核心能力")), ("extra", _("补充项目"))]


class _Form(forms.Form):
    status = 400

    def style(self) -> None:
        """Bootstrap's look for the inputs, selects and boxes."""
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class PlaceField(forms.ModelChoiceField):
    """A place by its full name ("彩香一村社区 · 第1网格")."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class AccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


def staff_accounts(user: Any):
    """The accounts of the people working in the office's streets (to link a cadre)."""
    paths = selectors.office_paths(user)
    return (
        User.objects.filter(is_active=True)
        .filter(pk__in=_members_under(paths))
        .order_by("display_name", "username")
    )


def _members_under(paths: tuple[str, ...]):
    return (
        Membership.objects.filter(active=True).filter(path_q("region__path", paths)).values("user")
    )


class CadreForm(_Form):
    name = forms.CharField(label=_("姓名"), max_length=30)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    birth_year = forms.IntegerField(label=_("出生年份"), min_value=1900, max_value=2100)
    phone = forms.CharField(label=_("手机号"), max_length=11, required=False)

    def __init__(self, *args: Any, user: Any, cadre: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cadre = cadre
        if cadre is None:
            self.fields["unit"] = PlaceField(
                label=_("所在单位"), queryset=selectors.office_units(user)
            )
            self.fields["post"] = forms.CharField(label=_("现任职务"), max_length=60)
            self.fields["starts"] = _date(_("任职时间"))
        else:
            self.initial.update(
                name=cadre.name,
                gender=cadre.gender,
                birth_year=cadre.birth_year,
                phone=cadre.phone,
                user=cadre.user_id,
                active=cadre.active,
            )
            self.fields["active"] = forms.BooleanField(label=_("在岗"), required=False)
        self.fields["user"] = AccountField(
            label=_("关联账号"),
            queryset=staff_accounts(user),
            required=False,
            help_text=_("关联后,本人可以查看自己的干部档案。"),
        )
        self.style()


class PostForm(_Form):
    post = forms.CharField(label=_("新职务"), max_length=60)
    starts = _date(_("任职时间"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = PlaceField(label=_("单位"), queryset=selectors.office_units(user))
        self.style()


class PostingForm(_Form):
    kind = forms.ChoiceField(label=_("挂职类型"), choices=PostingKind.choices)
    case = forms.CharField(
        label=_("诉求查询码"), max_length=16, required=False, help_text=_("诉求专班时填写")
    )
    starts = _date(_("开始日期"))
    ends = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    role = forms.CharField(label=_("担任"), max_length=60, required=False)
    achievements = forms.CharField(
        label=_("工作实绩"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths = selectors.office_paths(user)
        self.fields["place"] = PlaceField(
            label=_("社区或网格"), queryset=selectors.office_places(user), required=False
        )
        self.fields["project"] = forms.ModelChoiceField(
            label=_("共建项目"), queryset=selectors.office_projects(user), required=False
        )
        self.order_fields(["kind", "place", "project", "case"])
        self.style()

    def clean_case(self) -> Case | None:
        code = self.cleaned_data["case"].strip().upper()
        if not code:
            return None
        case = Case.objects.filter(code=code).filter(path_q("region__path", self.paths)).first()
        if case is None:
            raise forms.ValidationError(_("本街道没有这个查询码的诉求。"))
        return case


class CommendationForm(_Form):
    title = forms.CharField(label=_("表彰名称"), max_length=80)
    level = forms.ChoiceField(label=_("级别"), choices=CommendationLevel.choices)
    awarded_on = _date(_("表彰日期"))
    issuer = forms.CharField(label=_("授予单位"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class StreetForm(_Form):
    """A form that names the street it acts for (the office's, picked when it has more)."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = selectors.office_streets(user)
        self.fields["street"] = forms.ModelChoiceField(
            label=_("街道"), queryset=streets, initial=streets.first()
        )


class ProgrammeForm(StreetForm):
    title = forms.CharField(label=_("培训项目"), max_length=80)
    organiser = forms.CharField(label=_("主办单位"), max_length=60, required=False)
    starts = _date(_("开始日期"))
    ends = _date(_("结束日期"))
    description = forms.CharField(
        label=_("简介"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class CourseForm(_Form):
    title = forms.CharField(label=_("课程"), max_length=80)
    day = _date(_("日期"))
    hours = forms.DecimalField(
        label=_("学时"), max_digits=5, decimal_places=1, min_value=Decimal("0.5")
    )
    teacher = forms.CharField(label=_("授课人"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class CadresField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.post})"


class AttendanceForm(_Form):
    """Who attended a course: a box per cadre of the street (the list is read once for
    every course of a programme's page and passed in as `people`)."""

    def __init__(
        self, *args: Any, street: Any, course: Any = None, people: list | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = people if people is not None else list(selectors.street_cadres(street))
        self.fields["cadres"] = forms.TypedMultipleChoiceField(
            label=_("出勤干部"),
            choices=[(c.pk, f"{c.name}({c.post})") for c in self.people],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if course is not None:
            self.initial["cadres"] = [a.cadre_id for a in course.attendances.all()]
        self.style()

    def clean_cadres(self) -> list:
        wanted = set(self.cleaned_data["cadres"])
        return [c for c in self.people if c.pk in wanted]


class CertificateForm(_Form):
    title = forms.CharField(label=_("证书名称"), max_length=80)
    issued_on = _date(_("颁发日期"))
    file = forms.FileField(label=_("证书文件"), help_text=_("PDF、JPG 或 PNG,不超过 5 MB"))

    def __init__(self, *args: Any, street: Any, people: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = CadreChoice(label=_("干部"), queryset=selectors.street_cadres(street))
        self.fields["cadre"] = field
        if people is not None:  # the page's list, read once: the choices without a query
            field.choices = [("", "---------")] + [(c.pk, f"{c.name}({c.post})") for c in people]
        self.order_fields(["cadre", "title", "issued_on", "file"])
        self.style()


class CadreChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.post})"


class SchemeForm(_Form):
    """The street's scheme: its dimensions (rows; a row with no name is dropped, two empty
    rows to add more) and the weight of each scorer group."""

    name = forms.CharField(label=_("方案名称"), max_length=60)
    EXTRA_ROWS = 2

    def __init__(self, *args: Any, scheme: assessment.Scheme, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["name"] = name
        self.rows: list[tuple[str, ...]] = []
        dims = list(scheme.dimensions)
        for i in range(len(dims) + self.EXTRA_ROWS):
            dim = dims[i] if i < len(dims) else None
            self.fields[f"d{i}_key"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[f"d{i}_name"] = forms.CharField(
                label=_("维度"), max_length=40, required=False
            )
            self.fields[f"d{i}_group"] = forms.ChoiceField(
                label=_("类别"), choices=GROUP_CHOICES, required=False, initial="core"
            )
            self.fields[f"d{i}_weight"] = forms.DecimalField(
                label=_("权重"), max_digits=5, decimal_places=1, min_value=0, required=False
            )
            self.fields[f"d{i}_evidence"] = forms.CharField(
                label=_("评分依据"), max_length=100, required=False
            )
            if dim is not None:
                self.initial.update(
                    {
                        f"d{i}_key": dim.key,
                        f"d{i}_name": dim.name,
                        f"d{i}_group": dim.group,
                        f"d{i}_weight": dim.weight,
                        f"d{i}_evidence": dim.evidence,
                    }
                )
            self.rows.append(
                tuple(f"d{i}_{p}" for p in ("key", "name", "group", "weight", "evidence"))
            )
        for kind, label in ScorerKind.choices:
            self.fields[f"w_{kind}"] = forms.DecimalField(
                label=label, max_digits=5, decimal_places=1, min_value=0
            )
            self.initial[f"w_{kind}"] = scheme.scorers.get(kind, Decimal(0))
        self.style()
        self.row_count = len(self.rows)

    def row_fields(self) -> list[list[Any]]:
        return [[self[n] for n in row] for row in self.rows]

    def scorer_fields(self) -> list[Any]:
        return [self[f"w_{k}"] for k in ScorerKind.values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: set[str] = set()
        for key_f, name_f, _group_f, weight_f, _ev_f in self.rows:
            name = (data.get(name_f) or "").strip()
            if name and data.get(weight_f) is None:
                self.add_error(weight_f, _("请填写权重。"))
            key = (data.get(key_f) or "").strip()
            if key in used:
                data[key_f] = ""
            used.add(key)
        return data

    def dimensions(self) -> list[assessment.Dimension]:
        data = self.cleaned_data
        out: list[assessment.Dimension] = []
        taken = {(data.get(r[0]) or "").strip() for r in self.rows}
        n = 0
        for key_f, name_f, group_f, weight_f, ev_f in self.rows:
            name = (data.get(name_f) or "").strip()
            if not name:
                continue
            key = (data.get(key_f) or "").strip()
            if not key:  # a new row: a key no row has used
                n += 1
                while f"d{n}" in taken:
                    n += 1
                key = f"d{n}"
                taken.add(key)
            out.append(
                assessment.Dimension(
                    key=key,
                    name=name,
                    group=data.get(group_f) or "core",
                    weight=data[weight_f],
                    evidence=(data.get(ev_f) or "").strip(),
                )
            )
        return out

    def scorers(self) -> dict[str, Decimal]:
        return {k: self.cleaned_data[f"w_{k}"] for k in ScorerKind.values}


class RoundForm(StreetForm):
    title = forms.CharField(label=_("考核名称"), max_length=80)
    period = forms.CharField(label=_("考核期"), max_length=40, help_text=_("如 2026年上半年"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        streets = selectors.office_streets(user)
        cadres = selectors.street_cadres_of(streets)
        self.fields["cadres"] = CadresField(
            label=_("参评干部"),
            queryset=cadres,
            widget=forms.CheckboxSelectMultiple,
            initial=list(cadres.values_list("pk", flat=True)),
        )
        self.style()


class ScoresForm(_Form):
    """One cadre's scores in an open round: a box per scorer group and dimension (empty:
    not scored yet) and the evidence per dimension."""

    def __init__(
        self, *args: Any, scheme: assessment.Scheme, existing: dict, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.scorer_kinds = [
            (k, label) for k, label in ScorerKind.choices if scheme.scorers.get(k, 0) > 0
        ]
        for dim in scheme.dimensions:
            for kind, label in self.scorer_kinds:
                name = f"s_{kind}_{dim.key}"
                self.fields[name] = forms.DecimalField(
                    label=label,
                    max_digits=5,
                    decimal_places=2,
                    min_value=0,
                    max_value=100,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={
                            "step": "0.5",
                            "inputmode": "decimal",
                            "aria-label": f"{dim.name} · {label}",
                        }
                    ),
                )
                if (kind, dim.key) in existing:
                    self.initial[name] = existing[(kind, dim.key)].value
            self.fields[f"e_{dim.key}"] = forms.CharField(
                label=_("依据"), max_length=200, required=False
            )
            evidence = [s.evidence for (k, d), s in existing.items() if d == dim.key and s.evidence]
            if evidence:
                self.initial[f"e_{dim.key}"] = evidence[0]
        self.style()

    def grid(self) -> list[tuple[assessment.Dimension, list[Any], Any]]:
        return [
            (d, [self[f"s_{k}_{d.key}"] for k, _l in self.scorer_kinds], self[f"e_{d.key}"])
            for d in self.scheme.dimensions
        ]

    def values(self) -> dict[tuple[str, str], Decimal | None]:
        return {
            (k, d.key): self.cleaned_data[f"s_{k}_{d.key}"]
            for d in self.scheme.dimensions
            for k, _l in self.scorer_kinds
        }

    def evidence(self) -> dict[str, str]:
        return {d.key: self.cleaned_data[f"e_{d.key}"].strip() for d in self.scheme.dimensions}
