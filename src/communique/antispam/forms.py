from django import forms
from django.utils.translation import gettext_lazy as _

from communique.antispam.models import BlockedTerm
from communique.textformats import skeleton_for_matching


class BlockedTermForm(forms.ModelForm):
    class Meta:
        model = BlockedTerm
        fields = ["term", "action"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_term(self) -> str:
        """The term, unless it matches nothing or what a listed term matches."""
        term = self.cleaned_data["term"].strip()
        folded = skeleton_for_matching(term)
        if not folded:
            raise forms.ValidationError(
                _(
                    "Enter letters, digits or signs to match: marks, kashida "
                    "and invisible characters alone are ignored."
                ),
                code="nothing_to_match",
            )
        for listed in BlockedTerm.objects.values_list("term", flat=True):
            if skeleton_for_matching(listed) == folded:
                raise forms.ValidationError(
                    _("“%(term)s” is on the list already."),
                    code="listed",
                    params={"term": listed},
                )
        return term
