"""Reads of the core: API tokens a user may see, the audit events an auditor may read."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken, AuditEvent, SavedFilter
from .roles import Perm
from .scope import scope_for


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """A user's own tokens; every user's for whoever manages accounts (the security admin).

    Only the prefix is ever shown: the token itself is not stored.
    """
    qs = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    if scope_for(user).has(Perm.MANAGE_ACCOUNTS):
        return qs
    return qs.filter(user=user)


def audit_events(*, user: Any) -> QuerySet[AuditEvent]:
    """The events `user` may read (newest first), with what the page shows of each: the
    acting account (its name beside its login) and the target's kind."""
    return AuditEvent.objects.visible_to(user).select_related("target_type", "actor")


def saved_filter_list(*, user: Any, page: str) -> QuerySet[SavedFilter]:
    """The filters `user` saved for the list `page` (one's own only)."""
    return SavedFilter.objects.filter(owner=user, page=page).order_by("name", "id")
