"""Train the category suggestions now (deploy, demo): the same step the worker runs."""

from django.core.management.base import BaseCommand

from genxi.cases import suggestions


class Command(BaseCommand):
    help = "训练诉求分类建议模型(评测集上不比现用模型差才启用)"

    def handle(self, *args, **options):
        saved = suggestions.retrain(force=True)
        self.stdout.write(f"v{saved.pk}: {saved.note}")
