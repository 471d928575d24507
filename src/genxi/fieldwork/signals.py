"""Households follow the register: a resident registered, moved or re-addressed joins the
household of their address (services.household_sync), in the register's transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from genxi.people.models import Resident

from . import services


@receiver(post_save, sender=Resident, dispatch_uid="fieldwork.household_sync")
def resident_saved(sender: Any, instance: Resident, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # fixtures
        return
    fields = kwargs.get("update_fields")
    if fields is not None and not {"address", "grid"} & set(fields):
        return
    services.household_sync(resident=instance)
