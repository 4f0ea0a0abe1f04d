from django import forms

from communique.antispam.models import BlockedTerm


class BlockedTermForm(forms.ModelForm):
    class Meta:
        model = BlockedTerm
        fields = ["term", "action"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_term(self) -> str:
        return self.cleaned_data["term"].strip()
