"""The public page (no login): a resident proposes a micro-project (微项目) for their
community. Rate-limited per client address like the public report form; the phone is
stored encrypted and never shown back."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from genxi.core import ratelimit
from genxi.core.forms import submit

from .. import services
from ..forms import PublicProposalForm

PROPOSAL_LIMIT = 5  # proposals per client address per window
PROPOSAL_WINDOW = 10 * 60
PROPOSED = "public_proposed"  # the session remembers the title just proposed


def _page(request, form, status=200):
    return render(request, "cobuild/public/propose.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def propose(request):
    if request.method != "POST":
        return _page(request, PublicProposalForm())
    form = PublicProposalForm(request.POST)
    if form.is_valid() and form.cleaned_data["website"]:
        return redirect("cobuild:propose")  # a bot filled the hidden field
    if form.is_valid() and not ratelimit.hit(
        "public-proposal", ratelimit.client_ip(request) or "-", PROPOSAL_LIMIT, PROPOSAL_WINDOW
    ):
        form.add_error(None, _("提交太频繁,请 10 分钟后再试,或拨打社区电话。"))
        return _page(request, form, status=429)
    project = submit(
        form,
        lambda d: services.micro_propose(
            actor=None,
            community=d["community"],
            title=d["title"],
            goal=d["goal"],
            beneficiaries=d["beneficiaries"],
            proposer_name=d["proposer_name"],
            proposer_phone=d["proposer_phone"],
        ),
    )
    if project is None:
        return _page(request, form, status=form.status)
    request.session[PROPOSED] = project.title
    return redirect("cobuild:proposed")


def proposed(request):
    return render(
        request, "cobuild/public/proposed.html", {"title": request.session.get(PROPOSED, "")}
    )
