"""Uploaded files are served only through this view, which checks the requester's scope.

Nothing under MEDIA_ROOT is served by URL path: a photo is reached by its kind and id
(`/photos/case/12/thumb/`), and the requester must be able to see the object the photo
belongs to (the case, the claim) — the same check as the page that shows it. Out of scope
and missing answer 404; anonymous requests go to the login page. Import files have no
kind here, so no URL reaches them at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from .scope import get_visible_or_404


@dataclass(frozen=True)
class PhotoKind:
    model: str  # the photo model, "app_label.Model"
    owner: str  # the model whose visibility decides, "app_label.Model"
    owner_field: str  # the photo's foreign key to it


PHOTO_KINDS = {
    "case": PhotoKind("cases.CasePhoto", "cases.Case", "case_id"),
    "delivery": PhotoKind("cobuild.DeliveryPhoto", "cobuild.Claim", "claim_id"),
    "inspection": PhotoKind("inspections.AnswerPhoto", "inspections.Answer", "answer_id"),
    "project": PhotoKind("cobuild.ProjectPhoto", "cobuild.Project", "project_id"),
    "evidence": PhotoKind("cobuild.EvidencePhoto", "cobuild.Evaluation", "evaluation_id"),
}
VARIANTS = {"full": "image", "thumb": "thumbnail"}


def photo_url(photo, variant: str = "full") -> str:
    """The scoped URL of a photo object (CasePhoto, DeliveryPhoto)."""
    label = photo._meta.label
    kind = next(k for k, v in PHOTO_KINDS.items() if v.model == label)
    return reverse("photo", args=[kind, photo.pk, variant])


@login_required
@require_GET
def photo(request, kind: str, pk: int, variant: str):
    spec = PHOTO_KINDS.get(kind)
    if spec is None or variant not in VARIANTS:
        raise Http404
    item = get_object_or_404(apps.get_model(spec.model), pk=pk)
    owner = apps.get_model(spec.owner)
    get_visible_or_404(owner.objects.all(), request.user, pk=getattr(item, spec.owner_field))
    return photo_response(item, variant)


def photo_response(item, variant: str, *, public: bool = False) -> FileResponse:
    """The photo's JPEG (`variant`: full or thumb) for a requester already allowed to see it;
    `public` for what anyone may see (a published notice's picture), which may be cached."""
    if variant not in VARIANTS:
        raise Http404
    field = getattr(item, VARIANTS[variant])
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")  # clean_photo writes JPEG
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response.no_store = True  # type: ignore[attr-defined]  # core.middleware.NoStoreMiddleware
    return response
