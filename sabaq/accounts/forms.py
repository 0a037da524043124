from django import forms
from django.utils.translation import gettext_lazy as _

from sabaq.accounts.models import SCHOOL_ROLES, Language, Role


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Login or IIN"),
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "autofocus": True,
            }
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 8 characters; not only digits; not like your name."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first = cleaned.get("new_password")
        second = cleaned.get("new_password_again")
        if first and second and first != second:
            self.add_error("new_password_again", _("The two new passwords differ."))
        return cleaned


class PersonForm(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=100)
    name = forms.CharField(label=_("Name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=20,
        required=False,
        help_text=_("12 digits. A person who already has an account is found by IIN."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "placeholder": "+7 7xx xxx xx xx"}
        ),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, initial=Language.KAZAKH
    )


SCHOOL_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in SCHOOL_ROLES]
FIRST_ADMIN_ROLE_CHOICES = [
    (Role.DIRECTOR.value, Role.DIRECTOR.label),
    (Role.DEPUTY_HEAD.value, Role.DEPUTY_HEAD.label),
]


class PersonCreateForm(PersonForm):
    role = forms.ChoiceField(label=_("Role"), choices=SCHOOL_ROLE_CHOICES)

    field_order = ["role", "surname", "name", "patronymic", "iin", "phone", "email"]

    def __init__(self, *args, role_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if role_choices is not None:
            self.fields["role"].choices = role_choices


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices)
    next = forms.CharField(required=False)
