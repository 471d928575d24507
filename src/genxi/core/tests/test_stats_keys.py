"""`genxi stats --json`: each key comes from one app (decision 0031)."""

from collections import Counter

from django.utils.module_loading import import_string

from genxi.core.stats import PROVIDERS
from genxi.regions.models import Region


def test_no_two_providers_answer_the_same_key(world):
    streets = list(Region.objects.filter(level="street"))
    keys: Counter[str] = Counter()
    for dotted in PROVIDERS:
        answered = import_string(dotted)(streets)
        keys.update({k for values in answered.values() for k in values})
    assert [k for k, n in keys.items() if n > 1] == []
