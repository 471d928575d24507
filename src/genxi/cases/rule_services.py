"""Writes of routing rules (who gets which cases where): a street admin's, in its street."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.roles import Role
from genxi.core.scope import scope_for
from genxi.regions.models import Region

from .models import RoutingRule
from .selectors import visible_handlers


def _check_places(actor: Any, places: list[Region | None]) -> None:
    scope = scope_for(actor)
    if scope.is_global:
        return
    for place in places:
        if place is None or not scope.role_covers({Role.STREET_ADMIN}, place.path):
            raise ValidationError({"region": _("只能为本街道范围内的组织节点设置派遣规则。")})


def routing_rule_check(
    *, actor: Any, region: Region | None, handler: Any, rule: RoutingRule | None = None
) -> None:
    """Raise unless `actor` may make (or change) a rule for `region` sending to `handler`:
    the system admin anywhere (a rule without a place applies city-wide), a street admin
    in its street, to a handler working there."""
    _check_places(actor, [region] + ([rule.region] if rule is not None and rule.pk else []))
    if handler is None or not visible_handlers(actor).filter(pk=handler.pk).exists():
        raise ValidationError({"handler": _("处置人须是本范围内的工作人员。")})


def routing_rule_save(
    *,
    actor: Any,
    rule: RoutingRule | None = None,
    category_prefix: str = "",
    region: Region | None,
    handler: Any,
    priority: int = 0,
    active: bool = True,
) -> RoutingRule:
    """Create a rule (`rule=None`) or change one, checked, locked and recorded."""
    fields = {
        "category_prefix": category_prefix.strip(),
        "region": region,
        "handler": handler,
        "priority": priority,
        "active": active,
    }
    with transaction.atomic():
        if rule is not None and rule.pk:
            rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
            routing_rule_check(actor=actor, region=region, handler=handler, rule=rule)
            before = audit.snapshot(rule)
            for key, value in fields.items():
                setattr(rule, key, value)
            rule.save()
            b, a = audit.diff(before, audit.snapshot(rule))
            audit.record(actor=actor, verb="routing_rule.update", target=rule, before=b, after=a)
        else:
            routing_rule_check(actor=actor, region=region, handler=handler)
            rule = RoutingRule.objects.create(**fields)
            audit.record(
                actor=actor, verb="routing_rule.create", target=rule, after=audit.snapshot(rule)
            )
    return rule


def routing_rule_delete(*, actor: Any, rule: RoutingRule) -> None:
    with transaction.atomic():
        rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
        _check_places(actor, [rule.region])
        audit.record(
            actor=actor,
            verb="routing_rule.delete",
            target=rule,
            target_label=str(rule),
            before=audit.snapshot(rule),
        )
        rule.delete()
