"""The staff's pages of notices: the list with the roll-up of their reach, a new notice
(per community), a notice's page (its steps, its reach per channel, printing the poster),
its edit form; and the public pages: a notice (reached through the poster's QR code) and
a community's board for electronic screens (an auto-refreshing page and its JSON), and the
pictures of a published notice (staff see a draft's through core/media.py's scoped view)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from genxi.core import pdf
from genxi.core.forms import ConfirmForm, submit
from genxi.core.media import photo_response, photo_url
from genxi.core.pagination import paginate
from genxi.core.scope import get_visible_or_404, require_perm
from genxi.regions.models import Level, Region

from . import selectors, services
from .domain.states import State, available
from .forms import ActForm, ImageForm, NoticeForm, PrintForm
from .models import Announcement, AnnouncementImage, AudienceKind, NoticeStatus
from .poster import poster_pdf

STEP_LABELS = {
    "submit": gettext_lazy("提交审核"),
    "approve": gettext_lazy("审核通过并发布"),
    "return": gettext_lazy("退回修改"),
    "withdraw": gettext_lazy("撤回"),
}


@login_required
@require_GET
def notice_list(request):
    require_perm(request.user, "view_data")
    status = request.GET.get("status", "")
    notices = selectors.notice_list(user=request.user, status=status)
    page, query = paginate(request, notices)
    return render(
        request,
        "notices/list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": NoticeStatus.choices,
            "totals": selectors.rollup(notices),
            "communities": selectors.staff_communities(request.user)[:50],
        },
    )


def _fields(data):
    return {
        "title": data["title"],
        "text": data["text"],
        "valid_from": data["valid_from"],
        "valid_until": data["valid_until"],
        "audience": data["audience"],
        "grids": list(data["grids"]),
        "buildings": list(data["buildings"]),
        "tag": data["tag"],
        "by_sms": data["by_sms"],
        "sms_text": data["sms_text"],
    }


@login_required
def notice_new(request, code: str):
    community = get_object_or_404(
        selectors.staff_communities(request.user), code=code, level=Level.COMMUNITY
    )
    today = timezone.localdate()
    form = NoticeForm(
        request.POST or None,
        community=community,
        initial={"valid_from": today, "valid_until": today, "audience": AudienceKind.COMMUNITY},
    )
    status = 200
    if request.method == "POST":
        notice = submit(
            form,
            lambda d: services.notice_create(actor=request.user, community=community, **_fields(d)),
        )
        if notice is not None:
            messages.success(request, _("公告已保存为草稿。"))
            return redirect(notice)
        status = form.status
    return render(
        request, "notices/form.html", {"form": form, "community": community}, status=status
    )


def _notice(request, pk: int) -> Announcement:
    return get_visible_or_404(
        Announcement.objects.select_related("community", "author", "approved_by"),
        request.user,
        pk=pk,
    )


def notice_page(
    request,
    notice: Announcement,
    *,
    act_form=None,
    print_form=None,
    image_form=None,
    image_refusal=None,
    status=200,
):
    mine = notice.author_id == request.user.pk
    staff = services.is_staff_over(request.user, notice.community)
    steps = available(State(notice.status), by_author=mine) if staff else []
    editable = staff and notice.status in (NoticeStatus.DRAFT, NoticeStatus.RETURNED)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "steps": [(s, STEP_LABELS[s]) for s in steps],
            "staff": staff,
            "reach": selectors.reach(notice),
            "act_form": act_form or ActForm(),
            "images": [(p, photo_url(p, "thumb"), photo_url(p)) for p in notice.images.all()],
            "image_form": image_form or ImageForm(),
            "image_refusal": image_refusal,
            "images_editable": editable,
            "images_max": services.IMAGES_MAX,
            "print_form": print_form or PrintForm(community=notice.community),
            "public_url": request.build_absolute_uri(notice.public_url()),
            "grids": notice.grids.all(),
            "buildings": notice.buildings.select_related("estate"),
            "prints": notice.prints.select_related("printed_by").prefetch_related(
                "buildings__estate"
            )[:20],
        },
        status=status,
    )


@login_required
@require_GET
def notice_detail(request, pk: int):
    return notice_page(request, _notice(request, pk))


@login_required
def notice_edit(request, pk: int):
    notice = _notice(request, pk)
    if not services.is_staff_over(request.user, notice.community):
        raise PermissionDenied
    initial = {
        "title": notice.title,
        "text": notice.text,
        "valid_from": notice.valid_from,
        "valid_until": notice.valid_until,
        "audience": notice.audience,
        "grids": list(notice.grids.all()),
        "buildings": list(notice.buildings.all()),
        "tag": notice.tag,
        "by_sms": notice.by_sms,
        "sms_text": notice.sms_text,
    }
    form = NoticeForm(request.POST or None, community=notice.community, initial=initial)
    status = 200
    if request.method == "POST":
        saved = submit(
            form, lambda d: services.notice_update(actor=request.user, notice=notice, **_fields(d))
        )
        if saved is not None:
            messages.success(request, _("公告已保存。"))
            return redirect(saved)
        status = form.status
    return render(
        request,
        "notices/form.html",
        {"form": form, "community": notice.community, "notice": notice},
        status=status,
    )


@login_required
@require_POST
def notice_act(request, pk: int):
    notice = _notice(request, pk)
    form = ActForm(request.POST)
    done = submit(
        form,
        lambda d: services.notice_act(
            actor=request.user, notice=notice, action=d["action"], reason=d["reason"]
        ),
    )
    if done is None:
        return notice_page(request, notice, act_form=form, status=form.status)
    messages.success(
        request, _("已完成:%(step)s") % {"step": STEP_LABELS[form.cleaned_data["action"]]}
    )
    return redirect(done)


@login_required
@require_POST
def notice_poster(request, pk: int):
    """Print the poster for the chosen buildings: records them, answers the PDF."""
    notice = _notice(request, pk)
    form = PrintForm(request.POST, community=notice.community)
    printed = submit(
        form,
        lambda d: services.poster_print(
            actor=request.user, notice=notice, buildings=d["buildings"]
        ),
    )
    if printed is None:
        return notice_page(request, notice, print_form=form, status=form.status)
    url = request.build_absolute_uri(selectors.qr_path(notice))
    names = [f"{b.estate.name}{b.number}幢" for b in printed.buildings.select_related("estate")]
    return pdf.pdf_response(poster_pdf(notice, url, names), f"公告-{notice.title}.pdf")


@login_required
@require_POST
def notice_image_add(request, pk: int):
    notice = _notice(request, pk)
    form = ImageForm(request.POST, request.FILES)
    added = submit(
        form,
        lambda d: services.notice_image_add(
            actor=request.user, notice=notice, image=d["image"], caption=d["caption"]
        ),
    )
    if added is None:
        return notice_page(request, notice, image_form=form, status=form.status)
    messages.success(request, _("图片已添加。"))
    return redirect(f"{notice.get_absolute_url()}#images")


@login_required
@require_POST
def notice_image_remove(request, pk: int, image: int):
    notice = _notice(request, pk)
    picture = get_object_or_404(AnnouncementImage, pk=image, notice=notice)
    form = ConfirmForm(request.POST)  # nothing to enter: it carries the service's refusal
    done = submit(form, lambda d: services.notice_image_remove(actor=request.user, picture=picture))
    if done is None:
        return notice_page(request, notice, image_refusal=form, status=form.status)
    messages.success(request, _("图片已删除。"))
    return redirect(f"{notice.get_absolute_url()}#images")


# Public pages: no login ---------------------------------------------------------------------


@require_GET
def public_notice(request, code: str):
    """A published notice (the poster's QR code leads here: `?qr=` counts the scan)."""
    notice = get_object_or_404(
        Announcement.objects.select_related("community"), code=code, status=NoticeStatus.PUBLISHED
    )
    services.notice_viewed(notice=notice, via_qr=selectors.is_qr(notice, request.GET.get("qr", "")))
    return render(
        request, "notices/public/notice.html", {"notice": notice, "images": notice.images.all()}
    )


@require_GET
def public_image(request, code: str, pk: int, variant: str):
    """A picture of a published notice, for anyone who may read the notice (no login)."""
    picture = get_object_or_404(
        AnnouncementImage.objects.select_related("notice"),
        pk=pk,
        notice__code=code,
        notice__status=NoticeStatus.PUBLISHED,
    )
    return photo_response(picture, variant, public=True)


def _community(code: str) -> Region:
    return get_object_or_404(Region, code=code, level=Level.COMMUNITY)


@require_GET
def screen(request, code: str):
    """The community's board for an electronic screen: its valid notices, reloading itself."""
    community = _community(code)
    return render(
        request,
        "notices/public/screen.html",
        {
            "community": community,
            "notices": selectors.current(community).prefetch_related("images")[:20],
        },
    )


@require_GET
def screen_json(request, code: str):
    community = _community(code)
    items = [
        {
            "title": n.title,
            "text": n.text,
            "valid_from": n.valid_from.isoformat(),
            "valid_until": n.valid_until.isoformat(),
            "url": request.build_absolute_uri(n.public_url()),
            "images": [
                {"url": request.build_absolute_uri(p.public_url()), "caption": p.caption}
                for p in n.images.all()
            ],
        }
        for n in selectors.current(community).prefetch_related("images")[:50]
    ]
    return JsonResponse(
        {"community": community.name, "notices": items}, json_dumps_params={"ensure_ascii": False}
    )
