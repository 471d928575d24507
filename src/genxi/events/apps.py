from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "genxi.events"
    label = "events"
    verbose_name = _("周末社区")

    def ready(self) -> None:
        from genxi.core.media import PHOTO_KINDS, PhotoKind  # app loading: the photo kind

        PHOTO_KINDS["event"] = PhotoKind("events.EventPhoto", "events.Event", "event_id")
        from genxi.core import sms  # app loading: the outbox's hook for the registrants' texts

        from .models import TextMessage

        def settled(row) -> None:
            if row.status == "sent" and row.subject_id is not None:
                TextMessage.objects.filter(pk=row.subject_id).update(sent_at=row.sent_at)

        sms.register("event.text", settled=settled)
