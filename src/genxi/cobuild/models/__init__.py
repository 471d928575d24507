"""Co-building models: the lists and claims, projects and services, joint meetings."""

from .lists import (
    Claim,
    ClaimStatus,
    DeliveryPhoto,
    Kind,
    MatchRejection,
    Need,
    NeedStatus,
    Resource,
)
from .meetings import (
    CASE_DONE_STATES,
    ActionKind,
    AgendaItem,
    Invitee,
    Meeting,
    MeetingStatus,
    Opinion,
    Resolution,
)
from .projects import Project, ProjectStatus, ServiceOffer, ServiceSlot, Weekday

__all__ = [
    "CASE_DONE_STATES",
    "ActionKind",
    "AgendaItem",
    "Claim",
    "ClaimStatus",
    "DeliveryPhoto",
    "Invitee",
    "Kind",
    "MatchRejection",
    "Meeting",
    "MeetingStatus",
    "Need",
    "NeedStatus",
    "Opinion",
    "Project",
    "ProjectStatus",
    "Resolution",
    "Resource",
    "ServiceOffer",
    "ServiceSlot",
    "Weekday",
]
