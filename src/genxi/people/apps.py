from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "genxi.people"
    label = "people"
    verbose_name = _("人员")

    def ready(self) -> None:
        # Imported here, not at the top: selectors need the models (Django's app loading).
        from genxi.core import saved_filters
        from genxi.regions import panels

        from .forms import PioneerFilterForm, ResidentFilterForm
        from .selectors import grid_pioneers

        panels.register(panels.Panel("people/region_pioneers.html", grid_pioneers))
        saved_filters.register("people:pioneers", PioneerFilterForm)
        saved_filters.register("people:residents", ResidentFilterForm)
