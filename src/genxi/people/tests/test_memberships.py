"""Roles are granted and revoked through one service, by the security admin only; no account
grants itself a role, and an admin role stands alone (the three administrators kept apart)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from genxi.core.models import AuditEvent
from genxi.core.roles import Role
from genxi.core.scope import scope_for
from genxi.people import services
from genxi.people.models import Membership, User


def user_form(user, new=(), delete=()):
    """The admin's change form of `user`: existing roles kept (or deleted), `new` added as
    (role, region, unit)."""
    existing = list(Membership.objects.filter(user=user).order_by("pk"))
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(existing) + len(new)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, membership in enumerate(existing):
        data[f"memberships-{i}-id"] = str(membership.pk)
        data[f"memberships-{i}-user"] = str(user.pk)
        if membership in delete:
            data[f"memberships-{i}-DELETE"] = "on"
    for j, (role, region, unit) in enumerate(new, start=len(existing)):
        data[f"memberships-{j}-user"] = str(user.pk)
        data[f"memberships-{j}-role"] = role
        data[f"memberships-{j}-region"] = str(region.pk) if region else ""
        data[f"memberships-{j}-unit"] = str(unit.pk) if unit else ""
    return data


def change_url(user):
    return reverse("admin:people_user_change", args=[user.pk])


# The reported attack -------------------------------------------------------------------


def test_security_admin_cannot_grant_itself_a_data_role_in_the_admin(client, world):
    security = world.users["security_admin"]
    world.resident(world.grid_a1, "秘密居民", phone="13912345678")
    client.force_login(security)
    response = client.post(
        change_url(security), user_form(security, new=[(Role.STREET_ADMIN, world.street_a, None)])
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert "不能给自己的账号授予或撤销角色" in response.content.decode()
    assert not Membership.objects.filter(user=security, role=Role.STREET_ADMIN).exists()
    assert not AuditEvent.objects.filter(verb="membership.grant").exists()
    api = client.get("/api/v1/residents")
    assert api.status_code != 200 or api.json()["count"] == 0
    assert "秘密居民" not in api.content.decode()


def test_no_account_grants_or_revokes_its_own_roles(world):
    security = world.users["security_admin"]
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=security, user=security, role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=security, membership=security.memberships.get())
    assert list(security.memberships.values_list("role", flat=True)) == [Role.SECURITY_ADMIN]


def test_security_admin_cannot_revoke_its_own_role_in_the_admin(client, world):
    security = world.users["security_admin"]
    own = security.memberships.get()
    client.force_login(security)
    response = client.post(change_url(security), user_form(security, delete=[own]))
    assert response.status_code == 200
    assert Membership.objects.filter(pk=own.pk).exists()
    assert not AuditEvent.objects.filter(verb="membership.revoke").exists()


# Who may grant -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["system_admin", "auditor", "street", "community"])
def test_only_the_security_admin_grants(world, who):
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=world.users[who], user=world.users["norole"], role=Role.GRID_WORKER,
            region=world.grid_a1,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.membership_revoke(
            actor=world.users[who], membership=world.users["grid"].memberships.get()
        )
    assert not Membership.objects.filter(user=world.users["norole"]).exists()
    assert world.users["grid"].memberships.exists()


# Admin roles stand alone ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("holder", "role", "region"),
    [
        ("system_admin", Role.STREET_ADMIN, "street_a"),  # admin + data
        ("security_admin", Role.COMMUNITY_WORKER, "a1"),
        ("auditor", Role.GRID_WORKER, "grid_a1"),
        ("street", Role.AUDITOR, None),  # data + admin
        ("community", Role.SYSTEM_ADMIN, None),
        ("auditor", Role.SECURITY_ADMIN, None),  # admin + admin
        ("system_admin", Role.AUDITOR, None),
        ("security_admin", Role.SYSTEM_ADMIN, None),
    ],
)
def test_an_admin_role_does_not_mix(world, holder, role, region):
    security = world.users["security_admin"]
    if holder == "security_admin":  # someone else holding the security admin role
        target = User.objects.create_user("sec2", password="x")
        services.membership_grant(actor=None, user=target, role=Role.SECURITY_ADMIN)
    else:
        target = world.users[holder]
    before = set(target.memberships.values_list("role", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.membership_grant(
            actor=security,
            user=target,
            role=role,
            region=getattr(world, region) if region else None,
        )
    assert "role" in exc.value.message_dict
    assert set(target.memberships.values_list("role", flat=True)) == before


def test_the_admin_form_refuses_the_mix(client, world):
    street = world.users["street"]
    client.force_login(world.users["security_admin"])
    response = client.post(change_url(street), user_form(street, new=[(Role.AUDITOR, None, None)]))
    assert response.status_code == 200
    assert "互斥" in response.content.decode()
    assert not Membership.objects.filter(user=street, role=Role.AUDITOR).exists()


def test_two_new_rows_cannot_make_the_mix_together(client, world):
    norole = world.users["norole"]
    client.force_login(world.users["security_admin"])
    form = user_form(
        norole, new=[(Role.SYSTEM_ADMIN, None, None), (Role.COMMUNITY_WORKER, world.a1, None)]
    )
    assert client.post(change_url(norole), form).status_code == 200
    assert not Membership.objects.filter(user=norole).exists()


def test_data_roles_combine(world):
    community = world.users["community"]
    services.membership_grant(
        actor=world.users["security_admin"],
        user=community,
        role=Role.GRID_WORKER,
        region=world.grid_a2,
    )
    assert set(community.memberships.values_list("role", flat=True)) == {
        Role.COMMUNITY_WORKER,
        Role.GRID_WORKER,
    }


def test_a_role_can_be_swapped_in_one_submission(client, world):
    """Revoking the data role and granting an admin role in the same form is allowed:
    revocations run first."""
    street = world.users["street"]
    client.force_login(world.users["security_admin"])
    form = user_form(
        street, new=[(Role.AUDITOR, None, None)], delete=list(street.memberships.all())
    )
    response = client.post(change_url(street), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(street.memberships.values_list("role", flat=True)) == [Role.AUDITOR]
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs.index("membership.revoke") < verbs.index("membership.grant")


# One service, audited ------------------------------------------------------------------


def test_grant_and_revoke_in_the_admin_go_through_the_service(client, world):
    norole = world.users["norole"]
    client.force_login(world.users["security_admin"])
    response = client.post(
        change_url(norole), user_form(norole, new=[(Role.STREET_ADMIN, world.street_a, None)])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user=norole)
    grant = AuditEvent.objects.get(verb="membership.grant")
    assert grant.actor == world.users["security_admin"]
    assert grant.after == {
        "user": "norole",
        "role": "street_admin",
        "region": world.street_a.code,
        "unit": None,
    }
    assert not AuditEvent.objects.filter(verb="admin.membership.create").exists()
    norole.refresh_from_db()
    assert norole.is_staff  # a street admin uses the admin site

    response = client.post(change_url(norole), user_form(norole, delete=[membership]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Membership.objects.filter(user=norole).exists()
    revoke = AuditEvent.objects.get(verb="membership.revoke")
    assert revoke.before["role"] == "street_admin" and revoke.target_id == str(membership.pk)
    norole.refresh_from_db()
    assert not norole.is_staff
    assert not scope_for(User.objects.get(pk=norole.pk)).roles


def test_a_grant_is_recorded_once(world):
    security = world.users["security_admin"]
    norole = world.users["norole"]
    first = services.membership_grant(
        actor=security, user=norole, role=Role.GRID_WORKER, region=world.grid_a1
    )
    again = services.membership_grant(
        actor=security, user=norole, role=Role.GRID_WORKER, region=world.grid_a1
    )
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(verb="membership.grant").count() == 1


def test_a_role_is_granted_where_it_applies(world):
    security = world.users["security_admin"]
    norole = world.users["norole"]
    with pytest.raises(ValidationError) as exc:
        services.membership_grant(
            actor=security, user=norole, role=Role.AUDITOR, region=world.street_a
        )
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.membership_grant(actor=security, user=norole, role=Role.COMMUNITY_WORKER)
    assert "region" in exc.value.message_dict
    unit = world.objs["unit_a"]
    with pytest.raises(ValidationError) as exc:  # a liaison's scope is its unit only
        services.membership_grant(
            actor=security, user=norole, role=Role.UNIT_LIAISON, unit=unit, region=world.street_a
        )
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.membership_grant(
            actor=security, user=norole, role=Role.GRID_WORKER, region=world.grid_a1, unit=unit
        )
    assert "unit" in exc.value.message_dict
    assert not Membership.objects.filter(user=norole).exists()


def test_accounts_are_not_deleted_in_the_admin(client, world):
    """Deleting an account would drop its roles without `membership.revoke`."""
    norole = world.users["norole"]
    client.force_login(world.users["security_admin"])
    url = reverse("admin:people_user_delete", args=[norole.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=norole.pk).exists()


def _race(calls):
    """Run each (actor, user, fields) grant in its own thread, all at once; the roles
    refused and any unexpected errors."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    refused, errors = [], []

    def grant(actor, user, fields):
        try:
            barrier.wait()
            services.membership_grant(actor=actor, user=user, **fields)
        except ValidationError:
            refused.append(fields["role"])
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=grant, args=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return refused, errors


