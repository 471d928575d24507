"""URLs for the benchmarks: the app, and the no-logic baseline insert."""

import os

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def baseline(request):
    from genxi.cases.models import Case
    from genxi.cases.services import new_code

    case = Case.objects.create(
        code=new_code(),
        channel="api",
        title="baseline",
        text=request.body.decode()[:200],
        region_id=int(os.environ["BENCH_GRID_ID"]),
        state="submitted",
    )
    return JsonResponse({"code": case.code}, status=201)


urlpatterns = [
    path("baseline/cases", baseline),
    path("", include("genxi.config.urls")),
]
