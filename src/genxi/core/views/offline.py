"""What makes the phone pages work without a connection (docs/offline.md): the service
worker (served at /sw.js so that its scope is the whole site), the web app's manifest (so a
phone can install genxi on its home screen), and the page shown when a page was never kept."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

# Bump when sw.js itself changes (the static files' hashed names change on their own).
REVISION = 1
# What every page needs, kept on the phone when the worker installs.
SHELL = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "django_htmx/htmx-2.min.js",
    "genxi/genxi.css",
    "genxi/genxi.js",
    "genxi/outbox.js",
)


@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(path) for path in SHELL]
    # A new release (new hashed static names) is a new version: the old copies are dropped.
    version = hashlib.sha256(json.dumps([REVISION, *shell]).encode()).hexdigest()[:12]
    response = render(
        request,
        "core/offline/sw.js",
        {
            "version": version,
            "shell": json.dumps(shell),
            "offline_url": reverse("offline"),
            "static_url": static(""),
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@cache_control(max_age=86400)
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "name": _("根系 · 党建引领基层治理"),
            "short_name": _("根系"),
            "start_url": reverse("home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#b3261e",
            "lang": request.LANGUAGE_CODE,
            "icons": [
                {
                    "src": static(f"genxi/icons/genxi-{n}.png"),
                    "sizes": f"{n}x{n}",
                    "type": "image/png",
                }
                for n in (192, 512)
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "core/offline/offline.html")