@pytest.mark.django_db(transaction=True)
def test_two_grants_side_by_side_cannot_make_the_mix(world):
    """Two security admins grant an admin role and a data role to one account at the same
    moment: the lock on the account lets one through and refuses the other (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises every write)")
    second = User.objects.create_user("secadmin2", password="x")
    services.membership_grant(actor=None, user=second, role=Role.SECURITY_ADMIN)
    for n in range(6):
        target = User.objects.create_user(f"race{n}", password="x")
        refused, errors = _race(
            [
                (world.users["security_admin"], target, {"role": Role.SYSTEM_ADMIN}),
                (second, target, {"role": Role.STREET_ADMIN, "region": world.street_a}),
            ]
        )
        assert not errors, errors
        assert len(refused) == 1
        assert target.memberships.count() == 1


def test_setting_a_password_in_the_admin_is_recorded(client, world):
    norole = world.users["norole"]
    client.force_login(world.users["security_admin"])
    url = reverse("admin:auth_user_password_change", args=[norole.pk])
    body = {"password1": "Zh@ngSan-2031", "password2": "Zh@ngSan-2031", "usable_password": "true"}
    response = client.post(url, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(verb="user.set_password")
    assert event.actor == world.users["security_admin"] and event.target_id == str(norole.pk)
    assert "Zh@ngSan" not in str(event.before) + str(event.after)
