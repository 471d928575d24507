"""Personal API tokens: they expire, their owners and the security admin list and revoke
them (page and `genxi token revoke`), and admin roles get none (docs/security.md)."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from genxi.core import services
from genxi.core.models import ApiToken, AuditEvent
from genxi.core.roles import Role
from genxi.people.models import Membership


def _token(username: str, *args: str) -> str:
    out = StringIO()
    call_command("token", "create", username, *args, stdout=out)
    return out.getvalue().strip()


def _get(client, raw: str):
    return client.get("/api/v1/grids", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_expires_after_the_configured_days(client, world, settings):
    raw = _token("street")
    token = ApiToken.objects.get(digest=ApiToken.hash(raw))
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    settings.GENXI_API_TOKEN_DAYS = 7
    short = ApiToken.objects.get(digest=ApiToken.hash(_token("community", "--name", "bot")))
    assert abs(short.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    with pytest.raises(CommandError, match="7"):
        _token("community", "--days", "8")
    assert _get(client, raw).status_code == 200
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert _get(client, raw).status_code == 401
    listing = StringIO()
    call_command("token", "list", "street", stdout=listing)
    assert token.prefix in listing.getvalue() and "expired" in listing.getvalue()


def test_a_cached_answer_does_not_outlive_the_tokens_expiry(client, world, monkeypatch):
    raw = _token("street")
    start = timezone.now()
    ApiToken.objects.update(expires_at=start + timedelta(seconds=1))  # bulk: no signal
    assert _get(client, raw).status_code == 200  # cached now
    later, moment = time.monotonic() + 2, start + timedelta(seconds=2)
    monkeypatch.setattr(services.token_memo, "clock", lambda: later)
    monkeypatch.setattr(services.timezone, "now", lambda: moment)
    assert _get(client, raw).status_code == 401


def test_revoke_command_by_prefix_or_id_drops_the_cache_at_once(client, world):
    raw, other = _token("street"), _token("community")
    assert _get(client, raw).status_code == 200  # warm the cache
    token = ApiToken.objects.get(digest=ApiToken.hash(raw))
    out = StringIO()
    call_command("token", "revoke", token.prefix, stdout=out)
    assert "street" in out.getvalue()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _get(client, raw).status_code == 401  # no 5-second window in this process
    event = AuditEvent.objects.get(verb="api_token.revoke")
    assert event.target_id == str(token.pk) and event.before == {"revoked_at": None}
    assert raw not in repr(event.after)
    with pytest.raises(CommandError):
        call_command("token", "revoke", token.prefix, stdout=StringIO())  # already revoked
    with pytest.raises(CommandError):
        call_command("token", "revoke", "gx_nothere", stdout=StringIO())
    second = ApiToken.objects.get(digest=ApiToken.hash(other))
    call_command("token", "revoke", str(second.pk), stdout=StringIO())
    assert _get(client, other).status_code == 401
    assert AuditEvent.objects.filter(verb="api_token.create").count() == 2


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "auditor"])
def test_admin_roles_get_no_token(client, world, role):
    user = world.users[role]
    with pytest.raises(CommandError, match="API"):
        _token(user.username)
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=user, user=user, name="mine")
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_token_stops_working_when_its_user_gets_an_admin_role(client, world):
    raw = _token("community")
    assert _get(client, raw).status_code == 200
    Membership.objects.create(user=world.users["community"], role=Role.AUDITOR)
    assert _get(client, raw).status_code == 401


def test_tokens_are_made_for_oneself_only(world):
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=world.users["street"], user=world.users["community"])
    with pytest.raises(ValidationError) as err:
        services.api_token_create(actor=None, user=world.users["street"], name="x" * 101)
    assert "name" in err.value.message_dict


def test_owner_lists_and_revokes_own_tokens_only(client, world):
    mine, theirs = _token("community", "--name", "巡查小程序"), _token("street")
    own = ApiToken.objects.get(digest=ApiToken.hash(mine))
    other = ApiToken.objects.get(digest=ApiToken.hash(theirs))
    client.force_login(world.users["community"])
    page = client.get(reverse("api_tokens"))
    assert page.status_code == 200
    html = page.content.decode()
    assert own.prefix in html and "巡查小程序" in html and other.prefix not in html
    assert mine not in html
    assert reverse("api_tokens") in client.get(reverse("home")).content.decode()  # menu link
    # Someone else's token does not exist for this user.
    assert client.get(reverse("api_token_revoke", args=[other.pk])).status_code == 404
    assert client.post(reverse("api_token_revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    # Revoking asks first (GET changes nothing), then revokes on POST.
    confirm = client.get(reverse("api_token_revoke", args=[own.pk]))
    assert confirm.status_code == 200 and "revoke-form" in confirm.content.decode()
    own.refresh_from_db()
    assert own.revoked_at is None
    response = client.post(reverse("api_token_revoke", args=[own.pk]))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.revoked_at is not None
    assert AuditEvent.objects.get(verb="api_token.revoke").actor == world.users["community"]
    client.logout()
    assert _get(client, mine).status_code == 401


def test_security_admin_sees_and_revokes_every_users_tokens(client, world):
    raw = _token("street", "--name", "12345 对接")
    token = ApiToken.objects.get(digest=ApiToken.hash(raw))
    _token("community")
    client.force_login(world.users["security_admin"])
    html = client.get(reverse("api_tokens")).content.decode()
    assert html.count('class="token"') == 2
    # Each by the name a person reads (these accounts have none: their posts), not the login.
    owners = (str(world.users["street"]), str(world.users["community"]))
    assert all(owner in html for owner in owners) and raw not in html
    client.post(reverse("api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    # A liaison (no account management) sees nobody else's.
    client.force_login(world.users["unit"])
    assert 'class="token"' not in client.get(reverse("api_tokens")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_tokens_ninety_days():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    target = next(k for k in executor.loader.graph.nodes if k[1].endswith("apitoken_expiry"))
    before = executor.loader.graph.node_map[target].parents
    previous = next(p.key for p in before if p.key[0] == "core")
    executor.migrate([previous])
    old_apps = executor.loader.project_state(previous).apps
    user_model = old_apps.get_model("people", "User")
    user = user_model.objects.create(username="legacy", password="!")
    token_model = old_apps.get_model("core", "ApiToken")
    token = token_model.objects.create(user=user, prefix="gx_legacy", digest="d" * 64)
    created = token_model.objects.get(pk=token.pk).created_at
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    migrated = ApiToken.objects.get(pk=token.pk)
    assert migrated.expires_at == created + timedelta(days=90)


def test_revoking_a_revoked_token_is_the_page_again_with_the_reason(client, world):
    """A refusal is not a flash message after a redirect: the confirmation page answers 400
    with the reason, and nothing is written."""
    raw = _token("community")
    token = ApiToken.objects.get(digest=ApiToken.hash(raw))
    services.api_token_revoke(actor=None, token=token)
    token.refresh_from_db()
    revoked_at = token.revoked_at
    client.force_login(world.users["community"])
    events = AuditEvent.objects.count()
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 400
    assert '<div data-error-for="form">该令牌已吊销。</div>' in response.content.decode()
    assert not list(response.context["messages"])
    token.refresh_from_db()
    assert token.revoked_at == revoked_at and AuditEvent.objects.count() == events
