"""The audit verbs of the early warnings (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("warning.raise", _("发出预警"))
register("warning.act", _("预警转主动办理"))
register("warning.dismiss", _("忽略预警"))
register("focus.propose", _("提出每月一题"))
register("focus.confirm", _("确认每月一题"))
