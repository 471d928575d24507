from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "genxi.fieldwork"
    label = "fieldwork"
    verbose_name = _("走访")

    def ready(self) -> None:
        from genxi.core.media import PHOTO_KINDS, PhotoKind  # Django's app loading

        from . import signals  # noqa: F401  # keeps households in step with the register

        PHOTO_KINDS["visit"] = PhotoKind("fieldwork.VisitPhoto", "fieldwork.Visit", "visit_id")
