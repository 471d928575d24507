"""One form per co-building action. A form parses and checks what was typed (required,
numbers, dates, choices within the user's scope); the service then applies the business
rules, and `core.forms.submit()` puts a service's refusal on the field it names."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from genxi.cases.forms import PhotosField
from genxi.cases.models import Case
from genxi.core.forms import ModelMultipleChoiceField
from genxi.core.scope import scope_for
from genxi.orgs.models import PartnerUnit
from genxi.people.models import Resident
from genxi.regions.models import Level, Region

from . import selectors
from .domain import projects as steps
from .models import (
    ActionKind,
    Kind,
    Meeting,
    Milestone,
    Need,
    Project,
    ProjectStatus,
    Resource,
    Tier,
    Weekday,
)

AT_LEAST_ONE = _("数量至少为 1。")
NOT_NEGATIVE = _("数量不能为负。")
MOST = 1_000_000_000  # counts fit the database's integer columns
# Dates a plan can have; beyond them date arithmetic overflows.
DATES = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2099, 12, 31))]


class _Form(forms.Form):
    status = 400  # the answer when the form is sent back with errors


def _count(*, required: bool = True, minimum: int = 1, **kwargs: Any) -> forms.IntegerField:
    message = AT_LEAST_ONE if minimum == 1 else NOT_NEGATIVE
    return forms.IntegerField(
        required=required,
        min_value=minimum,
        max_value=MOST,
        error_messages={"min_value": message},
        **kwargs,
    )


def _date(**kwargs: Any) -> forms.DateField:
    return forms.DateField(validators=DATES, **kwargs)


def _my_units(user: Any, message) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=PartnerUnit.objects.filter(pk__in=scope_for(user).unit_ids),
        error_messages={"invalid_choice": message, "required": message},
    )


def _communities(user: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Region.objects.visible_to(user).communities(),
        error_messages={"invalid_choice": _("请选择一个社区。")},
    )


# The lists: needs, resources, claims, matches


class NeedForm(_Form):
    title = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=Kind.choices)
    quantity = _count()
    unit_label = forms.CharField(max_length=20)
    description = forms.CharField(required=False)
    pooled = forms.BooleanField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["community"] = _communities(user)


class ResourceForm(_Form):
    """A liaison registers its unit's resource; the staff over a unit may register one in
    its name (the service checks which): the choices are the units the user may see."""

    kind = forms.ChoiceField(choices=Kind.choices)
    capacity = _count()
    unit_label = forms.CharField(max_length=20)
    description = forms.CharField()
    schedule = forms.CharField(max_length=100, required=False)
    conditions = forms.CharField(max_length=200, required=False)
    radius_m = _count(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        message = _("只能为本单位登记资源。")
        self.fields["unit"] = forms.ModelChoiceField(
            queryset=PartnerUnit.objects.visible_to(user),
            error_messages={"invalid_choice": message, "required": message},
        )


class ClaimForm(_Form):
    """A unit claims part of a need, optionally naming the resource it uses."""

    quantity = _count()
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _my_units(user, _("只能以本单位的名义认领。"))
        self.fields["resource"] = forms.ModelChoiceField(
            queryset=selectors.unit_resources(user=user, unit_ids=scope_for(user).unit_ids),
            required=False,
            error_messages={"invalid_choice": _("只能使用本单位的资源。")},
        )

    def clean(self):
        data = super().clean()
        unit, resource = data.get("unit"), data.get("resource")
        if unit and resource and resource.unit_id != unit.pk:
            self.add_error("resource", _("只能使用本单位的资源。"))
        return data


class ProjectClaimForm(_Form):
    """A unit's contribution to a project: a kind, an amount and its unit of measure."""

    kind = forms.ChoiceField(
        choices=Kind.choices, error_messages={"required": _("请选择投入的类别。")}
    )
    quantity = _count()
    unit_label = forms.CharField(
        max_length=20, error_messages={"required": _("请填写数量的单位,如:元、志愿小时。")}
    )
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _my_units(user, _("只能以本单位的名义认领。"))


