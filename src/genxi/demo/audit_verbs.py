"""The audit verbs of the demo data (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("demo.load", _("载入演示数据"))
register("demo.load_city", _("载入城市规模演示数据"))
