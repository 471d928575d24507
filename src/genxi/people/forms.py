from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from genxi.core.pii import EncryptedTextField
from genxi.regions.models import Level, Region

from . import selectors
from .importers import IMPORTERS
from .models import ImportKind, ImportMode, PioneerKind, Resident, ResidentTag


def _personal_fields() -> list[tuple[str, StrOrPromise]]:
    return [
        (f.name, f.verbose_name)
        for f in Resident._meta.get_fields()
        if isinstance(f, EncryptedTextField)
    ]


class RevealForm(forms.Form):
    """Revealing one personal-data field of a resident, with the reason (recorded)."""

    status = 400
    field = forms.ChoiceField(
        choices=_personal_fields,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("该字段不是个人信息字段。")},
    )
    reason = forms.CharField(
        label=_("查看理由"),
        min_length=4,
        max_length=200,
        error_messages={"min_length": _("请填写查看理由(至少 4 个字)。")},
    )


def grouped_places(places: list[Region]) -> list:
    """Places for a picker, grouped under their parent's name (彩香一村社区 › 第2网格); the
    empty choice only when there is more than one."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for node in places:
        parent = node.parent.name if node.parent else ""
        label = node.name if node.level == Level.GRID else _("%(name)s(全部)") % {"name": node.name}
        groups.setdefault(parent, []).append((node.pk, label))
    options: list = list(groups.items())
    return options if len(places) == 1 else [("", "---------"), *options]


class ImportForm(forms.Form):
    status = 400
    kind = forms.ChoiceField(label=_("导入类型"), choices=ImportKind.choices)
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=ImportMode.choices,
        initial=ImportMode.CREATE,
        required=False,  # a post without it (an older page, a script) adds, as before
        widget=forms.RadioSelect,
        help_text=_(
            "新增:只新增记录。更新:按身份证号(先锋按编号)找到已有记录,先预览改动,确认后才修改。"
        ),
    )
    region = forms.ModelChoiceField(label=_("导入范围"), queryset=Region.objects.none())
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        places = (
            Region.objects.visible_to(user)
            .filter(level__in=[Level.STREET, Level.COMMUNITY, Level.GRID])
            .order_by("path")
        )
        kinds = selectors.importable_kinds(user)
        self.fields["kind"].choices = [c for c in ImportKind.choices if c[0] in kinds]
        field = self.fields["region"]
        field.queryset = places  # what a post is checked against
        field.choices = grouped_places(listed := list(places.select_related("parent")))
        places = listed
        # Preset to the widest place the user holds when there is one (a community worker's
        # community): importing into one of its grids is the exception.
        top = [p for p in places if not any(p.path.startswith(q.path) and p != q for q in places)]
        if len(top) == 1:
            self.fields["region"].initial = top[0].pk
        for name, field in self.fields.items():
            if name == "mode":
                continue
            css = "form-select" if name in ("kind", "region") else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_mode(self):
        return self.cleaned_data["mode"] or ImportMode.CREATE

    def clean(self):
        data = super().clean()
        kind, mode = data.get("kind"), data.get("mode")
        if kind and mode == ImportMode.UPDATE and not IMPORTERS[kind].updates:
            self.add_error("mode", _("该类型只能新增,不能更新。"))
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        return upload


# A place filter: a division's (12 digits) or a grid's (15) code, as the place picker sends.
_PLACE_CODE = r"^\d{12}(\d{3})?$"


class PioneerFilterForm(forms.Form):
    """The pioneers' list's GET filters as a saved filter keeps them (core/saved_filters.py):
    the kind, a place's code, a skill, on duty or not, and the search text."""

    kind = forms.ChoiceField(choices=PioneerKind.choices, required=False)
    grid = forms.RegexField(regex=_PLACE_CODE, required=False)
    skill = forms.CharField(max_length=50, required=False)
    active = forms.ChoiceField(choices=[("1", "1"), ("0", "0")], required=False)
    q = forms.CharField(max_length=100, required=False)


class ResidentFilterForm(forms.Form):
    """The residents' list's GET filters as a saved filter keeps them: a place's code, a
    tag and the search text."""

    grid = forms.RegexField(regex=_PLACE_CODE, required=False)
    tag = forms.ChoiceField(choices=ResidentTag.choices, required=False)
    q = forms.CharField(max_length=100, required=False)


class SmsConsentForm(forms.Form):
    """The resident's consent to texts from the community, or its withdrawal."""

    status = 400
    action = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])
    how = forms.CharField(label=_("同意方式"), max_length=100, required=False)
