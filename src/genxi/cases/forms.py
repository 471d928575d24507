from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Category, RatingChoice, Urgency
from .services import case_create


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > 6:
            raise forms.ValidationError(_("最多上传 6 张照片。"))
        return [super(PhotosField, self).clean(f, initial) for f in files]


def _css(widget: forms.Widget) -> str:
    """Bootstrap's class for a widget: a radio or a checkbox is no text box (a choice
    styled as `form-control` renders as an empty box, and what is picked cannot be seen);
    radios are shown as toggle buttons (`btn-check`) beside their labels."""
    if isinstance(widget, forms.RadioSelect):
        return "btn-check"
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):  # after RadioSelect, which is a Select
        return "form-select"
    return "form-control"


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            widget.attrs.setdefault("class", _css(widget))


class CaseForm(_Styled):
    """Staff entry (phone call, walk-in) and a pioneer's visit."""

    text = forms.CharField(
        label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}), min_length=5, max_length=2000
    )
    address = forms.CharField(label=_("地点"), required=False, max_length=200)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)
    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=Category.objects.filter(active=True),
        required=False,
        empty_label=_("(由派遣员确定)"),
    )
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    reporter_name = forms.CharField(label=_("反映人"), required=False, max_length=50)
    reporter_contact = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    photos = PhotosField(label=_("照片"), required=False)


class PublicReportForm(_Styled):
    text = forms.CharField(
        label=_("遇到了什么问题?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=5,
        max_length=2000,
    )
    address = forms.CharField(label=_("地点(小区、楼栋)"), required=False, max_length=200)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)
    reporter_name = forms.CharField(label=_("称呼(可不填)"), required=False, max_length=50)
    reporter_contact = forms.CharField(
        label=_("手机号码(便于回访,可不填)"), required=False, max_length=20
    )
    photos = PhotosField(label=_("照片(可不传)"), required=False)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # a trap for bots


class RateForm(_Styled):
    rating = forms.ChoiceField(
        label=_("您对处理结果满意吗?"), choices=RatingChoice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("评价(可不填)"), required=False, max_length=300)
    key = forms.CharField(label=_("评价码(提交时获得)"), max_length=32)


INTAKE_FIELDS = (
    "text",
    "category",
    "lat",
    "lon",
    "address",
    "reporter_name",
    "reporter_contact",
    "urgency",
    "photos",
)


def create_case_from(form: forms.Form, *, actor, channel: str):
    """Record a case from a valid intake form; on refusal, put the errors on the form's
    fields and return None."""
    data = {k: form.cleaned_data[k] for k in INTAKE_FIELDS if k in form.cleaned_data}
    try:
        return case_create(actor=actor, channel=channel, **data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
