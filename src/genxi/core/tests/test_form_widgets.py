"""Django's widgets, as genxi renders them (templates/django/forms/)."""

from django import forms
from django.utils import translation

from genxi.regions.models import Region


def test_an_empty_choice_reads_as_a_word_not_dashes(db):
    class Pick(forms.Form):
        place = forms.ModelChoiceField(queryset=Region.objects.none(), required=False)
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")], required=False)

    with translation.override("zh-hans"):
        html = str(Pick())
    assert "---------" not in html
    assert html.count('<option value="" selected>请选择</option>') == 2
    with translation.override("en"):
        assert '<option value="" selected>Choose</option>' in str(Pick())
