"""The audit verbs of notices (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("notice.create", _("起草公告"))
register("notice.update", _("修改公告"))
register("notice.submit", _("提交公告审核"))
register("notice.approve", _("审核发布公告"))
register("notice.return", _("退回公告"))
register("notice.withdraw", _("撤回公告"))
register("notice.sms", _("公告短信群发"))
register("notice.print", _("打印张贴公告"))
register("notice.image_add", _("添加公告图片"))
register("notice.image_remove", _("删除公告图片"))
