from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "genxi.cadres"
    label = "cadres"
    verbose_name = _("干部培养")
