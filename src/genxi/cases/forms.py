"""One form per page action of the request loop: intake (staff and public), the resident's
rating, and each step of a case (`ACTION_FORMS`). A form checks what was typed; the service
(`case_create`, `case_act`) applies the loop's rules, and `core.forms.submit()` puts its
refusal on the field it names (decision 0016)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from genxi.core.params import finite_or_none
from genxi.people.models import User

from . import selectors
from .domain.states import Level
from .models import Case, CaseState, Category, Channel, RatingChoice, Urgency


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


STAFF_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.PIONEER_VISIT)


class CaseForm(_Styled):
    """Staff entry (phone call, walk-in) and a pioneer's visit."""

    channel = forms.ChoiceField(
        label=_("来源"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        required=False,
    )

    text = forms.CharField(
        label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}), min_length=5, max_length=2000
    )
    address = forms.CharField(label=_("地点"), required=False, max_length=200)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)
    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=Category.objects.filter(active=True).select_related("parent"),
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

    status = 400  # what the page answers when the rating is refused (core.forms)


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


def intake(data: dict) -> dict:
    """The keyword arguments of `case_create` in a valid intake form's cleaned data."""

    return {k: data[k] for k in INTAKE_FIELDS if k in data}


# The steps of a case ----------------------------------------------------------------------

_INPUT = {"class": "form-control form-control-sm mb-1"}
_SELECT = {"class": "form-select form-select-sm mb-1"}


class ActionForm(forms.Form):
    """A step that takes no input (take, verify, close, flag, approving an extension): the
    form only carries the loop's refusal back to the case page."""

    status = 400  # the answer when the form is sent back with errors

    def __init__(self, *args: Any, user: Any, case: Case, **kwargs: Any):
        kwargs.setdefault("auto_id", False)  # several action forms share the case page
        super().__init__(*args, **kwargs)
        self.user, self.case = user, case

    def mark_invalid(self) -> None:
        """Mark the fields with errors for the browser (red border, read out as invalid)
        and focus the first, so a phone scrolls to it when the page comes back."""
        first = True
        for name in self.errors:
            if name not in self.fields or self.fields[name].widget.is_hidden:
                continue
            attrs = self.fields[name].widget.attrs
            attrs.update({"aria-invalid": "true", "class": f"{attrs.get('class', '')} is-invalid"})
            if first:
                attrs["autofocus"] = True
                first = False

    def fields_for_service(self) -> dict:
        """What `case_act` takes: the fields given, without the empty ones."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}


class _CategoryField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any):
        super().__init__(
            queryset=Category.objects.filter(active=True).select_related("parent"),
            required=False,
            empty_label=format_lazy("{}…", _("类别")),
            widget=forms.Select(attrs={**_SELECT, "aria-label": _("类别")}),
            error_messages={"invalid_choice": _("请选择一个类别。")},
            **kwargs,
        )


class AcceptForm(ActionForm):
    category = _CategoryField()


def _reason(placeholder=None) -> forms.CharField:
    placeholder = placeholder or _("原因")
    return forms.CharField(
        max_length=500,
        error_messages={"required": _("请说明原因。")},
        widget=forms.TextInput(attrs={**_INPUT, "placeholder": placeholder}),
    )


class ReasonForm(ActionForm):
    """Rejecting, returning, sending back, reopening: the reason is required."""

    reason = _reason()


class _CaseCodeField(forms.ModelChoiceField):
    """A case named by its code, as people type it (any case, spaces around)."""

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class MergeForm(ActionForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # A case the user may not see is not a choice: it answers as one that does not exist.
        self.fields["master"] = _CaseCodeField(
            queryset=Case.objects.visible_to(self.user),
            to_field_name="code",
            error_messages={
                "invalid_choice": _("查询码不存在。"),
                "required": _("请填写合并到的查询码。"),
            },
            widget=forms.TextInput(
                attrs={**_INPUT, "placeholder": _("合并到的查询码"), "autocomplete": "off"}
            ),
        )

    def clean_master(self):
        master = self.cleaned_data["master"]
        if master.pk == self.case.pk:
            raise forms.ValidationError(_("只能合并到另一件未结的诉求。"))
        return master


class _HandlerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)  # the person's name, not the login (issue #10)


class _PersonChoice(forms.TypedChoiceField):
    """A person among the street's departments and units, grouped by organisation and
    named, never by login (`selectors.handler_groups`)."""

    def __init__(self, groups, **kwargs: Any):
        super().__init__(choices=groups, coerce=int, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        return User.objects.get(pk=pk) if pk not in (None, "") else None


class _PeopleChoice(forms.TypedMultipleChoiceField):
    def __init__(self, groups, **kwargs: Any):
        super().__init__(choices=groups, coerce=int, **kwargs)

    def clean(self, value):
        return list(User.objects.filter(pk__in=super().clean(value)))


class DispatchForm(ActionForm):
    """Dispatching and transferring: the handler among those the user may send cases to, and
    optionally the category. At the street's level (an escalated case, 吹哨报到) the lead
    handler (主办) and the assisting ones (协办) among the street's departments and units."""

    category = _CategoryField()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.case.level == Level.STREET:
            self._street()
            return
        self.fields["handler"] = _HandlerField(
            queryset=selectors.visible_handlers(self.user),
            empty_label=format_lazy("{}…", _("处置人")),
            error_messages={
                "invalid_choice": _("请选择一位有效的处置人。"),
                "required": _("请选择处置人。"),
            },
            widget=forms.Select(attrs={**_SELECT, "aria-label": _("处置人")}),
        )

    def _street(self) -> None:
        groups = selectors.handler_groups(self.user, self.case)
        self.fields["handler"] = _PersonChoice(
            [("", format_lazy("{}…", _("主办单位"))), *groups],
            error_messages={
                "invalid_choice": _("请选择本街道的职能部门或共建单位人员作为主办。"),
                "required": _("请选择主办单位。"),
            },
            label=_("主办单位"),
            widget=forms.Select(attrs={**_SELECT, "aria-label": _("主办单位")}),
        )
        self.fields["assistants"] = _PeopleChoice(
            groups,
            required=False,
            label=_("协办单位"),
            error_messages={"invalid_choice": _("协办只能选择本街道的职能部门或共建单位人员。")},
            widget=forms.SelectMultiple(
                attrs={**_SELECT, "aria-label": _("协办单位(可多选)"), "size": 4}
            ),
        )
        self.fields["note"] = forms.CharField(
            max_length=500,
            required=False,
            widget=forms.TextInput(attrs={**_INPUT, "placeholder": _("派遣说明")}),
        )


