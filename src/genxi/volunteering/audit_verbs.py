"""The audit verbs of volunteer hours and points (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("hours.collect", _("汇总志愿服务时长"))
register("hours.confirm", _("确认志愿服务时长"))
register("hours.reject", _("退回志愿服务时长"))
register("hours.add", _("登记志愿服务时长"))
register("rules.save", _("修订积分规则"))
