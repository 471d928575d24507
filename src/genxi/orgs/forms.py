from django import forms

from .models import UnitKind


class UnitFilterForm(forms.Form):
    """The partner units' list's GET filters as a saved filter keeps them
    (core/saved_filters.py): the kind, a paired community's code and the search text."""

    kind = forms.ChoiceField(choices=UnitKind.choices, required=False)
    community = forms.RegexField(regex=r"^\d{12}$", required=False)
    q = forms.CharField(max_length=100, required=False)