class SlotClaimForm(_Form):
    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _my_units(user, _("只能以本单位的名义认领。"))


class ReasonForm(_Form):
    """Rejecting a claim, cancelling a slot or a meeting: the reason is required."""

    reason = forms.CharField(max_length=200, error_messages={"required": _("请说明原因。")})


class RejectForm(_Form):
    """The community turns a unit's claim down: the unit reads why."""

    reason = forms.CharField(max_length=200, error_messages={"required": _("请说明不通过的原因。")})


class DeclineForm(_Form):
    """The unit declines a match the community proposed: the community reads why."""

    reason = forms.CharField(max_length=200, error_messages={"required": _("请说明谢绝的原因。")})


class DeliverForm(_Form):
    amount = _count(minimum=0)
    beneficiaries = _count(required=False, minimum=0)
    photos = PhotosField(required=False)

    def clean_beneficiaries(self):
        return self.cleaned_data["beneficiaries"] or 0


class ApproveForm(_Form):
    """Approving a claim takes no input; the form carries a refusal to the page."""


class MatchForm(_Form):
    """Accepting or rejecting a suggested match (hidden fields of the suggestion's row)."""

    quantity = _count(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["need"] = forms.ModelChoiceField(queryset=Need.objects.visible_to(user))
        self.fields["resource"] = forms.ModelChoiceField(
            queryset=Resource.objects.visible_to(user).select_related("unit__region")
        )


# Projects and services


class ProjectForm(_Form):
    title = forms.CharField(max_length=100)
    goal = forms.CharField()
    tier = forms.ChoiceField(
        choices=[(Tier.STREET, Tier.STREET.label), (Tier.COMMUNITY, Tier.COMMUNITY.label)],
        required=False,
    )
    budget = _count(required=False, minimum=0)
    beneficiaries = _count(required=False, minimum=0)
    start = _date(required=False)
    end = _date(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["community"] = forms.ModelChoiceField(
            queryset=Region.objects.visible_to(user).filter(
                level__in=[Level.STREET, Level.COMMUNITY]
            ),
            error_messages={"invalid_choice": _("请选择牵头的街道或社区。")},
        )
        self.fields["parent"] = forms.ModelChoiceField(
            queryset=Project.objects.visible_to(user).filter(tier=Tier.STREET),
            required=False,
            error_messages={"invalid_choice": _("请选择一个街道项目。")},
        )
        self.fields["needs"] = ModelMultipleChoiceField(
            queryset=Need.objects.visible_to(user), required=False
        )

    def clean_tier(self):
        return self.cleaned_data["tier"] or Tier.COMMUNITY

    def clean_budget(self):
        return self.cleaned_data["budget"] or 0

    def clean_beneficiaries(self):
        return self.cleaned_data["beneficiaries"] or 0

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class ProjectStatusForm(_Form):
    # A field named like _Form.status: the form's metaclass takes it out of the class
    # attributes, so `form.status` is still the answer's status code.
    status = forms.ChoiceField(  # type: ignore[assignment]
        choices=[(v, label) for v, label in ProjectStatus.choices if v in steps.RUNNING],
    )


class ProposalForm(_Form):
    """A micro-project proposal by a signed-in pioneer (or the community's staff)."""

    title = forms.CharField(max_length=100, error_messages={"required": _("请填写项目名称。")})
    goal = forms.CharField(
        max_length=2000, error_messages={"required": _("请说说想做什么、为谁做。")}
    )
    beneficiaries = _count(required=False, minimum=0)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["community"] = _proposal_communities(selectors.proposal_communities(user))

    def clean_beneficiaries(self):
        return self.cleaned_data["beneficiaries"] or 0


def _proposal_communities(queryset) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=queryset,
        error_messages={
            "invalid_choice": _("请选择一个社区。"),
            "required": _("请选择一个社区。"),
        },
    )


class PublicProposalForm(_Form):
    """A resident's micro-project proposal on the public page: no login; name and phone
    so the community can call back (the phone is stored encrypted and shown masked)."""

    title = forms.CharField(max_length=100, error_messages={"required": _("请填写项目名称。")})
    goal = forms.CharField(
        max_length=2000, error_messages={"required": _("请说说想做什么、为谁做。")}
    )
    beneficiaries = _count(required=False, minimum=0)
    proposer_name = forms.CharField(
        max_length=50, error_messages={"required": _("请留下您的称呼。")}
    )
    proposer_phone = forms.CharField(
        max_length=20, error_messages={"required": _("请填写 11 位手机号码,方便社区联系您。")}
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # a trap for bots

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["community"] = _proposal_communities(
            Region.objects.filter(level=Level.COMMUNITY).order_by("code")
        )

    def clean_beneficiaries(self):
        return self.cleaned_data["beneficiaries"] or 0


class DecideForm(_Form):
    """The community's decision on a proposal: approve with a budget, or decline saying
    why (the proposer reads the reason)."""

    decision = forms.ChoiceField(
        choices=[("approve", _("批准")), ("decline", _("不采纳"))],
        error_messages={"required": _("请选择批准或不采纳。")},
    )
    budget = _count(required=False, minimum=0)
    reason = forms.CharField(max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and data.get("budget") is None:
            self.add_error("budget", _("请填写批准的预算(元)。"))
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", _("请说明未采纳的原因,提议人会看到。"))
        return data


class StepForm(_Form):
    """Start, pause or finish a running project; finishing takes the closing summary."""

    step = forms.ChoiceField(
        choices=[("start", _("开始实施")), ("pause", _("退回筹备")), ("finish", _("结项"))]
    )
    summary = forms.CharField(max_length=5000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("step") == "finish" and not data.get("summary", "").strip():
            self.add_error("summary", _("结项前请写结项总结。"))
        return data


class SpendingForm(_Form):
    date = _date(error_messages={"required": _("请填写日期。")})
    item = forms.CharField(max_length=100, error_messages={"required": _("请写明支出用途。")})
    amount = _count()


class MilestoneForm(_Form):
    title = forms.CharField(max_length=100, error_messages={"required": _("请填写节点名称。")})
    due = _date(error_messages={"required": _("请填写计划日期。")})


class MilestoneDoneForm(_Form):
    done_on = _date(error_messages={"required": _("请填写完成日期。")})

    def __init__(self, *args: Any, project: Project, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["milestone"] = forms.ModelChoiceField(
            queryset=Milestone.objects.filter(project=project, done_on__isnull=True),
            error_messages={"invalid_choice": _("请选择一个未完成的节点。")},
        )


class ProgressForm(_Form):
    beneficiaries = _count(minimum=0)
    photos = PhotosField(required=False)


class ServiceForm(_Form):
    title = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=Kind.choices)
    place = forms.CharField(max_length=100)
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField()
    end_time = forms.TimeField()
    first = _date()
    last = _date()
    capacity = _count(required=False)
    description = forms.CharField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["community"] = _communities(user)
        self.fields["unit"] = forms.ModelChoiceField(
            queryset=PartnerUnit.objects.visible_to(user), required=False
        )

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        return 10 if capacity is None else capacity

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("结束时间须晚于开始时间。"))
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("结束日期不能早于开始日期。"))
        return data


# Joint meetings


class MeetingForm(_Form):
    title = forms.CharField(max_length=100)
    starts_at = forms.DateTimeField()

    def clean_starts_at(self):
        moment = self.cleaned_data["starts_at"]
        for validator in DATES:
            validator(moment.date())
        return moment

    place = forms.CharField(max_length=100)
    agenda = forms.CharField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["host"] = forms.ModelChoiceField(
            queryset=Region.objects.visible_to(user).filter(
                level__in=[Level.STREET, Level.COMMUNITY]
            ),
            error_messages={"invalid_choice": _("联席会由街道或社区召集。")},
        )

    def clean_agenda(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]


class AgendaForm(_Form):
    title = forms.CharField(max_length=200, error_messages={"required": _("请填写议题。")})
    refusals = {"status": "title"}  # a meeting no longer scheduled refuses the new item


class OpinionForm(_Form):
    note = forms.CharField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["case"] = forms.ModelChoiceField(
            queryset=Case.objects.visible_to(user), to_field_name="code", required=False
        )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("case") and not data.get("note", "").strip():
            self.add_error("note", _("请选择一件诉求或填写走访记录。"))
        return data


class InviteForm(_Form):
    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["resident"] = forms.ModelChoiceField(queryset=Resident.objects.visible_to(user))


class RecordForm(_Form):
    """The minutes and who attended."""

    minutes = forms.CharField(error_messages={"required": _("请填写会议纪要。")})

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["attended"] = ModelMultipleChoiceField(
            queryset=meeting.invitees.all(), required=False
        )

    def clean_attended(self) -> set[int]:
        return {invitee.pk for invitee in self.cleaned_data["attended"]}


class ResolutionForm(_Form):
    text = forms.CharField(max_length=200, error_messages={"required": _("请填写决议事项。")})
    kind = forms.ChoiceField(choices=ActionKind.choices)
    deadline = _date(error_messages={"required": _("请填写完成时限。")})
    need_kind = forms.ChoiceField(choices=Kind.choices, required=False)
    quantity = _count(required=False)
    unit_label = forms.CharField(max_length=20, required=False)
    budget = _count(required=False, minimum=0)

    def __init__(self, *args: Any, user: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner_error = _("责任人须是该社区或街道的工作人员。")
        self.fields["owner"] = forms.ModelChoiceField(
            queryset=selectors.staff_over(meeting.host),
            error_messages={"invalid_choice": owner_error, "required": _("请选择责任人。")},
        )
        self.fields["community"] = forms.ModelChoiceField(
            queryset=Region.objects.visible_to(user), required=False
        )

    def clean_quantity(self):
        return self.cleaned_data["quantity"] or 0

    def clean_budget(self):
        return self.cleaned_data["budget"] or 0


# Evaluation against the street's standard


class EvaluationStartForm(_Form):
    period = forms.CharField(
        max_length=20, error_messages={"required": _("请填写评估轮次,如:2026年度。")}
    )


SCORE_PARTS = ("score", "evidence", "figure", "rating", "photos")


class ScoreForm(_Form):
    """The current stage's scores: for each criterion of the evaluation's standard version
    a 1–5 score, the evidence (what backs it, a figure, residents' average rating) and
    photos. Fields are named after the criterion: score_<id>, evidence_<id>…"""

    def __init__(self, *args: Any, criteria: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"score_{c.pk}"] = forms.TypedChoiceField(
                choices=[(i, str(i)) for i in range(1, 6)],
                coerce=int,
                error_messages={
                    "required": _("请为这一项打分(1–5)。"),
                    "invalid_choice": _("得分须在 1 到 5 之间。"),
                },
            )
            self.fields[f"evidence_{c.pk}"] = forms.CharField(max_length=2000, required=False)
            self.fields[f"figure_{c.pk}"] = forms.CharField(max_length=100, required=False)
            self.fields[f"rating_{c.pk}"] = forms.DecimalField(
                min_value=1,
                max_value=5,
                decimal_places=2,
                required=False,
                error_messages={
                    "min_value": _("居民评价须在 1 到 5 之间。"),
                    "max_value": _("居民评价须在 1 到 5 之间。"),
                },
            )
            self.fields[f"photos_{c.pk}"] = PhotosField(required=False)

    def rows(self) -> list[dict[str, Any]]:
        """Each criterion with its bound fields, for the template."""
        return [
            {
                "criterion": c,
                **{
                    k: self[f"{k}_{c.pk}"]
                    for k in ("score", "evidence", "figure", "rating", "photos")
                },
            }
            for c in self.criteria
        ]


class ReweightForm(_Form):
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, criteria: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"weight_{c.pk}"] = forms.IntegerField(
                min_value=1,
                max_value=100,
                error_messages={
                    "required": _("请填写权重。"),
                    "min_value": _("每项权重至少为 1。"),
                    "max_value": _("权重不能超过 100。"),
                },
            )

    def weights(self) -> list[int]:
        return [self.cleaned_data[f"weight_{c.pk}"] for c in self.criteria]
