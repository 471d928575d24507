from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "genxi.notices"
    label = "notices"
    verbose_name = _("公告")

    def ready(self) -> None:
        from genxi.core import sms  # app loading: the outbox's hooks for the notices' texts
        from genxi.core.media import PHOTO_KINDS, PhotoKind  # and the pictures' scoped view

        from . import services

        PHOTO_KINDS["notice"] = PhotoKind(
            "notices.AnnouncementImage", "notices.Announcement", "notice_id"
        )
        sms.register(services.SMS_PURPOSE, guard=services.sms_guard, settled=services.sms_settled)
