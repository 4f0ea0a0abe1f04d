from django import forms
from django.utils.translation import gettext_lazy as _

from communique.antispam.models import BlockedTerm


class BlockedTermForm(forms.ModelForm):
    class Meta:
        model = BlockedTerm
        fields = ["term", "action"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_term(self) -> str:
        term = self.cleaned_data["term"].strip()
        if BlockedTerm.objects.filter(term__iexact=term).exists():
            raise forms.ValidationError(
                _("“%(term)s” is on the list already."), params={"term": term}
            )
        return term
