"""The audit verbs of field work (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("household.rebuild", _("整理住户"))
register("cycle.set", _("设置走访周期"))
register("plan.generate", _("生成走访计划"))
register("plan.assign", _("调整走访计划"))
register("visit.create", _("登记走访"))
register("visit.case", _("走访发现转为诉求"))
register("care_rule.set", _("设置关爱探访频次"))
register("care_round.create", _("登记关爱探访"))
register("care.view", _("查看关爱探访记录"))
register("care.warn", _("漏访提醒"))
