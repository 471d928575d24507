"""URLs for the benchmarks: the app, and the no-logic baseline insert."""

import os

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def baseline(request):
    """The same row the API writes, with no logic: no auth, routing, deadlines from the
    calendar, history, audit or inbox — the values are taken as they come or fixed."""
    import json
    from datetime import timedelta

    from django.utils import timezone

    from genxi.cases.models import Case
    from genxi.cases.services import new_code

    body = json.loads(request.body)
    now = timezone.now()
    case = Case.objects.create(
        code=new_code(),
        channel=body["channel"],
        title=body["text"][:60],
        text=body["text"],
        lat=body["lat"],
        lon=body["lon"],
        place_key="",
        region_id=int(os.environ["BENCH_GRID_ID"]),
        urgency="normal",
        tags=[],
        state="submitted",
        respond_by=now + timedelta(hours=4),
        resolve_by=now + timedelta(days=5),
    )
    return JsonResponse({"code": case.code}, status=201)


urlpatterns = [
    path("baseline/cases", baseline),
    path("", include("genxi.config.urls")),
]
