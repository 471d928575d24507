"""The audit verbs of co-building (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("need.create", _("发布需求"))
register("resource.create", _("登记资源"))
register("claim.create", _("提交认领"))
register("claim.approve", _("通过认领"))
register("claim.reject", _("驳回认领"))
register("claim.deliver", _("登记交付"))
register("match.accept", _("向单位提议对接"))
register("match.reject", _("否决匹配建议"))
register("project.create", _("创建项目"))
register("project.status", _("变更项目状态"))
register("service.create", _("新增服务"))
register("slot.cancel", _("取消服务场次"))
register("meeting.create", _("召集联席会"))
register("meeting.invite", _("邀请参会"))
register("meeting.agenda", _("添加议题"))
register("meeting.cancel", _("取消联席会"))
register("meeting.opinion", _("提交意见"))
register("meeting.record", _("记录会议纪要"))
register("meeting.resolution", _("形成决议"))
register("match.confirm", _("确认对接"))
register("match.decline", _("谢绝对接"))
