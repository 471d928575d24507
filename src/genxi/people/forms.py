from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from genxi.core.pii import EncryptedTextField
from genxi.regions.models import Level, Region

from .models import ImportKind, Resident


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


class ImportForm(forms.Form):
    status = 400
    kind = forms.ChoiceField(label=_("导入类型"), choices=ImportKind.choices)
    region = forms.ModelChoiceField(label=_("导入范围"), queryset=Region.objects.none())
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.visible_to(user)
            .filter(level__in=[Level.STREET, Level.COMMUNITY, Level.GRID])
            .order_by("path")
        )
        for name, field in self.fields.items():
            css = "form-select" if name in ("kind", "region") else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        return upload
