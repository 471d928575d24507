"""API shapes of the request loop."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from genxi.core.api_schemas import (
    ErrorOut,  # noqa: F401  (the API's error answer)
    InSchema,
    Latitude,
    Longitude,
    NoNulStr,
    NumbersNotBools,
    attribute,
    free_text,
    masked,
)

from .models import Case, state_label


class EventOut(Schema):
    seq: int
    action: str
    from_state: str
    to_state: str
    actor: str = Field(alias="actor_label")
    note: str
    data: dict
    created_at: datetime

    resolve_note = free_text("note")


class AssignmentOut(Schema):
    role: str
    org: str = Field(alias="org_name")
    person: str
    assigned_at: datetime
    ended_at: datetime | None
    outcome: str
    note: str

    @staticmethod
    def resolve_person(obj) -> str:
        return str(obj.person)

    resolve_note = free_text("note")


class CaseOut(Schema):
    code: str
    state: str
    state_label: str
    level: str
    title: str
    text: str
    channel: str
    category: str | None
    category_name: str | None
    urgency: str
    lat: float | None
    lon: float | None
    address: str
    region_code: str
    region_name: str
    handler: str | None
    flagged: bool
    overdue: bool
    respond_by: datetime | None
    resolve_by: datetime | None
    returns: int
    extensions: int
    reworks: int
    rating: str
    reporter_contact: str
    created_at: datetime

    resolve_title = free_text("title")
    resolve_text = free_text("text")

    @staticmethod
    def resolve_state_label(obj: Case) -> str:
        return state_label(obj.state)

    @staticmethod
    def resolve_category(obj: Case) -> str | None:
        return obj.category.code if obj.category is not None else None

    @staticmethod
    def resolve_category_name(obj: Case) -> str | None:
        return obj.category.name if obj.category is not None else None

    resolve_address = masked("address")
    resolve_reporter_contact = masked("reporter_contact")
    resolve_region_code = attribute("region.code")
    resolve_region_name = attribute("region.full_name")  # "彩香一村社区 · 第2网格"

    @staticmethod
    def resolve_handler(obj: Case) -> str | None:
        return obj.handler.username if obj.handler is not None else None

    @staticmethod
    def resolve_overdue(obj: Case) -> bool:
        return obj.is_overdue


class CaseDetailOut(CaseOut):
    events: list[EventOut]
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_assignments(obj: Case):
        known = getattr(obj, "known_assignments", None)  # a case just made has none
        return known if known is not None else list(obj.assignments.select_related("person"))

    @staticmethod
    def resolve_events(obj: Case):
        history = getattr(obj, "history", None)
        return history if history is not None else list(obj.events.all())


class CaseCreatedOut(CaseDetailOut):
    reporter_secret: str = Field(
        description="the reporter's secret for rating the outcome; given only in this answer"
    )


class CaseIn(NumbersNotBools):
    text: str
    channel: str = "api"
    category: NoNulStr | None = None
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    reporter_name: str = ""
    reporter_contact: str = ""
    urgency: str = "normal"
    tags: list[str] = []


class ActionIn(InSchema):
    reason: str = ""
    note: str = ""
    handler: str | None = Field(None, description="username of the handler (主办 at the street)")
    assistants: list[str] = Field(
        [], description="usernames of the assisting handlers (协办), a street's dispatch only"
    )
    master: str | None = Field(None, description="code of the case to merge into")
    category: str | None = Field(None, description="category code")
    days: int | None = None
    result: str = ""
    rating: str = ""
    comment: str = ""


class SuggestIn(NumbersNotBools):
    text: str
    lat: Latitude | None = None
    lon: Longitude | None = None
    address: str = ""


class Candidate(Schema):
    code: str
    confidence: float


class SuggestPart(Schema):
    text: str
    candidates: list[Candidate]


class SuggestOut(Schema):
    category: str | None
    candidates: list[Candidate]
    model_version: int | None  # the model that made the suggestion (none before training)
    auto_route: bool  # the first candidate is confident enough to route without a dispatcher
    grid: str | None
    handler: str | None
    # Two problems in one request (cases.domain.split): the two parts, each with its own
    # candidates; null when the request reads as one.
    parts: list[SuggestPart] | None = None
