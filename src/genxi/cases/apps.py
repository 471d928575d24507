from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "genxi.cases"
    label = "cases"
    verbose_name = _("民情诉求")

    def ready(self) -> None:
        # Imported here: forms need the models (Django's app loading).
        from genxi.core import related, saved_filters

        from .forms import QueueFilterForm
        from .selectors import split_links

        saved_filters.register("cases:queue", QueueFilterForm)
        related.register("cases.Case", split_links)
