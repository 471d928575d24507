"""Pages of personal API tokens: the list (one's own; every user's for the security admin)
and revoking one, after a confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..pagination import paginate
from ..roles import Perm
from ..scope import scope_for


@login_required
def tokens(request):
    page, query = paginate(request, selectors.api_token_list(user=request.user))
    return render(
        request,
        "core/tokens.html",
        {
            "page": page,
            "query": query,
            "all_users": scope_for(request.user).has(Perm.MANAGE_ACCOUNTS),
        },
    )


@login_required
def token_revoke(request, pk: int):
    """GET asks for confirmation; POST revokes."""
    token = get_object_or_404(selectors.api_token_list(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            services.api_token_revoke(actor=request.user, token=token)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
        return redirect("api_tokens")
    return render(request, "core/token_revoke.html", {"token": token})
