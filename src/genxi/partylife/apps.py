from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartylifeConfig(AppConfig):
    name = "genxi.partylife"
    label = "partylife"
    verbose_name = _("党员生活")

    def ready(self) -> None:
        from genxi.core import related  # app loading: the lower pages' related links

        from . import links

        related.register(links.practice_sessions_for)
        related.register(links.memberships_for)
