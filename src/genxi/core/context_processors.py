from django.conf import settings

from .navigation import menu_for
from .scope import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_for(user)
    return {
        "nav_items": menu_for(scope) if user is not None and user.is_authenticated else [],
        "user_scope": scope,
        "tile_url": settings.GENXI_TILE_URL,
        "tile_attribution": settings.GENXI_TILE_ATTRIBUTION,
    }
