"""The audit verbs of accounts, residents and pioneers (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("user.create", _("创建账号"))
register("user.set_password", _("重设密码"))
register("membership.grant", _("授予角色"))
register("membership.revoke", _("撤销角色"))
register("resident.create", _("登记居民"))
register("resident.update", _("修改居民信息"))
register("resident.duplicate", _("发现重复居民"))
register("resident.sms_consent", _("登记短信同意"))
register("resident.sms_withdraw", _("撤回短信同意"))
register("pioneer.create", _("登记先锋"))
register("pioneer.update", _("修改先锋信息"))
register("import.create", _("上传导入文件"))
register("import.confirm", _("确认导入更新"))
register("import.discard", _("放弃导入更新"))
# services.import_job_run records `<model>.import` for the rows an import created.
register("resident.import", _("导入居民"))
register("pioneer.import", _("导入先锋"))
register("partnerunit.import", _("导入共建单位"))
