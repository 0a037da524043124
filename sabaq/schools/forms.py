"""Forms of the school-structure pages.

Forms only parse what a person typed; every rule is checked by the services,
whose errors come back on the fields with `form_add_service_errors`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from sabaq.schools.models import (
    HolidayKind,
    InstructionLanguage,
    RoomKind,
    SubjectArea,
)

GRADE_CHOICES = [(grade, str(grade)) for grade in range(13)]
BELL_ROWS = 10
"""How many lessons a bell schedule form offers."""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


class YearForm(forms.Form):
    """A year's first and last day and its four quarters."""

    starts_on = _date_field(_("First day of the school year"))
    ends_on = _date_field(_("Last day of the school year"))
    q1_starts_on = _date_field(_("Quarter 1 starts"))
    q1_ends_on = _date_field(_("Quarter 1 ends"))
    q2_starts_on = _date_field(_("Quarter 2 starts"))
    q2_ends_on = _date_field(_("Quarter 2 ends"))
    q3_starts_on = _date_field(_("Quarter 3 starts"))
    q3_ends_on = _date_field(_("Quarter 3 ends"))
    q4_starts_on = _date_field(_("Quarter 4 starts"))
    q4_ends_on = _date_field(_("Quarter 4 ends"))

    def year_fields(self):
        return [self["starts_on"], self["ends_on"]]

    def quarter_rows(self):
        """Each quarter's two fields, for a template that shows them side by side."""
        return [
            (number, self[f"q{number}_starts_on"], self[f"q{number}_ends_on"])
            for number in range(1, 5)
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "quarters": [
                (data[f"q{n}_starts_on"], data[f"q{n}_ends_on"]) for n in range(1, 5)
            ],
        }

    @staticmethod
    def initial_for(year) -> dict:
        initial = {"starts_on": year.starts_on, "ends_on": year.ends_on}
        for quarter in year.quarters.all():
            initial[f"q{quarter.number}_starts_on"] = quarter.starts_on
            initial[f"q{quarter.number}_ends_on"] = quarter.ends_on
        return initial


class RolloverForm(YearForm):
    confirm = forms.BooleanField(
        label=_(
            "I have read what will happen, and I want to prepare the next year "
            "and close this one."
        )
    )


class HolidayForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=HolidayKind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("Optional; without it the kind is shown."),
    )
    starts_on = _date_field(_("First day"))
    ends_on = _date_field(_("Last day"))
    grades = forms.TypedMultipleChoiceField(
        label=_("Only for these grades"),
        choices=GRADE_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick nothing for a holiday of every grade."),
    )


class LessonLengthForm(forms.Form):
    grade_from = forms.TypedChoiceField(
        label=_("From grade"), choices=GRADE_CHOICES, coerce=int, initial=1
    )
    grade_to = forms.TypedChoiceField(
        label=_("To grade"), choices=GRADE_CHOICES, coerce=int, initial=1
    )
    starts_on = _date_field(_("From"))
    ends_on = _date_field(_("To"))
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=10, max_value=90, initial=35
    )


def bell_form_class(rows: int = BELL_ROWS) -> type[forms.Form]:
    """A form with a start and an end time for lessons 1 to `rows`."""
    fields = {}
    for number in range(1, rows + 1):
        fields[f"period_{number}_starts_at"] = forms.TimeField(
            label=_("Lesson %(number)d starts") % {"number": number},
            required=False,
            widget=TimeInput(),
        )
        fields[f"period_{number}_ends_at"] = forms.TimeField(
            label=_("Lesson %(number)d ends") % {"number": number},
            required=False,
            widget=TimeInput(),
        )
    return type("BellScheduleForm", (BellScheduleBase,), fields)


