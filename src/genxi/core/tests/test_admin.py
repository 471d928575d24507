"""The Django admin: scoped like the pages, audited like the services."""

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from genxi.cases.models import CalendarDay
from genxi.core.models import AuditEvent
from genxi.people.models import Membership


def test_admin_lists_are_scoped(client, world):
    inside = world.pioneer(world.grid_a1, "P-IN", "街内先锋")
    outside = world.pioneer(world.grid_b1, "P-OUT", "街外先锋")
    client.force_login(world.users["street"])
    body = client.get(reverse("admin:people_pioneer_changelist")).content.decode()
    assert "街内先锋" in body and "街外先锋" not in body
    url = reverse("admin:people_pioneer_change", args=[outside.pk])
    response = client.get(url)
    assert response.status_code == 404  # out of scope, as everywhere else
    assert client.get(reverse("admin:people_pioneer_change", args=[inside.pk])).status_code == 200


def test_admin_edits_are_audited(client, world):
    client.force_login(world.users["system_admin"])
    response = client.post(
        reverse("admin:cases_calendarday_add"),
        {"date": "2031-10-01", "name": "国庆节"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get(date="2031-10-01")
    url = reverse("admin:cases_calendarday_change", args=[day.pk])
    response = client.post(url, {"date": "2031-10-01", "name": "国庆"})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(verb="admin.calendarday.update")
    assert event.before == {"name": "国庆节"} and event.after == {"name": "国庆"}


def test_roles_reach_only_their_admin_pages(client, world):
    client.force_login(world.users["security_admin"])
    assert client.get(reverse("admin:people_user_changelist")).status_code == 200
    assert client.get(reverse("admin:people_resident_changelist")).status_code == 403
    client.force_login(world.users["street"])
    assert client.get(reverse("admin:people_user_changelist")).status_code == 403
    client.force_login(world.users["community"])
    assert client.get(reverse("admin:index")).status_code == 302  # no admin site for them


def test_security_admin_grants_roles_with_audit(client, world):
    user = world.users["norole"]
    client.force_login(world.users["security_admin"])
    url = reverse("admin:people_user_change", args=[user.pk])
    form = {
        "username": user.username,
        "display_name": "新同事",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-role": "community_worker",
        "memberships-0-region": world.a2.pk,
        "memberships-0-active": "on",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(user=user, role="community_worker", region=world.a2).exists()
    assert AuditEvent.objects.filter(verb="membership.grant").exists()


def test_the_admin_keeps_no_second_log(client, world):
    """Writes through the admin are in the audit log only: django_admin_log stays empty."""
    client.force_login(world.users["system_admin"])
    response = client.post(
        reverse("admin:cases_calendarday_add"), {"date": "2031-10-02", "name": "国庆节"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="admin.calendarday.create").exists()
    assert not LogEntry.objects.exists()


def test_the_admin_greets_an_account_by_its_name_not_its_login(client, world):
    user = world.users["street"]
    client.force_login(user)
    body = client.get(reverse("admin:index")).content.decode()
    assert f"<strong>{user}</strong>" in body
    assert f"<strong>{user.get_username()}</strong>" not in body
