"""Sign-ins and sign-outs go into the audit log; changes to tokens, users and memberships
drop cached API authentications (Django tells us of both through signals)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import audit
from .services import api_tokens_forget


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    with transaction.atomic():
        audit.record(actor=user, verb="auth.login", target=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            audit.record(actor=user, verb="auth.logout", target=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        audit.record(actor=None, verb="auth.login_failed", target_label=username)


# A cached API authentication (token → user and scope) must not outlive a change to the
# token, the user or their memberships.
@receiver(post_save, sender="core.ApiToken")
@receiver(post_delete, sender="core.ApiToken")
@receiver(post_save, sender="people.User")
@receiver(post_save, sender="people.Membership")
@receiver(post_delete, sender="people.Membership")
def _forget_api_auth(sender, instance, **kwargs):
    user_id = instance.pk if sender._meta.model_name == "user" else instance.user_id
    if user_id is not None:
        api_tokens_forget(user_id)