class BellScheduleBase(forms.Form):
    def rows(self):
        count = len(self.fields) // 2
        return [
            (n, self[f"period_{n}_starts_at"], self[f"period_{n}_ends_at"])
            for n in range(1, count + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        periods = []
        blank_seen = None
        for number, start, end in self.rows():
            starts_at = cleaned.get(start.name)
            ends_at = cleaned.get(end.name)
            if starts_at is None and ends_at is None:
                blank_seen = blank_seen or number
                continue
            if starts_at is None or ends_at is None:
                self.add_error(
                    start.name if starts_at is None else end.name,
                    _("Enter both times of lesson %(number)d.") % {"number": number},
                )
                continue
            if blank_seen is not None:
                self.add_error(
                    start.name,
                    _("Fill in lesson %(number)d first; lessons are numbered in order.")
                    % {"number": blank_seen},
                )
                continue
            periods.append((starts_at, ends_at))
        cleaned["periods"] = periods
        return cleaned

    @staticmethod
    def initial_for(shift) -> dict:
        initial = {}
        for period in shift.periods.all():
            initial[f"period_{period.number}_starts_at"] = period.starts_at
            initial[f"period_{period.number}_ends_at"] = period.ends_at
        return initial


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoomKind.choices)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    shifts = forms.ModelMultipleChoiceField(
        label=_("Shifts it serves"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, shifts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shifts"].queryset = shifts


class SubjectForm(forms.Form):
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=120)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=120)
    name_en = forms.CharField(
        label=_("Name in English"), max_length=120, required=False
    )
    area = forms.ChoiceField(
        label=_("Area"),
        choices=SubjectArea.choices,
        initial=SubjectArea.OTHER,
        help_text=_("The area decides whether Sabaq suggests splitting classes."),
    )
    grade_from = forms.TypedChoiceField(
        label=_("From grade"), choices=GRADE_CHOICES, coerce=int, initial=1
    )
    grade_to = forms.TypedChoiceField(
        label=_("To grade"), choices=GRADE_CHOICES, coerce=int, initial=11
    )


class SubjectPickForm(forms.Form):
    subjects = forms.ModelMultipleChoiceField(
        label=_("Subjects the school teaches"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = subjects


class ClassForm(forms.Form):
    grade = forms.TypedChoiceField(label=_("Grade"), choices=GRADE_CHOICES, coerce=int)
    letter = forms.CharField(
        label=_("Letter"),
        max_length=1,
        help_text=_("One letter of the Kazakh alphabet: А, Ә, Б, В, Г, Ғ…"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
    )
    language = forms.ChoiceField(
        label=_("Language of instruction"), choices=InstructionLanguage.choices
    )
    shift = forms.ModelChoiceField(label=_("Shift"), queryset=None)
    class_teacher = forms.ModelChoiceField(
        label=_("Class teacher"), queryset=None, required=False
    )
    home_room = forms.ModelChoiceField(
        label=_("Home room"), queryset=None, required=False
    )

    def __init__(self, *args, shifts, teachers, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = shifts
        self.fields["class_teacher"].queryset = teachers
        self.fields["class_teacher"].label_from_instance = lambda p: p.full_name
        self.fields["home_room"].queryset = rooms


class SplitForm(forms.Form):
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=None)
    groups = forms.TypedChoiceField(
        label=_("Number of groups"),
        choices=[(n, str(n)) for n in range(2, 7)],
        coerce=int,
        initial=2,
    )
    on_date = _date_field(_("Groups start on"))

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects


class SubgroupTeachersForm(forms.Form):
    """One teacher field per group of a split: `teacher_<subgroup id>`."""

    def __init__(self, *args, groups, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        for group in groups:
            field = forms.ModelChoiceField(
                label=_("Group %(number)d teacher") % {"number": group.number},
                queryset=teachers,
                required=False,
                initial=group.teacher_id,
            )
            field.label_from_instance = lambda p: p.full_name
            self.fields[f"teacher_{group.pk}"] = field

    def teachers(self):
        return [
            (group, self.cleaned_data.get(f"teacher_{group.pk}"))
            for group in self.groups
        ]


class SubgroupMembersForm(forms.Form):
    """A group choice per student of the class: `student_<user id>`."""

    on_date = _date_field(_("Changes apply from"))

    def __init__(self, *args, groups, students, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in groups}
        self.students = students
        choices = [("", _("No group"))] + [
            (str(group.pk), _("Group %(number)d") % {"number": group.number})
            for group in groups
        ]
        for student in students:
            placed = current.get(student.pk)
            self.fields[f"student_{student.pk}"] = forms.ChoiceField(
                label=student.full_name,
                choices=choices,
                required=False,
                initial=str(placed.pk) if placed else "",
            )

    def student_rows(self):
        return [(student, self[f"student_{student.pk}"]) for student in self.students]

    def changes(self, current) -> dict:
        """Students whose chosen group (None: no group) differs from theirs."""
        changed = {}
        for student in self.students:
            chosen = self.groups.get(self.cleaned_data.get(f"student_{student.pk}", ""))
            placed = current.get(student.pk)
            if (chosen.pk if chosen else None) != (placed.pk if placed else None):
                changed[student] = chosen
        return changed
