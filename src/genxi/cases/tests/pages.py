"""The readable routes of the request loop: staff pages, the public pages under /s/,
Open311 and the API (core/testing/page_matrix.py)."""

from django.urls import reverse

from genxi.cases import services
from genxi.cases.models import Category
from genxi.core.testing.images import jpeg_with_gps
from genxi.core.testing.page_matrix import API, PUBLIC, Page

STAFF = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
# Who takes cases in (core.roles.INTAKE_ROLES): the intake page and its panel.
INTAKERS = ("street", "community", "grid", "outsider")
# A liaison sees the cases given to it only.
CASE_READERS = ("system_admin", "street", "community", "grid", "outsider", "department")
LIST = {"*": 200}  # an API list answers what the caller may see: nothing, to some
# The GeoReport feed is public by design: a case's category, place and text, its numbers
# masked (docs/security.md, "Public codes and public text").
FEED = {"*": "Open311's GeoReport feed is public; numbers in its text are masked"}
CONTACTS = {"in": "13912340011", "near": "13912340012", "out": "13912340013"}
TYPED = {"in": "13912340021", "near": "13912340022", "out": "13912340023"}


def seed(side):
    """A case on the side's grid, reported by phone, with another number typed into its
    text, and a photo."""
    lat, lon = side.point
    contact = CONTACTS[side.name]
    case = services.case_create(
        actor=side.worker,
        channel="phone",
        text=f"{side.tag}小区楼道里的声控灯坏了,请回电{TYPED[side.name]}",
        lat=lat,
        lon=lon,
        address=f"{side.tag}小区7幢3单元401室",
        reporter_name=f"{side.tag}报事人",
        reporter_contact=contact,
        photos=[jpeg_with_gps()],
    )
    return {"case": case, "case_photo": case.photos.get()}


def _open311(name, **kw):
    def url(s):
        args = {k: (v(s) if callable(v) else v) for k, v in kw.items()}
        return reverse(f"open311:{name}", kwargs={"fmt": "json", **args})

    return url


PUBLIC_ALL = {"*": 200}

PAGES = {
    "cases:queue": Page(lambda s: reverse("cases:queue"), STAFF),
    "cases:new": Page(lambda s: reverse("cases:new"), INTAKERS),
    "cases:duplicates": Page(lambda s: reverse("cases:duplicates"), INTAKERS),
    "cases:tasks": Page(lambda s: reverse("cases:tasks"), STAFF),
    "cases:metrics": Page(lambda s: reverse("cases:metrics"), STAFF),
    "cases:detail": Page(lambda s: reverse("cases:detail", args=[s.case.code]), CASE_READERS),
    "cases:contact": Page(
        lambda s: reverse("cases:contact", args=[s.case.code]), answers={"*": 405}
    ),
    "cases:split": Page(lambda s: reverse("cases:split", args=[s.case.code]), answers={"*": 405}),
    "cases:act": Page(
        lambda s: reverse("cases:act", args=[s.case.code, "accept"]), answers={"*": 405}
    ),
    "public:find": Page(lambda s: reverse("public:find"), kind=PUBLIC, answers=PUBLIC_ALL),
    "public:grids": Page(lambda s: reverse("public:grids"), kind=PUBLIC, answers=PUBLIC_ALL),
    "public:report": Page(lambda s: reverse("public:report"), kind=PUBLIC, answers=PUBLIC_ALL),
    "public:track": Page(lambda s: reverse("public:track"), kind=PUBLIC, answers=PUBLIC_ALL),
    "public:track_case": Page(
        lambda s: reverse("public:track_case", args=[s.case.code]), kind=PUBLIC, answers=PUBLIC_ALL
    ),
    "open311:discovery": Page(_open311("discovery"), kind=PUBLIC, answers=PUBLIC_ALL),
    "open311:services": Page(_open311("services"), kind=PUBLIC, answers=PUBLIC_ALL),
    "open311:service": Page(
        _open311("service", code=lambda s: Category.objects.order_by("code").first().code),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
    ),
    "open311:requests": Page(_open311("requests"), kind=PUBLIC, answers=PUBLIC_ALL, shows=FEED),
    "open311:request": Page(
        _open311("request", request_id=lambda s: s.case.code),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=FEED,
    ),
    "open311:token": Page(_open311("token", token="NOSUCHTOKEN"), kind=PUBLIC, answers={"*": 404}),
    "GET /api/v1/cases": Page(lambda s: "/api/v1/cases", answers=LIST, kind=API),
    "GET /api/v1/cases/{code}": Page(
        lambda s: f"/api/v1/cases/{s.case.code}", CASE_READERS, kind=API
    ),
}
