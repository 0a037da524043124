"""A service's ValidationError shown on a form."""

from django import forms
from django.core.exceptions import ValidationError

from sabaq.core.forms import form_add_service_errors


class SampleForm(forms.Form):
    iin = forms.CharField(required=False)


def _bound_form() -> SampleForm:
    form = SampleForm({"iin": "1"})
    assert form.is_valid()
    return form


def test_error_for_a_field_of_the_form_appears_under_that_field():
    form = _bound_form()

    form_add_service_errors(form, ValidationError({"iin": ["Wrong IIN."]}))

    assert form.errors == {"iin": ["Wrong IIN."]}


def test_error_for_a_field_the_form_lacks_appears_above_the_form():
    form = _bound_form()

    form_add_service_errors(form, ValidationError({"login": ["Login taken."]}))

    assert form.non_field_errors() == ["Login taken."]
    assert "iin" not in form.errors


def test_error_without_a_field_appears_above_the_form():
    form = _bound_form()

    form_add_service_errors(form, ValidationError("Something is wrong."))

    assert form.non_field_errors() == ["Something is wrong."]
