"""Pages of personal API tokens: the list (one's own; every user's for the security admin)
and revoking one, after a confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import ConfirmForm, submit
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
    """GET asks for confirmation; POST revokes. A refusal (already revoked, someone else's)
    is the confirmation page again with the reason, 400 or 403."""
    token = get_object_or_404(selectors.api_token_list(user=request.user), pk=pk)
    if request.method != "POST":
        return render(request, "core/token_revoke.html", {"token": token, "form": ConfirmForm()})
    form = ConfirmForm(request.POST)
    if submit(form, lambda d: services.api_token_revoke(actor=request.user, token=token)):
        messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
        return redirect("api_tokens")
    return render(
        request, "core/token_revoke.html", {"token": token, "form": form}, status=form.status
    )
