"""Forms of the timetable pages.

Forms only parse what a person typed and offer the school's own choices;
every rule is checked by the services, whose errors come back on the fields
with `form_add_service_errors`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from sabaq.schools.alphabet import person_key
from sabaq.schools.forms import DateInput
from sabaq.schools.models import RoomKind
from sabaq.timetable.models import DEFAULT_MAX_WEEKLY_HOURS, MAX_HOURS
from sabaq.timetable.selectors import SCHOOL_DAYS, day_name


def person_choices(people) -> list[tuple[str, str]]:
    return [
        (str(person.pk), person.full_name) for person in sorted(people, key=person_key)
    ]


def slot_value(day: int, shift_id: int, period: int) -> str:
    return f"{day}:{shift_id}:{period}"


def slot_parse(value: str) -> tuple[int, int, int] | None:
    try:
        day, shift_id, period = (int(part) for part in value.split(":"))
    except (AttributeError, ValueError):
        return None
    return day, shift_id, period


def slot_choices(shifts) -> list[tuple[str, str]]:
    """Every lesson slot of the school week, «Monday, shift 1, lesson 3 (08:55)»."""
    choices = []
    for day in SCHOOL_DAYS:
        for shift in shifts:
            for period in shift.periods.all():
                choices.append(
                    (
                        slot_value(day, shift.pk, period.number),
                        _("%(day)s, shift %(shift)d, lesson %(period)d (%(start)s)")
                        % {
                            "day": day_name(day),
                            "shift": shift.number,
                            "period": period.number,
                            "start": period.starts_at.strftime("%H:%M"),
                        },
                    )
                )
    return choices


class LimitsForm(forms.Form):
    """The largest weekly load of each grade, one field per grade."""

    def __init__(self, *args, limits: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        for grade, default in DEFAULT_MAX_WEEKLY_HOURS.items():
            self.fields[f"grade_{grade}"] = forms.IntegerField(
                label=_("Grade %(grade)d") % {"grade": grade},
                min_value=1,
                max_value=MAX_HOURS * 2,
                required=False,
                initial=limits.get(grade, default),
                help_text=_("State standard: %(hours)d hours.") % {"hours": default},
            )

    def limits(self) -> dict[int, int | None]:
        return {
            grade: self.cleaned_data.get(f"grade_{grade}")
            for grade in DEFAULT_MAX_WEEKLY_HOURS
        }


class LoadLineForm(forms.Form):
    subject = forms.TypedChoiceField(label=_("Subject"), coerce=int)
    subgroup = forms.TypedChoiceField(
        label=_("Group"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty when the whole class has the lesson."),
    )
    hours = forms.IntegerField(
        label=_("Hours a week"), min_value=1, max_value=MAX_HOURS, initial=1
    )
    teacher = forms.TypedChoiceField(
        label=_("Teacher"), coerce=int, required=False, empty_value=None
    )
    room_kind = forms.ChoiceField(
        label=_("Needs a room of the kind"),
        choices=[("", _("Any room")), *list(RoomKind.choices)],
        required=False,
    )
    room = forms.TypedChoiceField(
        label=_("Preferred room"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args,
        subjects,
        subgroups,
        teachers,
        rooms,
        fixed_subject: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [
            (subject.pk, subject.name) for subject in subjects
        ]
        self.fields["subgroup"].choices = [("", _("Whole class"))] + [
            (group.pk, _("%(subject)s, group %(number)d")
             % {"subject": group.subject.name, "number": group.number})
            for group in subgroups
        ]  # fmt: skip
        self.fields["teacher"].choices = [
            ("", _("Not chosen yet")),
            *person_choices(teachers),
        ]
        self.fields["room"].choices = [("", _("No preference"))] + [
            (room.pk, room.name) for room in rooms
        ]
        if fixed_subject:
            del self.fields["subject"]
            del self.fields["subgroup"]


class VersionCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, required=False)
    copy_from = forms.TypedChoiceField(
        label=_("Start from"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].choices = [("", _("An empty week"))] + [
            (version.pk, str(version)) for version in versions
        ]


class PublishForm(forms.Form):
    takes_effect_on = forms.DateField(label=_("Takes effect on"), widget=DateInput())


class SlotForm(forms.Form):
    """Where a lesson goes: a slot of the week and a room."""

    slot = forms.ChoiceField(label=_("Day and lesson"))
    room = forms.TypedChoiceField(
        label=_("Room"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, shifts, rooms, room_help="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slot_choices(shifts)
        self.fields["room"].choices = [("", _("No room"))] + [
            (room.pk, room.name) for room in rooms
        ]
        if room_help:
            self.fields["room"].help_text = room_help

    def clean_slot(self):
        parsed = slot_parse(self.cleaned_data["slot"])
        if parsed is None:
            raise forms.ValidationError(_("Choose a day and a lesson from the list."))
        return parsed


class AbsenceForm(forms.Form):
    teacher = forms.TypedChoiceField(label=_("Teacher"), coerce=int)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Seen only by the school's heads, for example: sick leave."),
    )

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = person_choices(teachers)


class LessonChangeForm(forms.Form):
    substitute = forms.TypedChoiceField(
        label=_("Substitute"), coerce=int, required=False, empty_value=None
    )
    room = forms.TypedChoiceField(
        label=_("Room for the day"), coerce=int, required=False, empty_value=None
    )
    is_cancelled = forms.BooleanField(label=_("Cancel the lesson"), required=False)
    note = forms.CharField(
        label=_("Note for the class"),
        max_length=200,
        required=False,
        help_text=_("Shown to the class and its parents with the change."),
    )

    def __init__(self, *args, substitutes, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].choices = [
            ("", _("Nobody: the lesson keeps its teacher")),
            *person_choices(substitutes),
        ]
        self.fields["room"].choices = [("", _("Its usual room"))] + [
            (room.pk, room.name) for room in rooms
        ]
