from django.utils.functional import SimpleLazyObject

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
    }
