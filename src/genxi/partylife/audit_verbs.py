"""The audit verbs of party members' life (core/audit_verbs.py). Adding a member records
orgs' `party_member.add`: one verb for one act."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("party_member.link", _("关联党员身份"))
register("training_plan.create", _("新建冬训计划"))
register("training_session.create", _("安排冬训课程"))
register("training_session.attendance", _("登记冬训考勤"))
register("training_session.books", _("关联驿站图书"))
register("practice_link.create", _("关联实践课堂成果"))
register("study_entry.create", _("登记自学"))
register("study_reflection.create", _("发表学习感悟"))
register("study_reflection.approve", _("展示学习感悟"))
register("study_reflection.hide", _("隐藏学习感悟"))
register("contact_day.create", _("安排社情民意联系日"))
register("contact_note.create", _("记录社情民意"))
