"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2/.

Services are the request categories. POST needs an api_key (`genxi open311 key create`),
as a form field or a query parameter. GET answers are public and carry no personal data:
no reporter, no exact address, the location rounded to about 100 m.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from genxi.cases import idempotency, services
from genxi.cases.models import Case, CaseState, Category, Channel, Open311Client, Urgency
from genxi.core import ratelimit
from genxi.core.params import BadParameter, parse_datetime_value
from genxi.core.pii import mask_free_text

from .render import FORMATS, error, respond

CLOSED_STATES = [CaseState.CLOSED, CaseState.REJECTED, CaseState.MERGED]
MAX_RESULTS = 1000
MAX_SERVICE_CODES = 100  # a filter of more is no filter; 500 made SQLite refuse the query
DEFAULT_DAYS = 90


def _format(fmt: str):
    return fmt if fmt in FORMATS else None


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def discovery(request, fmt):
    if not _format(fmt):
        return error("json", 404, "format must be json or xml")
    base = request.build_absolute_uri(reverse("open311:services", args=["json"]))[
        : -len("services.json")
    ]
    payload = {
        "changeset": "2026-11-27T00:00:00+08:00",
        "contact": settings.GENXI_OPEN311_CONTACT,
        "key_service": settings.GENXI_OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rstrip("/"),
                "changeset": "2026-11-27T00:00:00+08:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(fmt, "discovery", payload)


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name_en,
        "metadata": True,
        "type": "realtime",
        "keywords": category.name_en,
        "group": category.parent.name if category.parent is not None else category.name,
    }


def service_list(request, fmt):
    if not _format(fmt):
        return error("json", 404, "format must be json or xml")
    categories = Category.objects.filter(active=True).select_related("parent").order_by("code")
    return respond(fmt, "services", [_service(c) for c in categories])


URGENCY_ATTRIBUTE = {
    "variable": True,
    "code": "urgency",
    "datatype": "singlevaluelist",
    "required": False,
    "datatype_description": "normal, urgent or emergency",
    "order": 1,
    "description": "紧急程度 / How urgent",
    "values": [{"key": v, "name": str(label)} for v, label in Urgency.choices],
}
BUILDING_ATTRIBUTE = {
    "variable": True,
    "code": "building",
    "datatype": "string",
    "required": False,
    "datatype_description": "estate and building, e.g. 彩香新村25幢",
    "order": 2,
    "description": "楼栋 / Building",
}


def service_definition(request, code, fmt):
    if not _format(fmt):
        return error("json", 404, "format must be json or xml")
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        return error(fmt, 404, f"service_code {code} not found")
    payload = {"service_code": category.code, "attributes": [URGENCY_ATTRIBUTE, BUILDING_ATTRIBUTE]}
    return respond(fmt, "service_definition", payload)


def _client(request) -> Open311Client | None:
    key = request.POST.get("api_key") or request.GET.get("api_key")
    if not key:
        return None
    return Open311Client.objects.filter(digest=Open311Client.digest_of(key), active=True).first()


def _status(case: Case) -> str:
    return "closed" if case.state in CLOSED_STATES else "open"


def _place(case: Case) -> str:
    region = case.region
    return f"{region.parent.name} {region.name}" if region.parent is not None else region.name


def _request_payload(case: Case, full: bool) -> dict:
    events = list(case.events.all())
    last = events[-1] if events else None
    data = {
        "service_request_id": case.code,
        "status": _status(case),
        "status_notes": str(case.get_state_display()),
        "service_name": case.category.name if case.category is not None else "",
        "service_code": case.category.code if case.category is not None else "",
        # No caller is a role that may reveal: numbers typed into the text are masked.
        "description": mask_free_text(case.text if full else case.title),
        "agency_responsible": _place(case),
        "service_notice": "",
        "requested_datetime": _iso(case.created_at),
        "updated_datetime": _iso(last.created_at if last else case.updated_at),
        "expected_datetime": _iso(case.resolve_by),
        "address": _place(case),
        "address_id": "",
        "zipcode": "",
        "lat": round(case.lat, 3) if case.lat is not None else "",
        "long": round(case.lon, 3) if case.lon is not None else "",
        "media_url": "",
    }
    return data


def _float(value: str, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number") from exc


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request, fmt):
    if not _format(fmt):
        return error("json", 404, "format must be json or xml")
    if request.method == "POST":
        return _post_request(request, fmt)
    return _get_requests(request, fmt)


