"""Django's widgets, as genxi renders them (templates/django/forms/)."""

from django import forms
from django.utils import translation

from genxi.regions.models import Region


def test_an_empty_choice_reads_as_a_word_not_dashes(db):
    """A required select's empty choice asks for one (请选择); an optional one's says that
    leaving it is an answer too ((不指定))."""

    class Pick(forms.Form):
        place = forms.ModelChoiceField(queryset=Region.objects.none())
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")])
        parent = forms.ModelChoiceField(queryset=Region.objects.none(), required=False)

    with translation.override("zh-hans"):
        html = str(Pick())
    assert "---------" not in html
    assert html.count('<option value="" selected>请选择</option>') == 2
    assert html.count('<option value="" selected>(不指定)</option>') == 1
    with translation.override("en"):
        assert '<option value="" selected>Choose</option>' in str(Pick())
