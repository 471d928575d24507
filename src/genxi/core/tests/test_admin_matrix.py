"""The admin's write matrix: every role × every registered model × add, change and delete,
in scope and out of scope, with the expected answer; a refused request writes nothing.

The admin is not a second write path: business data is read-only there (the pages are the
write path), reference data is the system admin's, accounts and roles the security
admin's, and routing rules a street admin's within its street."""

import pytest
from django.contrib import admin
from django.urls import reverse

from genxi.cases.models import CalendarDay, Category, Open311Client, RoutingRule
from genxi.core.models import AuditEvent, NotificationDelivery
from genxi.core.testing.admin import fingerprint, form_data, specimens
from genxi.fieldwork.models import Household, PlanItem, Visit
from genxi.partylife.models import ContactDay, StudyReflection, TrainingPlan, TrainingSession
from genxi.people.models import ImportJob, Resident, User

# Roles that may use the admin site; the others are sent to its login page.
SITE_ROLES = ("system_admin", "security_admin", "street", "outsider")
NO_SITE_ROLES = ("auditor", "community", "grid", "unit", "norole")

# Who sees a model in the admin. "street" sees its own street's rows (and "outsider", the
# admin of street B, its own); every other role listed sees the whole table.
REFERENCE = (Category, CalendarDay, NotificationDelivery, Open311Client)
SEES = {
    **{m: {"system_admin"} for m in REFERENCE},
    User: {"security_admin"},
    AuditEvent: set(),  # the auditor reads it on its own page, not in the admin
    Resident: {"street"},  # the system admin sees no residents
    # … nor their households, plans and visits (fieldwork: scope_perm view_residents)
    Household: {"street"},
    PlanItem: {"street"},
    Visit: {"street"},
    # … nor party members' life (partylife: members are personal data, view_residents)
    TrainingPlan: {"street"},
    TrainingSession: {"street"},
    StudyReflection: {"street"},
    ContactDay: {"street"},
}
BUSINESS_SEES = {"system_admin", "street"}

# Who may write a model in the admin, and whether rows may be deleted there.
WRITES = {
    RoutingRule: ({"system_admin", "street"}, True),
    Category: ({"system_admin"}, False),
    CalendarDay: ({"system_admin"}, False),
    Open311Client: ({"system_admin"}, False),
    User: ({"security_admin"}, False),
}

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


def _as(role: str) -> str:
    return "street" if role == "outsider" else role


def _places(role, pair):
    """(object, in the role's scope?) for the objects of `pair` the role is tested on."""
    inside, outside = pair
    if outside is None:
        return [(inside, True)]
    if role == "outsider":  # street B's admin
        inside, outside = outside, inside
    if role == "system_admin":
        return [(inside, True), (outside, True)]
    return [(inside, True), (outside, False)]


def _urls(model, obj=None):
    info = (model._meta.app_label, model._meta.model_name)
    if obj is None:
        return reverse("admin:{}_{}_add".format(*info))
    return (
        reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
        reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]),
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_write_matrix(client, world, model):
    made = specimens(world)
    pair = made[model]
    sees = SEES.get(model, BUSINESS_SEES)
    writers, deletable = WRITES.get(model, (set(), False))
    wrong = []

    def expect(what, response, status):
        if response.status_code != status:
            wrong.append(f"{role} {what}: {response.status_code}, expected {status}")

    for role in SITE_ROLES + NO_SITE_ROLES:
        user = world.users[role]
        client.force_login(user)
        before = fingerprint()
        sample = pair[0]
        add_url = _urls(model)
        if role in NO_SITE_ROLES:
            expect("add", client.post(add_url, form_data(sample, user)), 302)
            for obj, _in_scope in _places(role, pair):
                change, delete = _urls(model, obj)
                expect("change", client.post(change, form_data(obj, user)), 302)
                expect("delete", client.post(delete, {"post": "yes"}), 302)
        elif _as(role) in writers:
            expect("add (form)", client.get(add_url), 200)
            for obj, in_scope in _places(role, pair):
                change, delete = _urls(model, obj)
                if in_scope:
                    response = client.get(change)
                    expect("change (form)", response, 200)
                    if 'name="_save"' not in response.content.decode():
                        wrong.append(f"{role} change: no save button")
                    expect("delete (form)", client.get(delete), 200 if deletable else 403)
                else:
                    expect("change out of scope", client.post(change, form_data(obj, user)), 404)
                    expect("delete out of scope", client.post(delete, {"post": "yes"}), 404)
            if not deletable:
                change, delete = _urls(model, sample)
                expect("delete", client.post(delete, {"post": "yes"}), 403)
        else:
            expect("add", client.post(add_url, form_data(sample, user)), 403)
            for obj, in_scope in _places(role, pair):
                visible = _as(role) in sees and in_scope
                change, delete = _urls(model, obj)
                status = 403 if visible else 404
                changed = form_data(obj, user, _a_change(obj))
                expect(
                    f"change ({'in' if in_scope else 'out of'} scope)",
                    client.post(change, changed),
                    status,
                )
                expect(
                    f"delete ({'in' if in_scope else 'out of'} scope)",
                    client.post(delete, {"post": "yes"}),
                    status,
                )
                expect("view", client.get(change), 200 if visible else 404)
        if fingerprint() != before:
            wrong.append(f"{role}: a refused request wrote to the database")
        client.logout()
    assert not wrong, "\n".join(wrong)


def _a_change(obj) -> dict:
    """A harmless edit of the first free text field, so a successful save would show."""
    for field in obj._meta.concrete_fields:
        if (
            field.get_internal_type() == "CharField"
            and field.editable
            and not field.choices
            and not field.unique
        ):
            return {field.name: f"{field.value_from_object(obj) or ''}改"[: field.max_length]}
    return {}


def test_every_registered_model_has_a_row_in_the_matrix():
    """A model registered later must be placed in SEES / WRITES (or be business data)."""
    business = set(MODELS) - set(SEES) - set(WRITES)
    assert ImportJob in business and Resident not in business
    apps = {
        "alerts",
        "campaigns",
        "cases",
        "cobuild",
        "dashboards",
        "events",
        "fieldwork",
        "orgs",
        "partylife",
        "people",
        "regions",
        "stations",
        "volunteering",
    }
    for model in business:
        assert model._meta.app_label in apps


@pytest.mark.parametrize("model", sorted(set(MODELS) - set(WRITES) - {User}, key=str))
def test_street_admin_writes_no_business_object(client, world, model):
    """For every registered business ModelAdmin: no add, change or delete for a street admin,
    in its own street, even with a well-formed body."""
    made = specimens(world)
    inside = made[model][0]
    street = world.users["street"]
    client.force_login(street)
    before = fingerprint()
    change, delete = _urls(model, inside)
    assert client.post(_urls(model), form_data(inside, street)).status_code in (403, 404)
    assert client.post(change, form_data(inside, street, _a_change(inside))).status_code in (
        403,
        404,
    )
    assert client.post(delete, {"post": "yes"}).status_code in (403, 404)
    assert fingerprint() == before
