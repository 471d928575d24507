from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "genxi.campaigns"
    label = "campaigns"
    verbose_name = _("主题宣传")
