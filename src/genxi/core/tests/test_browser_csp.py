"""Every main page runs under the Content-Security-Policy with no violation, signed in as a
street admin and anonymously: no inline script, handler or style is left in a template or
brought in by a library (htmx, Leaflet, Bootstrap, the admin, Swagger UI)."""

import pytest

from genxi.cases import services as cases
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category
from genxi.cobuild import services as cobuild
from genxi.core.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects every violation the page reports, from before its first script runs.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                    (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _watch(page) -> list[str]:
    seen: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda m: (
            seen.append(f"console: {m.text}") if "Content Security Policy" in m.text else None
        ),
    )
    return seen


def _walk(page, paths: list[str], seen: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status < 400, (path, response and response.status)
        assert response.headers.get("content-security-policy"), path
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(150)  # let late scripts (maps, htmx polls) report
        seen.extend(f"{path}: {v}" for v in page.evaluate("window.__csp || []"))
    assert seen == [], "\n".join(seen)


@pytest.fixture
def places(world):
    ensure_categories(Category)
    case = cases.case_create(
        actor=None,
        channel="phone",
        text="彩香新村5幢楼道里堆满了杂物",
        lat=31.3201,
        lon=120.5901,
        region=world.grid_a1,
    )
    need = cobuild.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="周末助老志愿服务",
        kind="volunteers",
        quantity=10,
        unit_label="志愿小时",
    )
    return {"case": case, "need": need}


def test_street_admin_pages_have_no_policy_violation(page, world, places):
    seen = _watch(page)
    login(page, "street")
    _walk(
        page,
        [
            "/",
            "/cases/",
            f"/cases/{places['case'].code}/",
            "/cases/new/",
            "/cases/metrics/",
            "/regions/map/",
            "/people/residents/",
            "/people/pioneers/",
            "/cobuild/needs/",
            f"/cobuild/needs/{places['need'].pk}/",
            "/cobuild/resources/",
            "/cobuild/projects/",
            "/cobuild/services/",
            "/cobuild/meetings/",
            "/admin/",
            "/admin/password_change/",
            "/api/v1/docs",
        ],
        seen,
    )
    # The filters still submit without their inline onchange handlers ...
    page.goto("/regions/map/")
    page.select_option("select[name=community]", index=1)
    page.wait_for_url("**/regions/map/?community=*")
    # ... and a progress bar still gets its width without a style attribute.
    page.goto(f"/cobuild/needs/{places['need'].pk}/")
    assert page.evaluate("document.getElementById('need-progress').style.width") == "0%"
    # The API docs render Swagger UI from /static/.
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")
    assert page.evaluate("window.__csp") == []


def test_anonymous_pages_have_no_policy_violation(page, world, places):
    seen = _watch(page)
    _walk(page, ["/s/", "/s/report/", "/s/track/", "/accounts/login/", "/admin/login/"], seen)
    page.goto("/s/report/")
    page.wait_for_selector("#pick-map[data-loaded]")
    assert page.evaluate("window.__csp") == []
