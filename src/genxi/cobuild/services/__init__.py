"""Writes of co-building: the lists and claims, projects and services, joint meetings."""

from .lists import (
    claim_approve,
    claim_create,
    claim_deliver,
    claim_reject,
    match_accept,
    match_reject,
    need_create,
    proposal_confirm,
    proposal_decline,
    resource_create,
)
from .meetings import (
    agenda_add,
    meeting_cancel,
    meeting_create,
    meeting_invite,
    meeting_record,
    opinion_add,
    resolution_add,
)
from .projects import project_create, project_set_status, service_create, slot_cancel

__all__ = [
    "agenda_add",
    "claim_approve",
    "claim_create",
    "claim_deliver",
    "claim_reject",
    "match_accept",
    "match_reject",
    "meeting_cancel",
    "meeting_create",
    "meeting_invite",
    "meeting_record",
    "need_create",
    "opinion_add",
    "proposal_confirm",
    "proposal_decline",
    "project_create",
    "project_set_status",
    "resolution_add",
    "resource_create",
    "service_create",
    "slot_cancel",
]
