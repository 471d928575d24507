"""The co-building API's answers and payloads."""

from datetime import date, datetime

from ninja import Field, Schema

from genxi.core.api_schemas import InSchema, Int32, TimeOfDay

from . import selectors
from .models import Meeting, ServiceOffer


class NeedOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    community_code: str = Field(alias="community.code")
    community_name: str = Field(alias="community.name")
    beneficiaries: str
    beneficiary_count: int
    quantity: int
    filled: int
    unit_label: str
    pooled: bool
    start: date | None
    end: date | None
    place: str
    status: str


class ResourceOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    kind: str
    description: str
    capacity: int
    unit_label: str
    schedule: str
    radius_m: int | None
    conditions: str


class ProjectOut(Schema):
    id: int
    title: str
    goal: str
    community_code: str = Field(alias="community.code")
    budget: int
    start: date | None
    end: date | None
    status: str


class SlotOut(Schema):
    id: int
    date: date
    unit_id: int | None
    cancelled: bool


class ServiceOut(Schema):
    id: int
    title: str
    kind: str
    community_code: str = Field(alias="community.code")
    unit_id: int | None
    place: str
    weekday: int
    start_time: TimeOfDay
    end_time: TimeOfDay
    capacity: int


class ServiceDetailOut(ServiceOut):
    slots: list[SlotOut]

    @staticmethod
    def resolve_slots(obj: ServiceOffer):
        return list(selectors.service_slots(service=obj))


class ResolutionOut(Schema):
    id: int
    text: str
    kind: str
    owner: str = Field(alias="owner.username")
    deadline: date
    need_id: int | None
    project_id: int | None
    case_code: str | None
    finished: bool

    @staticmethod
    def resolve_case_code(obj) -> str | None:
        return obj.case.code if obj.case_id else None


class MeetingOut(Schema):
    id: int
    title: str
    host_code: str = Field(alias="host.code")
    starts_at: datetime
    place: str
    status: str


class OpinionOut(Schema):
    """A resident's opinion. `case_code` and `reporter` are null except for the staff over
    the meeting's host: an invited unit sees the substance without the resident."""

    id: int
    text: str
    note: str
    case_code: str | None
    reporter: str | None


class MeetingDetailOut(MeetingOut):
    minutes: str
    agenda: list[str]
    invited_units: list[int]
    opinions: list[OpinionOut]
    resolutions: list[ResolutionOut]

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[str]:
        return [a.title for a in obj.agenda.all()]

    @staticmethod
    def resolve_invited_units(obj: Meeting) -> list[int]:
        return [i.unit_id for i in obj.invitees.all() if i.unit_id]

    @staticmethod
    def resolve_opinions(obj: Meeting, context) -> list[dict]:
        return selectors.meeting_opinions(user=context["request"].user, meeting=obj)

    @staticmethod
    def resolve_resolutions(obj: Meeting):
        return list(obj.resolutions.select_related("owner", "need", "project", "case"))


class ClaimOut(Schema):
    id: int
    unit_id: int
    need_id: int | None
    project_id: int | None
    slot_id: int | None
    community_code: str = Field(alias="community.code")
    kind: str
    unit_label: str
    quantity: int
    status: str
    delivered_amount: int
    beneficiaries_served: int
    note: str
    reason: str  # why the community did not approve it, or the unit declined a proposal


class ClaimIn(InSchema):
    unit: int
    need: int | None = None
    project: int | None = None
    slot: int | None = None
    quantity: Int32 = 1
    kind: str = ""
    unit_label: str = ""
    note: str = ""


class ClaimActIn(InSchema):
    reason: str = ""
    amount: Int32 = 0
    beneficiaries: Int32 = 0
