"""The audit verbs of the campaigns (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("campaign.create", _("新建主题宣传活动"))
register("campaign.update", _("修改主题宣传活动"))
register("campaign.start", _("开始主题宣传活动"))
register("campaign.end", _("结束主题宣传活动"))
register("campaign.link", _("关联活动到宣传"))
register("campaign.unlink", _("取消关联活动"))
register("campaign.record", _("填报社区宣传成效"))
