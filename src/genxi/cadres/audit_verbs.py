"""The audit verbs of cadre development (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("cadre.create", _("新增干部"))
register("cadre.update", _("修改干部信息"))
register("cadre.post", _("干部职务变动"))
register("cadre.view", _("查看干部档案"))
register("programme.create", _("新建培训项目"))
register("course.create", _("新增培训课程"))
register("attendance.set", _("登记培训出勤"))
register("certificate.create", _("登记培训证书"))
register("posting.create", _("登记一线挂职"))
register("commendation.create", _("登记表彰"))
register("scheme.update", _("修改考核方案"))
register("round.create", _("计划考核"))
register("round.open", _("开始考核评分"))
register("round.close", _("结束考核并发布排名"))
register("score.enter", _("录入考核分数"))
