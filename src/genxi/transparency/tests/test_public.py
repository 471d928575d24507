"""The public transparency page and the open data: figures from the roll-ups equal a
direct count of the cases, small counts are suppressed, and no public output carries a
name, phone, ID number, tracking code or exact address of the planted cases."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from genxi.cases.models import Case
from genxi.core.panels import Period
from genxi.transparency import selectors

from .conftest import secrets_of

pytestmark = pytest.mark.django_db


def _month():
    today = timezone.localdate()
    return Period.month(today.year, today.month)


def _direct(region):
    cases = Case.objects.filter(region__path__startswith=region.path)
    valid = cases.exclude(state__in=["rejected", "merged"])
    return {
        "received": cases.count(),
        "valid": valid.count(),
        "resolved": cases.filter(resolved_at__isnull=False).count(),
        "rated": cases.exclude(rating="").count(),
        "satisfied": cases.filter(rating__in=["satisfied", "basically"]).count(),
        "unsatisfied": cases.filter(rating="unsatisfied").count(),
    }


def test_figures_are_a_direct_count(planted):
    for region in (planted.street_a, planted.a1, planted.a2, planted.street_b):
        f = selectors.figures(region, _month())
        d = _direct(region)
        assert f["counts"]["received"] == d["received"]
        assert f["counts"]["resolved"] == d["resolved"]
        assert f["resolution_rate"] == (
            round(d["resolved"] / d["valid"], 4) if d["valid"] else None
        )
        s = selectors.satisfaction(region, _month())
        assert (s["rated"], s["satisfied"], s["unsatisfied"]) == (
            d["rated"],
            d["satisfied"],
            d["unsatisfied"],
        )
    assert _direct(planted.street_a)["received"] == 18  # the world is what we think


def test_solved_list_is_the_months_solved_cases_masked(planted):
    found = selectors.solved_list(planted.street_a, _month())
    assert len(found) == Case.objects.filter(resolved_at__isnull=False).count() == 12
    assert all("某" in s.title or "*" in s.title for s in found)


def test_page_shows_the_figures(client, planted):
    response = client.get(reverse("transparency:place", args=[planted.street_a.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-figure="received">18<' in body
    assert body.count("data-title>") == 12
    # a community's page counts its own cases only
    response = client.get(reverse("transparency:place", args=[planted.a2.code]))
    n = _direct(planted.a2)["received"]
    assert n == 6 and f'data-figure="received">{n}<' in response.content.decode()


def test_only_streets_and_communities_have_pages(client, planted):
    assert client.get(reverse("transparency:place", args=[planted.grid_a1.code])).status_code == 404
    assert client.get(reverse("transparency:place", args=["nope"])).status_code == 404
    assert client.get(reverse("transparency:data_csv", args=[planted.a1.code])).status_code == 404


def test_month_picker_offers_twelve_months_and_ignores_others(client, planted):
    response = client.get(
        reverse("transparency:place", args=[planted.street_a.code]), {"month": "1999-01"}
    )
    assert response.status_code == 200
    assert len(response.context["months"]) == 12
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_open_data_suppresses_small_cells_and_keeps_totals(client, planted):
    data = json.loads(
        client.get(reverse("transparency:data_json", args=[planted.street_a.code])).content
    )
    assert data["meta"]["licence"] == "CC BY 4.0"
    assert data["meta"]["threshold"] == 5
    month = timezone.localdate().strftime("%Y-%m")
    rows = [r for r in data["records"] if r["month"] == month]
    cells = [r for r in rows if r["level"] == "cell"]
    # every planted cell has 3–6 cases: the 3s are suppressed, and no published total lets
    # one be recovered: each suppressed cell shares its community and its category with
    # another suppressed cell
    assert cells
    for r in cells:
        if r["suppressed"]:
            assert r["received"] is None and r["resolved"] is None
            assert (
                sum(
                    1
                    for o in cells
                    if o["suppressed"] and o["community_code"] == r["community_code"]
                )
                >= 2
            )
            assert (
                sum(
                    1 for o in cells if o["suppressed"] and o["category_code"] == r["category_code"]
                )
                >= 2
            )
        else:
            assert r["received"] >= 5
    total = next(r for r in rows if r["level"] == "street_total")
    assert total["received"] == _direct(planted.street_a)["received"]


def test_open_data_csv_states_the_licence(client, planted):
    response = client.get(reverse("transparency:data_csv", args=[planted.street_a.code]))
    assert response.status_code == 200
    assert "license" in response["Link"]
    text = response.content.decode("utf-8-sig")
    assert "# licence: CC BY 4.0" in text
    rows = list(
        csv.DictReader(
            io.StringIO("\n".join(x for x in text.splitlines() if not x.startswith("#")))
        )
    )
    assert rows and set(rows[0]) >= {"month", "community", "category", "received", "suppressed"}
    for r in rows:
        assert (r["received"] == "") == (r["suppressed"] == "true")


def test_the_threshold_is_configuration(client, planted, settings):
    settings.GENXI_OPEN_DATA_MIN_COUNT = 1
    data = json.loads(
        client.get(reverse("transparency:data_json", args=[planted.street_a.code])).content
    )
    assert not any(r["suppressed"] for r in data["records"])


def _public_outputs(client, world):
    urls = [reverse("transparency:index"), reverse("public:find")]
    for place in (world.street_a, world.a1, world.a2, world.street_b, world.b1):
        urls.append(reverse("transparency:place", args=[place.code]))
    for street in (world.street_a, world.street_b):
        urls += [
            reverse("transparency:data_csv", args=[street.code]),
            reverse("transparency:data_json", args=[street.code]),
        ]
    for lang in ("zh-hans", "en"):
        client.cookies["django_language"] = lang
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode("utf-8-sig")
            if url.endswith(".json"):
                body = json.dumps(json.loads(body), ensure_ascii=False)
            yield url, body


def test_no_public_output_identifies_anyone(client, planted):
    secrets = secrets_of(planted)
    assert len(secrets) > 40
    scanned = 0
    for url, body in _public_outputs(client, planted):
        for secret in secrets:
            assert secret not in body, (url, secret)
        scanned += 1
    assert scanned == 22


def test_the_page_reads_a_fixed_number_of_queries(client, planted, django_assert_max_num_queries):
    url = reverse("transparency:place", args=[planted.street_a.code])
    with django_assert_max_num_queries(14):  # 12 solved cases listed: no query per case
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(2):  # kept: the page without reading the figures
        assert client.get(url).status_code == 200
