"""The admin is not a back door: business data read-only, choices and labels scoped,
"view on site" scoped, reference data the system admin's, out of scope a 404."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from genxi.cases.models import CalendarDay, Case, Category, RoutingRule
from genxi.cobuild.models import Need
from genxi.core.models import AuditEvent
from genxi.core.testing.admin import form_data, specimens
from genxi.people.models import Pioneer, Resident

# The findings as reported ---------------------------------------------------------------


def test_street_admin_cannot_move_a_pioneer_to_another_streets_community(client, world):
    pioneer = world.pioneer(world.grid_a1, "P-MV", "先锋")
    street = world.users["street"]
    client.force_login(street)
    url = reverse("admin:people_pioneer_change", args=[pioneer.pk])
    response = client.post(url, form_data(pioneer, street, {"grid": str(world.b1.pk)}))
    assert response.status_code == 403
    assert Pioneer.objects.get(pk=pioneer.pk).grid == world.grid_a1


def test_street_admin_cannot_add_a_resident_without_id_number(client, world):
    client.force_login(world.users["street"])
    body = {"name": "无证居民", "grid": str(world.grid_a1.pk), "tags": "[]"}
    body["legal_basis"] = "public_duty"
    response = client.post(reverse("admin:people_resident_add"), body)
    assert response.status_code == 403
    assert not Resident.objects.filter(name="无证居民").exists()


def test_street_admin_cannot_edit_a_needs_filled_count(client, world):
    need = specimens(world)[Need][0]
    street = world.users["street"]
    client.force_login(street)
    url = reverse("admin:cobuild_need_change", args=[need.pk])
    response = client.post(url, form_data(need, street, {"filled": "7"}))
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.filled == 0


# Choices, raw-id labels and their validation ---------------------------------------------


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_foreign_key_choices_and_validation_follow_scope(world):
    """A resident's grid: another street's grid is neither offered, nor named, nor valid."""
    request = _request(world.users["street"])
    form = admin.site._registry[Resident].get_form(request)
    field = form.base_fields["grid"]
    assert world.grid_a1 in field.queryset and world.grid_b1 not in field.queryset
    with pytest.raises(ValidationError):
        field.clean(world.grid_b1.pk)
    label, _url = field.widget.label_and_url_for_value(world.grid_b1.pk)
    assert label == ""
    assert world.grid_a1.name in field.widget.label_and_url_for_value(world.grid_a1.pk)[0]


def test_raw_id_labels_name_no_one_out_of_scope(world):
    made = specimens(world)
    request = _request(world.users["street"])
    form = admin.site._registry[Case].get_form(request)
    reporter = form.base_fields["reporter"]
    outside = made[Resident][1]
    assert reporter.widget.label_and_url_for_value(outside.pk) == ("", "")
    assert outside not in reporter.queryset
    master = form.base_fields["master"]
    assert master.widget.label_and_url_for_value(made[Case][1].pk) == ("", "")


def test_routing_rule_on_another_streets_community_is_refused(client, world):
    client.force_login(world.users["street"])
    url = reverse("admin:cases_routingrule_add")
    page = client.get(url).content.decode()
    assert world.a1.name in page and world.b1.name not in page
    assert "outsider" not in page  # street B's staff are not offered as handlers
    body = {"category_prefix": "ENV", "region": world.b1.pk, "handler": world.users["community"].pk}
    body.update(priority="0", active="on")
    response = client.post(url, body)
    assert response.status_code == 200  # the form again, with the error on the region
    assert not RoutingRule.objects.exists()
    body["region"] = world.a1.pk
    body["handler"] = world.users["outsider"].pk
    assert client.post(url, body).status_code == 200
    assert not RoutingRule.objects.exists()


def test_routing_rule_in_scope_goes_through_the_service(client, world):
    client.force_login(world.users["street"])
    body = {"category_prefix": "ENV", "region": world.a1.pk, "handler": world.users["community"].pk}
    body.update(priority="0", active="on")
    response = client.post(reverse("admin:cases_routingrule_add"), body)
    assert response.status_code == 302, response.content.decode()[:3000]
    rule = RoutingRule.objects.get()
    assert rule.region == world.a1
    event = AuditEvent.objects.get(verb="routing_rule.create")
    assert event.actor == world.users["street"] and event.target_id == str(rule.pk)
    change = reverse("admin:cases_routingrule_change", args=[rule.pk])
    body["priority"] = "5"
    assert client.post(change, body).status_code == 302
    assert AuditEvent.objects.get(verb="routing_rule.update").after == {"priority": 5}
    # A street admin cannot make its rule city-wide (no place = every street's cases).
    body["region"] = ""
    assert client.post(change, body).status_code == 200
    assert RoutingRule.objects.get().region == world.a1
    delete = reverse("admin:cases_routingrule_delete", args=[rule.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not RoutingRule.objects.exists()
    assert AuditEvent.objects.filter(verb="routing_rule.delete").exists()


# "View on site" ------------------------------------------------------------------------


def _shortcut(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.mark.parametrize("model", [Case, Resident, Pioneer], ids=lambda m: m.__name__)
def test_view_on_site_out_of_scope_is_404(client, world, model):
    made = specimens(world)
    inside, outside = made[model]
    client.force_login(world.users["street"])
    response = client.get(_shortcut(outside))
    assert response.status_code == 404
    assert "CASEB" not in response.get("Location", "")
    response = client.get(_shortcut(inside))
    assert response.status_code == 302 and response["Location"] == inside.get_absolute_url()


@pytest.mark.parametrize("model", [Case, Resident], ids=lambda m: m.__name__)
def test_security_admin_sees_no_business_data_on_site(client, world, model):
    inside, _outside = specimens(world)[model]
    client.force_login(world.users["security_admin"])
    assert client.get(_shortcut(inside)).status_code == 404


# Reference data ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["street", "security_admin"])
def test_only_the_system_admin_adds_holidays(client, world, who):
    client.force_login(world.users[who])
    body = {"date": "2031-10-08", "is_workday": "", "name": "假日"}
    assert client.post(reverse("admin:cases_calendarday_add"), body).status_code == 403
    assert not CalendarDay.objects.filter(date="2031-10-08").exists()
    category = Category.objects.order_by("code").first()
    url = reverse("admin:cases_category_change", args=[category.pk])
    assert client.post(url, {"name": "改名"}).status_code == 404
    assert client.get(reverse("admin:cases_calendarday_changelist")).status_code == 403


def test_system_admin_adds_holidays_with_audit(client, world):
    client.force_login(world.users["system_admin"])
    body = {"date": "2031-10-08", "is_workday": "on", "name": "调休"}
    assert client.post(reverse("admin:cases_calendarday_add"), body).status_code == 302
    day = CalendarDay.objects.get(date="2031-10-08")
    assert AuditEvent.objects.filter(verb="admin.calendarday.create", target_id=str(day.pk))


# Out of scope is a 404 -----------------------------------------------------------------


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_out_of_scope_in_the_admin_is_404(client, world, view):
    outside = world.pioneer(world.grid_b1, "P-B", "街外先锋")
    client.force_login(world.users["street"])
    response = client.get(reverse(f"admin:people_pioneer_{view}", args=[outside.pk]))
    assert response.status_code == 404
    assert client.get(reverse(f"admin:people_pioneer_{view}", args=[10**9])).status_code == 404


def test_third_party_tables_are_not_in_the_admin(client, world):
    """Django's groups, lockout logs, task results and TOTP devices follow Django's own
    permission flags; even an account flagged superuser does not reach them here."""
    street = world.users["street"]
    street.is_superuser = True
    street.save(update_fields=["is_superuser"])
    client.force_login(street)
    for url in ["/admin/auth/group/", "/admin/axes/accessattempt/", "/admin/otp_totp/totpdevice/"]:
        assert client.get(url).status_code == 404, url


def test_account_audit_keeps_no_password_hash(client, world):
    client.force_login(world.users["security_admin"])
    body = {"username": "newbie", "password1": "Zh@ngSan-2031", "password2": "Zh@ngSan-2031"}
    body.update({"usable_password": "true", "_save": "1"})
    body.update({"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:people_user_add"), body)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(verb="admin.user.create")
    assert event.after["username"] == "newbie"
    assert "password" not in event.after


def test_autocomplete_lookups_follow_scope(client, world):
    client.force_login(world.users["street"])
    params = {"app_label": "people", "model_name": "resident", "field_name": "grid", "term": "网格"}
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert world.grid_a1.pk in ids and world.grid_b1.pk not in ids
    client.force_login(world.users["security_admin"])
    assert client.get(reverse("admin:autocomplete"), params).status_code == 403
