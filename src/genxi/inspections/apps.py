from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "genxi.inspections"
    label = "inspections"
    verbose_name = _("检查整改")

    def ready(self) -> None:
        # Imported here: selectors need the models (Django's app loading).
        from genxi.core import related

        from .selectors import notices_of_case

        related.register("cases.Case", notices_of_case)
