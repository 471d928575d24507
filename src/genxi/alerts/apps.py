from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "genxi.alerts"
    label = "alerts"
    verbose_name = _("预警")

    def ready(self) -> None:
        # Imported here: selectors need the models (Django's app loading).
        from genxi.core import related

        from .selectors import warnings_of_case

        related.register("cases.Case", warnings_of_case)
