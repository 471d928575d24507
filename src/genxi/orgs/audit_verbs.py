"""The audit verbs of organisations (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("unit.create", _("新增共建单位"))
register("pairing.create", _("建立结对"))
register("party_org.create", _("新增党组织"))
register("party_member.add", _("登记党员"))
