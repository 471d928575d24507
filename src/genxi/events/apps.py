from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "genxi.events"
    label = "events"
    verbose_name = _("周末社区")

    def ready(self) -> None:
        from genxi.core.media import PHOTO_KINDS, PhotoKind  # app loading: the photo kind

        PHOTO_KINDS["event"] = PhotoKind("events.EventPhoto", "events.Event", "event_id")
