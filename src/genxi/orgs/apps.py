from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "genxi.orgs"
    label = "orgs"
    verbose_name = _("党组织与共建单位")

    def ready(self) -> None:
        # Imported here: forms need the models (Django's app loading).
        from genxi.core import saved_filters

        from .forms import UnitFilterForm

        saved_filters.register("orgs:units", UnitFilterForm)