class EscalateForm(ActionForm):
    reason = _reason(_("上报原因:社区为什么解决不了"))


class SendDownForm(ActionForm):
    reason = _reason(_("退回社区的原因"))


class AssistForm(ActionForm):
    """协办完成: what the assisting unit did."""

    note = forms.CharField(
        max_length=1000,
        error_messages={"required": _("请填写协办情况。")},
        widget=forms.Textarea(attrs={**_INPUT, "rows": 2, "placeholder": _("协办情况")}),
    )


class ExtensionForm(ActionForm):
    days = forms.IntegerField(
        min_value=1,
        max_value=30,
        error_messages={
            "required": _("请填写延期天数。"),
            "min_value": _("延期天数应在 1 到 30 之间。"),
            "max_value": _("延期天数应在 1 到 30 之间。"),
        },
        widget=forms.NumberInput(attrs={**_INPUT, "placeholder": _("延期天数")}),
    )
    reason = _reason()


class _Position(forms.CharField):
    """The phone's position, optional evidence: one that is not a point on the earth
    (`inf` was once stored as JSON `Infinity`) is dropped, not refused."""

    def __init__(self, limit: float, css: str):
        super().__init__(required=False, widget=forms.HiddenInput(attrs={"class": css}))
        self.limit = limit

    def clean(self, value):
        return finite_or_none(super().clean(value), self.limit)


class ResolveForm(ActionForm):
    result = forms.CharField(
        max_length=2000,
        error_messages={"required": _("请填写处置结果。")},
        widget=forms.Textarea(attrs={**_INPUT, "rows": 2, "placeholder": _("处置结果")}),
    )
    photos = PhotosField(required=False)
    lat = _Position(90, "gps-lat")
    lon = _Position(180, "gps-lon")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["class"] = _INPUT["class"]


class StaffRateForm(ActionForm):
    """The satisfaction callback recorded by staff (the resident rates on the public page)."""

    rating = forms.ChoiceField(
        choices=[("", format_lazy("{}…", _("回访结果"))), *RatingChoice.choices],
        error_messages={
            "required": _("请选择回访结果。"),
            "invalid_choice": _("评价应为满意、基本满意或不满意。"),
        },
        widget=forms.Select(attrs={**_SELECT, "aria-label": _("回访结果")}),
    )
    comment = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={**_INPUT, "placeholder": _("居民意见")}),
    )


# Each step's form. Its fields are those the step requires (TRANSITIONS) and the optional
# ones the page offers; a test holds the two together.
ACTION_FORMS: dict[str, type[ActionForm]] = {
    "accept": AcceptForm,
    "reject": ReasonForm,
    "merge": MergeForm,
    "dispatch": DispatchForm,
    "transfer": DispatchForm,
    "take": ActionForm,
    "return": ReasonForm,
    "request_extension": ExtensionForm,
    "approve_extension": ActionForm,
    "resolve": ResolveForm,
    "verify": ActionForm,
    "send_back": ReasonForm,
    "rate": StaffRateForm,
    "close": ActionForm,
    "reopen": ReasonForm,
    "flag": ActionForm,
    "escalate": EscalateForm,
    "send_down": SendDownForm,
    "assist_done": AssistForm,
}


class ContactForm(forms.Form):
    """Why the reporter's number is shown (recorded with the reveal)."""

    status = 400
    reason = forms.CharField(
        label=_("联系理由"),
        min_length=4,
        max_length=200,
        error_messages={"min_length": _("请填写联系理由(至少 4 个字)。")},
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class SplitForm(forms.Form):
    """A request with two problems split in two (services.case_split), where the detector
    cut it: the first part ends at `end`, the second starts at `start` of the case's text
    (positions, never the text: it may hold numbers the page masks)."""

    status = 400
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class QueueFilterForm(forms.Form):
    """The queue's GET filters as a saved filter keeps them (core/saved_filters.py): the
    tab, state, category code, community or grid code, handler and the search text."""

    queue = forms.ChoiceField(choices=[(q, q) for q in selectors.QUEUES], required=False)
    state = forms.ChoiceField(choices=CaseState.choices, required=False)
    category = forms.RegexField(regex=r"^[A-Za-z0-9._-]{1,20}$", required=False)
    region = forms.RegexField(regex=r"^\d{12}(\d{3})?$", required=False)
    handler = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    q = forms.CharField(max_length=100, required=False)
    # The days received, from a dashboard's figure (its period): since and until included.
    since = forms.DateField(required=False)
    until = forms.DateField(required=False)
