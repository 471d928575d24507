"""Words for the loop's refusals and actions, in the user's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .domain.states import TransitionError

ACTION_LABELS = {
    "submit": gettext_lazy("上报"),
    "accept": gettext_lazy("受理"),
    "reject": gettext_lazy("不予受理"),
    "merge": gettext_lazy("合并"),
    "dispatch": gettext_lazy("派遣"),
    "transfer": gettext_lazy("转派"),
    "take": gettext_lazy("接单"),
    "return": gettext_lazy("退回"),
    "request_extension": gettext_lazy("申请延期"),
    "approve_extension": gettext_lazy("批准延期"),
    "resolve": gettext_lazy("办结"),
    "verify": gettext_lazy("核查通过"),
    "send_back": gettext_lazy("核查退回"),
    "rate": gettext_lazy("满意度评价"),
    "close": gettext_lazy("结案"),
    "reopen": gettext_lazy("重新派遣"),
    "flag": gettext_lazy("督办"),
    "escalate": gettext_lazy("上报街道"),
    "send_down": gettext_lazy("退回社区"),
    "assist_done": gettext_lazy("协办完成"),
}


def transition_message(exc: TransitionError) -> str:
    p = exc.params
    label = str(ACTION_LABELS.get(p.get("action", ""), p.get("action", "")))
    messages = {
        "unknown_action": _("未知操作。"),
        "wrong_state": _("当前状态下不能“%(action)s”。") % {"action": label},
        "not_allowed": _("您不能对这件诉求执行“%(action)s”。") % {"action": label},
        "missing_fields": _("请填写:%(fields)s。") % {"fields": p.get("fields", "")},
        "bad_rating": _("评价应为满意、基本满意或不满意。"),
        "no_rating": _("结案前须先完成满意度回访。"),
        "not_unsatisfied": _("只有“不满意”的诉求可以重新派遣。"),
        "reopen_window": _("结案超过 30 天,不能重新派遣。"),
        "no_pending_extension": _("没有待批准的延期申请。"),
        "extension_pending": _("已有一项延期申请等待批准。"),
        "already_street": _("这件诉求已由街道办理,不能再上报。"),
        "not_street": _("只有上报到街道的诉求可以退回社区。"),
    }
    return messages.get(exc.code, exc.code)
