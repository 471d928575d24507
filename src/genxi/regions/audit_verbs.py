"""The audit verbs of the region tree (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("region.create", _("新增区划"))
register("region.update", _("修改区划"))
