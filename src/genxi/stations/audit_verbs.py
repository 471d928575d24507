"""The audit verbs of the service stations (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("station.create", _("新建驿站"))
register("station.update", _("修改驿站"))
register("station.exception", _("设置特殊开放时间"))
register("station.volunteer_add", _("添加值守志愿者"))
register("station.volunteer_remove", _("移除值守志愿者"))
register("station.visit", _("登记来访"))
register("reflection.create", _("提交留言"))
register("reflection.approve", _("展示留言"))
register("reflection.hide", _("隐藏留言"))
