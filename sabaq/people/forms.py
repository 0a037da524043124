from django import forms
from django.utils.translation import gettext_lazy as _

from sabaq.people.imports import MAX_UPLOAD_BYTES
from sabaq.people.models import (
    HealthGroup,
    QualificationCategory,
    Relation,
    Sex,
    SocialCategory,
)
from sabaq.schools.models import InstructionLanguage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


def _blank(first_label, choices) -> list:
    return [("", first_label), *choices]


class StudentFileForm(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=100)
    name = forms.CharField(label=_("Name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=20,
        required=False,
        help_text=_("12 digits. The date of birth and the sex are read from it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = _date(
        _("Date of birth"),
        required=False,
        help_text=_("Leave it empty when the IIN is given."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=_blank(_("From the IIN"), Sex.choices)
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "placeholder": "+7 7xx xxx xx xx"}
        ),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    citizenship = forms.CharField(label=_("Citizenship"), max_length=60, required=False)
    language = forms.ChoiceField(
        label=_("Language of instruction"),
        required=False,
        choices=_blank(_("Not set"), InstructionLanguage.choices),
    )
    health_group = forms.ChoiceField(
        label=_("Health group"), choices=HealthGroup.choices, initial=HealthGroup.BASIC
    )
    special_needs = forms.CharField(
        label=_("Special educational needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    social_category = forms.ChoiceField(
        label=_("Social category"), required=False, choices=SocialCategory.choices
    )
    file_number = forms.CharField(
        label=_("Personal file number"), max_length=32, required=False
    )
    admitted_on = _date(_("Admitted on"), required=False)
    admission_order = forms.CharField(
        label=_("Admission order No."), max_length=40, required=False
    )
    admitted_from = forms.CharField(
        label=_("Came from"),
        max_length=200,
        required=False,
        help_text=_("The previous school, if any."),
    )


class StudentAddForm(StudentFileForm):
    school_class = forms.ModelChoiceField(
        label=_("Class"),
        queryset=None,
        required=False,
        empty_label=_("No class yet"),
    )
    starts_on = _date(
        _("In the class from"),
        required=False,
        help_text=_("Today when left empty."),
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes


class EnrolForm(forms.Form):
    school_class = forms.ModelChoiceField(label=_("Class"), queryset=None)
    starts_on = _date(_("In the class from"))

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes


class TransferForm(forms.Form):
    transferred_on = _date(_("Leaves on"))
    order_number = forms.CharField(label=_("Order No."), max_length=40)
    destination = forms.ModelChoiceField(
        label=_("School on Sabaq"),
        queryset=None,
        required=False,
        empty_label=_("Not on Sabaq"),
        help_text=_("The student keeps their account and moves with their file."),
    )
    destination_name = forms.CharField(
        label=_("Or another destination"),
        max_length=200,
        required=False,
        help_text=_("A school outside Sabaq, another country, and so on."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = schools


class GuardianForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=20,
        required=False,
        help_text=_(
            "A person who already has an account on Sabaq is found by IIN and "
            "keeps their name and password."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    surname = forms.CharField(label=_("Surname"), max_length=100, required=False)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "placeholder": "+7 7xx xxx xx xx"}
        ),
    )


class StaffFileForm(forms.Form):
    position = forms.CharField(label=_("Position"), max_length=120)
    category = forms.ChoiceField(
        label=_("Qualification category"),
        required=False,
        choices=_blank(_("None"), QualificationCategory.choices),
    )
    category_given_on = _date(_("Category given on"), required=False)
    attestation_due_on = _date(
        _("Next attestation due"),
        required=False,
        help_text=_(
            "Leave it empty: 5 years after the category was given, 3 for the "
            "director and deputy heads. An earlier date may be set."
        ),
    )
    education = forms.CharField(
        label=_("Education"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Level, institution, speciality, diploma."),
    )
    subjects = forms.MultipleChoiceField(
        label=_("May teach"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    hired_on = _date(_("Hired on"), required=False)
    load_rate = forms.DecimalField(
        label=_("Weekly load (hours)"),
        max_digits=4,
        decimal_places=1,
        initial=16,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject_rows = {str(subject.pk): subject for subject in subjects}
        self.fields["subjects"].choices = [
            (str(subject.pk), subject.name) for subject in subjects
        ]

    def clean_subjects(self):
        return [self.subject_rows[pk] for pk in self.cleaned_data["subjects"]]


class StaffAddForm(StaffFileForm):
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

    field_order = ["surname", "name", "patronymic", "iin", "phone", "email"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Up to 5 MB, filled in from the template."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if name.endswith((".xls", ".csv", ".ods")):
            raise forms.ValidationError(
                _(
                    "This is not an .xlsx file. Open it in Excel, save it as "
                    "“Excel Workbook (.xlsx)” and choose it again."
                )
            )
        if not name.endswith(".xlsx"):
            raise forms.ValidationError(
                _("Choose an Excel file ending in .xlsx, made from the template.")
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB; split it into smaller files.")
            )
        data = upload.read()
        if not data.startswith(b"PK"):
            raise forms.ValidationError(
                _(
                    "This file is not a real Excel workbook even though its name "
                    "ends in .xlsx. Save it from Excel again."
                )
            )
        return data
