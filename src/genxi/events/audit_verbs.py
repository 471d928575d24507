"""The audit verbs of the weekend community (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("plan.save", _("保存月度计划"))
register("plan.publish", _("发布月度计划"))
register("event.create", _("新建活动"))
register("event.update", _("修改活动"))
register("event.publish", _("发布活动"))
register("event.cancel", _("取消活动"))
register("event.summarise", _("填写活动总结"))
register("event.material", _("登记发放物资"))
register("event.photo", _("上传活动照片"))
register("registration.create", _("活动报名"))
register("registration.cancel", _("取消报名"))
register("registration.promote", _("候补转正"))
register("registration.check_in", _("活动签到"))
register("roster.join", _("加入志愿者名单"))
register("roster.leave", _("退出志愿者名单"))
