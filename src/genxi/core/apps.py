from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "genxi.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        # Imported here, not at the top: they need every app's models (Django's app loading).
        from django.utils.module_loading import autodiscover_modules

        from . import checks, signals  # noqa: F401  (deploy checks; logins in the audit log)

        autodiscover_modules("audit_verbs")  # each app's verbs and their words
        from .admin import keep_own_models_only

        keep_own_models_only()  # after the admin's autodiscovery (its app comes first)
