"""The audit verbs of inspections and rectification (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("inspection_template.revise", _("修订检查表"))
register("inspection_target.create", _("新增检查对象"))
register("inspection_target.update", _("修改检查对象"))
register("inspection_round.create", _("制定检查计划"))
register("inspection_round.close", _("结束检查轮次"))
register("inspection.answer", _("填写检查项"))
register("inspection.finish", _("检查签字确认"))
register("inspection_notice.issue", _("下发整改通知单"))
register("inspection_notice.close", _("整改通知单复查合格"))
register("inspection_notice.escalate", _("整改通知单逾期转诉求"))
