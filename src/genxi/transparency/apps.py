from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "genxi.transparency"
    label = "transparency"
    verbose_name = _("政务公开")
