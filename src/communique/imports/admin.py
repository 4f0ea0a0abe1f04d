from django import forms
from django.contrib import admin

from communique.imports.addresses import normalise
from communique.imports.models import OldAddress


class OldAddressForm(forms.ModelForm):
    class Meta:
        model = OldAddress
        fields = ("address", "statement", "comment", "source")

    def clean_address(self) -> str:
        # Kept as it is looked up: "https://old.example.org/node/5/" is "/node/5".
        return normalise(self.cleaned_data["address"])


@admin.register(OldAddress)
class OldAddressAdmin(admin.ModelAdmin):
    form = OldAddressForm
    list_display = ("address", "statement", "comment", "source", "created")
    list_filter = ("source",)
    search_fields = ("address", "statement__title")
    raw_id_fields = ("statement", "comment")
    readonly_fields = ("created",)
