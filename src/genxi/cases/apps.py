from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "genxi.cases"
    label = "cases"
    verbose_name = _("民情诉求")

    def ready(self) -> None:
        # Imported here: forms need the models (Django's app loading).
        from django.db.models.signals import post_delete, post_save

        from genxi.core import related, saved_filters
        from genxi.people.models import Pioneer, User

        from .forms import QueueFilterForm
        from .models import Category, RoutingRule
        from .routing import rules_memo
        from .selectors import category_memo, split_links

        saved_filters.register("cases:queue", QueueFilterForm)
        related.register("cases.Case", split_links)
        # Intake takes an auto-routed case's category and its routing rules from this
        # process's copies: a change saved here is seen at once (other processes within the
        # copies' lifetimes, 60 s and 5 s).
        for signal in (post_save, post_delete):
            for sender, memo in (
                (Category, category_memo),
                (RoutingRule, rules_memo),
                (Pioneer, rules_memo),
                (User, rules_memo),
            ):
                signal.connect(
                    lambda memo=memo, **_: memo.clear(),
                    sender=sender,
                    weak=False,
                    dispatch_uid=f"cases.memo.{sender.__name__}.{signal is post_save}",
                )
