from django import forms
from django.utils.translation import gettext_lazy as _

from genxi.regions.models import Level, Region

from .models import ImportKind


class RevealForm(forms.Form):
    field = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("查看理由"),
        min_length=4,
        max_length=200,
        error_messages={"min_length": _("请填写查看理由(至少 4 个字)。")},
    )


class ImportForm(forms.Form):
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
