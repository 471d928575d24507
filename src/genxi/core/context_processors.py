from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import notifications
from .navigation import menu_for
from .scope import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_for(user)
    signed_in = user is not None and user.is_authenticated
    return {
        "nav_items": menu_for(scope) if signed_in else [],
        # Counted only when a page shows the bell (one indexed COUNT).
        "unread_count": SimpleLazyObject(lambda: notifications.unread_count(user))
        if signed_in
        else 0,
        "user_scope": scope,
        "outbox_text": outbox_text() if signed_in else {},
    }


def outbox_text() -> dict[str, str]:
    """The words of the phone's outbox (static/genxi/outbox.js), in the page's language."""
    return {
        "waiting": _("待发送 %(n)s 条"),
        "waitingLabel": _("等待联网发送"),
        "refusedLabel": _("未被接受"),
        "refused": _("服务器没有接受这条记录。"),
        "refusedCount": _("%(n)s 条未被接受"),
        "refusedHint": _("点“查看”读原因;情况已变,请在页面上重新办理后放弃这条记录。"),
        "queued": _("没有网络:记录已保存在手机上,联网后自动发送。"),
        "login": _("登录已过期:请重新登录,待发送的记录随后自动发送。"),
        "restored": _("已恢复上次未提交的内容。"),
        "discard": _("放弃"),
    }
