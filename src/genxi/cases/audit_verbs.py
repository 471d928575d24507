"""The audit verbs of residents' requests (core/audit_verbs.py)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

from .domain.states import TRANSITIONS
from .messages import ACTION_LABELS

register("case.create", _("登记诉求"))
# services.case_act records `case.<action>` for every transition of the loop.
for _action in TRANSITIONS:
    register(f"case.{_action}", format_lazy(_("诉求:{}"), ACTION_LABELS[_action]))
register("routing_rule.create", _("新增分派规则"))
register("routing_rule.update", _("修改分派规则"))
register("routing_rule.delete", _("删除分派规则"))
register("open311.key_create", _("创建 Open311 密钥"))
register("open311.key_revoke", _("吊销 Open311 密钥"))
register("calendar.sync", _("同步节假日安排"))
register("case.contact_reveal", _("查看反映人电话"))
register("case.split", _("拆分诉求"))