def _post_request(request, fmt):
    client = _client(request)
    if client is None:
        return error(fmt, 403, "api_key is missing or not valid")
    data = request.POST
    code = data.get("service_code", "").strip()
    if not code:
        return error(fmt, 400, "service_code is required")
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        return error(fmt, 404, f"service_code {code} not found")
    try:
        lat = _float(data.get("lat"), "lat")
        lon = _float(data.get("long"), "long")
    except ValueError as exc:
        return error(fmt, 400, str(exc))
    address = data.get("address_string", "").strip() or data.get("attribute[building]", "").strip()
    if (lat is None or lon is None) and not address:
        return error(fmt, 400, "a location is required: lat and long, or address_string")
    urgency = data.get("attribute[urgency]", Urgency.NORMAL) or Urgency.NORMAL
    description = data.get("description", "").strip()
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)

    def produce() -> idempotency.Answer:
        try:
            case = services.case_create(
                actor=None,
                channel=Channel.OPEN311,
                text=description or category.name,
                category=category,
                lat=lat,
                lon=lon,
                address=address,
                reporter_name=name,
                reporter_contact=data.get("phone", ""),
                urgency=urgency,
                tags=[f"open311:{client.name}"],
            )
        except ValidationError as exc:
            messages = [f"{k}: {v[0]}" for k, v in exc.message_dict.items()]
            body = error(fmt, 400, "; ".join(messages))
            return idempotency.Answer(400, body["Content-Type"], body.content.decode())
        # `token` is the reporter's secret, given only here: the reporter rates with it on
        # the tracking page; `service_request_id` is public (the GET feed lists it).
        body = respond(
            fmt,
            "service_requests",
            [
                {
                    "service_request_id": case.code,
                    "token": case.reporter_secret,
                    "service_notice": "",
                    "account_id": "",
                }
            ],
        )
        return idempotency.Answer(201, body["Content-Type"], body.content.decode())

    key = request.headers.get("Idempotency-Key")
    try:
        payload = urlencode(sorted(request.POST.lists()), doseq=True).encode()
        answer = idempotency.run(f"open311:{client.pk}", key, payload, produce)
    except idempotency.KeyInFlight:
        return error(fmt, 409, "a request with this Idempotency-Key is still in progress")
    except idempotency.KeyReused:
        return error(fmt, 422, "this Idempotency-Key was used with a different request")
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _get_requests(request, fmt):
    full = _client(request) is not None
    qs = Case.objects.select_related("category", "region__parent").prefetch_related("events")
    ids = [
        i.strip().upper() for i in request.GET.get("service_request_id", "").split(",") if i.strip()
    ]
    if ids:
        qs = qs.filter(code__in=ids)
    else:
        codes = list(dict.fromkeys(c for c in request.GET.get("service_code", "").split(",") if c))
        if len(codes) > MAX_SERVICE_CODES:
            return error(fmt, 400, f"service_code names at most {MAX_SERVICE_CODES} services")
        if codes:
            q = Q()
            for c in codes:
                q |= Q(category__code=c) | Q(category__code__startswith=f"{c}.")
            qs = qs.filter(q)
        start, end = request.GET.get("start_date"), request.GET.get("end_date")
        try:
            start_at = parse_datetime_value(start, "start_date") if start else None
            end_at = parse_datetime_value(end, "end_date") if end else None
        except BadParameter as exc:
            return error(fmt, 400, str(exc))
        if start_at is None and end_at is None:
            start_at = timezone.now() - timedelta(days=DEFAULT_DAYS)
        if start_at:
            qs = qs.filter(created_at__gte=start_at)
        if end_at:
            qs = qs.filter(created_at__lte=end_at)
        status = request.GET.get("status", "")
        statuses = {s.strip() for s in status.split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            return error(fmt, 400, "status must be open or closed")
        if statuses == {"open"}:
            qs = qs.exclude(state__in=CLOSED_STATES)
        elif statuses == {"closed"}:
            qs = qs.filter(state__in=CLOSED_STATES)
    cases = qs.order_by("-created_at")[:MAX_RESULTS]
    return respond(fmt, "service_requests", [_request_payload(c, full) for c in cases])


def request_detail(request, request_id, fmt):
    if not _format(fmt):
        return error("json", 404, "format must be json or xml")
    case = (
        Case.objects.select_related("category", "region__parent")
        .prefetch_related("events")
        .filter(code=request_id.upper())
        .first()
    )
    if case is None:
        return error(fmt, 404, f"service_request_id {request_id} not found")
    return respond(fmt, "service_requests", [_request_payload(case, _client(request) is not None)])


TOKEN_TRIES = 10  # lookups per client address per window: a token is a reporter's secret
TOKEN_WINDOW = 60 * 60


def token_detail(request, token, fmt):
    """A token is the reporter's secret that the POST answered with; this gives its request
    id. Every lookup counts against the client address, so secrets cannot be guessed."""
    if not _format(fmt):
        return error("json", 404, "format must be json or xml")
    client = ratelimit.client_ip(request) or "-"
    if not ratelimit.hit("open311-token", client, TOKEN_TRIES, TOKEN_WINDOW):
        return error(fmt, 429, "too many token lookups; try again in an hour")
    case = Case.objects.filter(secret_digest=Case.digest_of_secret(token)).first()
    if case is None:
        return error(fmt, 404, "token not found")
    return respond(fmt, "service_requests", [{"service_request_id": case.code, "token": token}])
