"""The audit verbs of the monthly reports (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("monthly_report.make", _("生成月度报告"))
register("monthly_report.remake", _("重新生成月度报告"))
