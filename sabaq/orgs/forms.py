from django import forms
from django.utils.translation import gettext_lazy as _


class OrganisationForm(forms.Form):
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=200)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=200)
    name_en = forms.CharField(
        label=_("Name in English"), max_length=200, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
