from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "genxi.notices"
    label = "notices"
    verbose_name = _("公告")

    def ready(self) -> None:
        from genxi.core import sms  # app loading: the outbox's hooks for the notices' texts

        from . import services

        sms.register(services.SMS_PURPOSE, guard=services.sms_guard, settled=services.sms_settled)
