"""The weekend community API's answers and payloads."""

from datetime import datetime

from ninja import Field, Schema

from genxi.core.api_schemas import InSchema, Int32, NoNulStr, free_text


class EventIn(InSchema):
    title: str
    community: NoNulStr = Field(description="the community's region code")
    starts_at: datetime
    ends_at: datetime
    capacity: Int32
    place: str = ""
    description: str = ""
    audience: list[str] = []
    draft: bool = False


class EventOut(Schema):
    id: int
    title: str
    community_code: str = Field(alias="community.code")
    community_name: str = Field(alias="community.name")
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    audience: list[str]
    status: str
    cancel_reason: str = Field("", description="why it was cancelled, when the staff said")
    registered: int = 0
    waitlisted: int = 0
    checked_in: int = 0

    resolve_cancel_reason = free_text("cancel_reason")


class RegistrationIn(InSchema):
    name: str
    phone: str


class RegistrationOut(Schema):
    id: int
    status: str = Field(description='"registered" or "waitlisted"')
    position: int | None = Field(description="the place on the waiting list (1 first), or null")
    code: str = Field(description="the check-in code (its QR code is the resident's ticket)")
