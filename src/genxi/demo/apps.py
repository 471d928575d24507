from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The deterministic demo data (`genxi load_demo`, `genxi demo_logins`): the top layer,
    it may use every app and none uses it."""

    name = "genxi.demo"
    label = "demo"
    verbose_name = _("演示数据")
