from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartylifeConfig(AppConfig):
    name = "genxi.partylife"
    label = "partylife"
    verbose_name = _("党员生活")

    def ready(self) -> None:
        from genxi.core import related  # app loading: the lower pages' related links

        from . import links

        for label, _words in links.PRACTICE_KINDS.values():
            related.register(label, links.practice_sessions_for)
        related.register("people.Pioneer", links.memberships_for)
        related.register("people.Resident", links.memberships_for)
