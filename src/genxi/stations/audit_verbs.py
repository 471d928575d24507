"""The audit verbs of the service stations (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("station.create", _("新建驿站"))
register("station.update", _("修改驿站"))
register("station.photo_add", _("上传驿站照片"))
register("station.photo_remove", _("删除驿站照片"))
register("station.exception", _("设置特殊开放时间"))
register("station.volunteer_add", _("添加值守志愿者"))
register("station.volunteer_remove", _("移除值守志愿者"))
register("station.visit", _("登记来访"))
register("reflection.create", _("提交留言"))
register("reflection.approve", _("展示留言"))
register("reflection.hide", _("隐藏留言"))
register("duty.pattern", _("设置值班班次"))
register("duty.exception", _("调整某日值班"))
register("duty.take", _("报名值班"))
register("duty.release", _("退出值班"))
register("duty.swap_offer", _("申请换班"))
register("duty.swap_accept", _("同意换班"))
register("duty.swap_decline", _("拒绝换班"))
register("medicine.add", _("药品入库"))
register("medicine.issue", _("药品领用"))
register("medicine.discard", _("药品报废"))
register("medicine.settings", _("设置药品临期提醒"))
register("book.add", _("登记图书"))
register("book.copy_add", _("增加藏书"))
register("book.lend", _("借出图书"))
register("book.return", _("归还图书"))
