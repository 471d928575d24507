"""The campaigns' pages: the list (topic, status, period, place), a new campaign, its page
(the roll-up for the street and by community, the linked events, the steps), its edit
form, a community's outputs form and the Excel export of the communities' figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import submit
from genxi.core.pagination import paginate
from genxi.core.replica import replica_reads
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm
from genxi.core.spreadsheets import write_xlsx, xlsx_response
from genxi.events.models import Event
from genxi.regions.models import Level, Region
from genxi.regions.selectors import place_choices

from . import selectors, services
from .forms import CampaignForm, ConfirmForm, EndForm, FilterForm, LinkForm, RecordForm
from .models import REACHED, Campaign, Channel, Part, Topic


@login_required
def campaign_list(request):
    require_perm(request.user, Perm.VIEW_DATA)
    form = FilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    place = None
    if code := data.get("place"):
        place = get_visible_or_404(
            Region.objects.filter(level__in=[Level.STREET, Level.COMMUNITY]),
            request.user,
            code=code,
        )
    qs = selectors.campaign_list(
        user=request.user,
        topic=data.get("topic", ""),
        status=data.get("status", ""),
        since=data.get("since"),
        until=data.get("until"),
        place=place,
    )
    page, query = paginate(request, qs)
    return render(
        request,
        "campaigns/list.html",
        {
            "page": page,
            "query": query,
            "form": form,
            "places": place_choices(request.user),
            "place": place.code if place else "",
            "may_create": selectors.managed_streets(request.user).exists(),
        },
        status=200 if form.is_valid() else 400,
    )


def _campaign_form(request, data=None, **kwargs) -> CampaignForm:
    streets = selectors.managed_streets(request.user)
    return CampaignForm(
        data,
        streets=streets,
        communities=selectors.street_communities(streets),
        **kwargs,
    )


def _fields(d) -> dict:
    return {
        "topic": d["topic"],
        "title": d["title"],
        "starts_on": d["starts_on"],
        "ends_on": d["ends_on"],
        "channels": d["channels"],
        "communities": list(d["communities"]),
        "description": d["description"],
    }


@login_required
def campaign_new(request):
    streets = selectors.managed_streets(request.user)
    if not streets.exists():
        raise Http404
    if request.method != "POST":
        first = streets.first()
        form = _campaign_form(
            request,
            initial={
                "street": first,
                "channels": ["onsite"],
                "communities": list(selectors.street_communities(streets.filter(pk=first.pk))),
            },
        )
        return render(request, "campaigns/form.html", {"form": form})
    form = _campaign_form(request, request.POST)
    campaign = submit(
        form,
        lambda d: services.campaign_create(actor=request.user, street=d["street"], **_fields(d)),
    )
    if campaign is None:
        return render(request, "campaigns/form.html", {"form": form}, status=form.status)
    messages.success(request, _("主题宣传活动已建立。"))
    return redirect("campaigns:campaign", pk=campaign.pk)


@login_required
def campaign_edit(request, pk: int):
    campaign = selectors.campaign_detail(user=request.user, pk=pk)
    if not services.may_manage(request.user, campaign.street):
        raise PermissionDenied
    if request.method != "POST":
        form = _campaign_form(
            request,
            initial={
                "street": campaign.street,
                "topic": campaign.topic,
                "title": campaign.title,
                "starts_on": campaign.starts_on,
                "ends_on": campaign.ends_on,
                "channels": campaign.channels,
                "communities": [p.community for p in campaign.parts.select_related("community")],
                "description": campaign.description,
            },
        )
        return render(request, "campaigns/form.html", {"form": form, "c": campaign})
    form = _campaign_form(request, request.POST)
    done = submit(
        form,
        lambda d: services.campaign_update(actor=request.user, campaign=campaign, **_fields(d)),
    )
    if done is None:
        return render(
            request, "campaigns/form.html", {"form": form, "c": campaign}, status=form.status
        )
    messages.success(request, _("主题宣传活动已保存。"))
    return redirect("campaigns:campaign", pk=campaign.pk)


def campaign_page(request, campaign: Campaign, *, forms=None, status: int = 200):
    forms = forms or {}
    manages = services.may_manage(request.user, campaign.street)
    parts = selectors.parts(user=request.user, campaign=campaign)
    used = [(c, label) for c, label in Channel.choices if c in campaign.channels]
    for p in parts:
        p.may_record = services.may_record(request.user, p.community)  # type: ignore[attr-defined]
        p.by_channel = [  # type: ignore[attr-defined]
            (label, getattr(p, REACHED[c])) for c, label in used
        ]
    totals = selectors.campaign_totals(user=request.user, campaign=campaign)
    linkable = selectors.linkable_events(user=request.user, campaign=campaign) if manages else None
    return render(
        request,
        "campaigns/detail.html",
        {
            "c": campaign,
            "manages": manages,
            "parts": parts,
            "totals": totals,
            "channels": [(label, totals.reached.get(c, 0)) for c, label in used],
            "events": selectors.linked_events(user=request.user, campaign=campaign),
            "end_form": forms.get("end") or EndForm(),
            "start_form": forms.get("start") or ConfirmForm(),
            "link_form": forms.get("link") or (LinkForm(events=linkable) if manages else None),
            "unlink_form": forms.get("unlink"),
        },
        status=status,
    )


@login_required
def campaign_detail(request, pk: int):
    return campaign_page(request, selectors.campaign_detail(user=request.user, pk=pk))


@login_required
@require_POST
def campaign_act(request, pk: int, action: str):
    """A step on the campaign's page: start, end (with the summary), link or unlink an
    event."""
    campaign = selectors.campaign_detail(user=request.user, pk=pk)
    user = request.user
    form: Form
    if action == "start":
        form = ConfirmForm(request.POST)
        done = submit(form, lambda d: services.campaign_start(actor=user, campaign=campaign))
        ok = _("宣传活动已开始,各社区可以填报成效。")
    elif action == "end":
        form = EndForm(request.POST)
        done = submit(
            form,
            lambda d: services.campaign_end(actor=user, campaign=campaign, summary=d["summary"]),
        )
        ok = _("宣传活动已结束。")
    elif action in ("link", "unlink"):
        events = (
            selectors.linkable_events(user=user, campaign=campaign)
            if action == "link"
            else campaign.events.filter(pk__in=Event.objects.visible_to(user).values("pk"))
        )
        form = LinkForm(request.POST, events=events)
        call = services.event_link if action == "link" else services.event_unlink
        done = submit(form, lambda d: call(actor=user, campaign=campaign, event=d["event"]))
        ok = _("已关联活动。") if action == "link" else _("已取消关联。")
    else:
        raise Http404
    if done is None:
        if form.status == 403 or not services.may_manage(user, campaign.street):
            raise PermissionDenied
        return campaign_page(request, campaign, forms={action: form}, status=form.status)
    messages.success(request, ok)
    return redirect("campaigns:campaign", pk=campaign.pk)


@login_required
def part_record(request, pk: int, code: str):
    """A community's outputs in the campaign, recorded by its staff."""
    campaign = selectors.campaign_detail(user=request.user, pk=pk)
    part = get_visible_or_404(
        Part.objects.select_related("community", "campaign"),
        request.user,
        campaign=campaign,
        community__code=code,
    )
    if not services.may_record(request.user, part.community):
        raise PermissionDenied
    if request.method != "POST":
        initial = {"consultations": part.consultations, "notes": part.notes}
        initial |= {col: getattr(part, col) for col in REACHED.values()}
        for i, h in enumerate(part.handouts.all()[:5]):
            initial |= {f"h{i}_kind": h.kind, f"h{i}_unit": h.unit, f"h{i}_count": h.quantity}
        form = RecordForm(initial=initial, channels=campaign.channels)
        return _record_page(request, campaign, part, form)
    form = RecordForm(request.POST, channels=campaign.channels)
    done = submit(
        form,
        lambda d: services.part_record(
            actor=request.user,
            part=part,
            consultations=d["consultations"],
            reached=form.reached(),
            handouts=form.handouts(),
            notes=d["notes"],
        ),
    )
    if done is None:
        return _record_page(request, campaign, part, form, status=form.status)
    messages.success(
        request, _("%(community)s的宣传成效已保存。") % {"community": part.community.name}
    )
    return redirect("campaigns:campaign", pk=campaign.pk)


def _record_page(request, campaign, part, form, status=200):
    return render(
        request,
        "campaigns/record.html",
        {"c": campaign, "part": part, "form": form, "kinds": KINDS},
        status=status,
    )


KINDS = ("宣传单", "宣传手册", "宣传海报", "环保袋", "围巾", "手套", "纸巾", "扇子")


@login_required
@replica_reads  # an export may lag (decisions/0033)
def campaign_export(request, pk: int):
    """The communities' figures of the campaign (those the viewer may see) as .xlsx."""
    campaign = selectors.campaign_detail(user=request.user, pk=pk)
    header, rows = selectors.export_rows(user=request.user, campaign=campaign)
    content = write_xlsx(str(campaign.title)[:31] or str(Topic(campaign.topic).label), header, rows)
    return xlsx_response(f"{campaign.title}.xlsx", content)
