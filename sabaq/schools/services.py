"""Writes about a school's frame: school years and their calendars, shifts and
bells, rooms, subjects, classes, subgroups, and the year rollover.

Only the school's director and deputy heads change any of it. A closed year
stays readable, and every service here refuses to change anything in it.
"""

import datetime
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model, ProtectedError, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sabaq.accounts.models import SCHOOL_ADMIN_ROLES, Membership, Role, User
from sabaq.core.services import audit_actions_register, audit_record, snapshot
from sabaq.people.models import Enrolment
from sabaq.people.selectors import class_students
from sabaq.people.services import enrolment_add
from sabaq.schools import selectors
from sabaq.schools.alphabet import person_key
from sabaq.schools.models import (
    CLASS_LETTERS,
    Holiday,
    HolidayKind,
    InstructionLanguage,
    LessonLength,
    Period,
    Quarter,
    Room,
    RoomKind,
    SchoolClass,
    SchoolSubject,
    SchoolYear,
    Shift,
    Subgroup,
    SubgroupMember,
    Subject,
    SubjectArea,
    YearStatus,
)
from sabaq.schools.presets import PRESETS

logger = logging.getLogger(__name__)

audit_actions_register(
    {
        "schools.year_create": gettext_lazy("School year created"),
        "schools.year_update": gettext_lazy("School year dates changed"),
        "schools.year_close": gettext_lazy("School year closed"),
        "schools.year_rollover": gettext_lazy("Next school year prepared"),
        "schools.holiday_add": gettext_lazy("Holiday added"),
        "schools.holiday_update": gettext_lazy("Holiday changed"),
        "schools.holiday_remove": gettext_lazy("Holiday removed"),
        "schools.lesson_length_add": gettext_lazy("Lesson length rule added"),
        "schools.lesson_length_remove": gettext_lazy("Lesson length rule removed"),
        "schools.shift_create": gettext_lazy("Shift added"),
        "schools.shift_remove": gettext_lazy("Shift removed"),
        "schools.bell_schedule_set": gettext_lazy("Bell schedule changed"),
        "schools.room_create": gettext_lazy("Room added"),
        "schools.room_update": gettext_lazy("Room changed"),
        "schools.subject_create": gettext_lazy("School's own subject added"),
        "schools.subject_update": gettext_lazy("School's own subject changed"),
        "schools.school_subjects_set": gettext_lazy("Subjects taught changed"),
        "schools.class_create": gettext_lazy("Class created"),
        "schools.class_update": gettext_lazy("Class changed"),
        "schools.subgroups_split": gettext_lazy("Class split into subgroups"),
        "schools.subgroups_remove": gettext_lazy("Subgroups removed"),
        "schools.subgroup_add": gettext_lazy("Subgroup added"),
        "schools.subgroup_update": gettext_lazy("Subgroup teacher changed"),
        "schools.subgroup_member_move": gettext_lazy("Student moved between subgroups"),
    }
)

_M = TypeVar("_M", bound=Model)
DateRange = tuple[datetime.date, datetime.date]
TimeRange = tuple[datetime.time, datetime.time]

QUARTER_COUNT = 4
SHIFT_NUMBERS = (1, 2, 3)
MAX_GROUPS = 6
YEAR_FIELDS = ["starts_on", "ends_on", "status"]
HOLIDAY_FIELDS = ["kind", "name", "starts_on", "ends_on", "grades"]
ROOM_FIELDS = ["name", "kind", "capacity", "is_active"]
SUBJECT_FIELDS = ["name_kk", "name_ru", "name_en", "area", "grade_from", "grade_to"]
CLASS_FIELDS = [
    "grade",
    "letter",
    "language",
    "shift",
    "class_teacher",
    "home_room",
]


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _check_school_admin(actor: Membership, school_id: int) -> None:
    if actor.role not in SCHOOL_ADMIN_ROLES or actor.organisation_id != school_id:
        raise PermissionDenied


def _check_year_open(year: SchoolYear) -> None:
    if year.is_closed:
        raise ValidationError(
            _(
                "The school year %(year)s is closed: it can be read but no "
                "longer changed."
            )
            % {"year": year},
            code="year_closed",
        )


def _check_year_admin(actor: Membership, year: SchoolYear) -> None:
    _check_school_admin(actor, year.school_id)
    _check_year_open(year)


def _other_than(queryset: QuerySet[_M], pk: int | None) -> QuerySet[_M]:
    """The rows but the one being edited (all of them when creating)."""
    return queryset if pk is None else queryset.exclude(pk=pk)


def _same_name(name: str, others) -> bool:
    # Compared in Python: SQLite folds the case of Latin letters only, and
    # names here are mostly Kazakh and Russian.
    wanted = " ".join(name.split()).casefold()
    return any(" ".join(other.split()).casefold() == wanted for other in others)


def _is_teacher_of(school_id: int, person: User) -> bool:
    return Membership.objects.filter(
        user=person, organisation_id=school_id, role=Role.TEACHER, is_active=True
    ).exists()


# School years and their quarters


def _clean_year(
    *,
    school_id: int,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    quarters: Sequence[DateRange],
    exclude_pk: int | None = None,
) -> None:
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if starts_on is None:
        add("starts_on", _("Enter the first day of the school year."))
    if ends_on is None:
        add("ends_on", _("Enter the last day of the school year."))
    if starts_on is None or ends_on is None:
        raise ValidationError(errors)
    if ends_on <= starts_on:
        add("ends_on", _("The last day must come after the first day."))
    elif (ends_on - starts_on).days > 366:
        add("ends_on", _("A school year cannot last longer than a year."))

    if len(quarters) != QUARTER_COUNT:
        raise ValidationError(_("A school year has exactly four quarters."))
    previous_end = None
    for number, (q_start, q_end) in enumerate(quarters, start=1):
        start_key, end_key = f"q{number}_starts_on", f"q{number}_ends_on"
        if q_start is None or q_end is None:
            add(
                start_key if q_start is None else end_key,
                _("Enter the first and last day of quarter %(number)d.")
                % {"number": number},
            )
            previous_end = None
            continue
        if q_end < q_start:
            add(
                end_key,
                _("Quarter %(number)d must end on or after its first day.")
                % {"number": number},
            )
        if q_start < starts_on or q_end > ends_on:
            add(
                start_key if q_start < starts_on else end_key,
                _(
                    "Quarter %(number)d must lie inside the school year, "
                    "%(first)s to %(last)s."
                )
                % {"number": number, "first": _day(starts_on), "last": _day(ends_on)},
            )
        if previous_end is not None and q_start <= previous_end:
            add(
                start_key,
                _(
                    "Quarter %(number)d must start after quarter %(previous)d "
                    "ends (%(date)s)."
                )
                % {
                    "number": number,
                    "previous": number - 1,
                    "date": _day(previous_end),
                },
            )
        previous_end = q_end

    overlapping = _other_than(
        SchoolYear.objects.filter(
            school_id=school_id, starts_on__lte=ends_on, ends_on__gte=starts_on
        ),
        exclude_pk,
    )
    for other in overlapping[:1]:
        add(
            "starts_on",
            _("These dates overlap the school year %(year)s (%(first)s to %(last)s).")
            % {
                "year": other,
                "first": _day(other.starts_on),
                "last": _day(other.ends_on),
            },
        )
    if errors:
        raise ValidationError(errors)


def _quarter_dates(year: SchoolYear) -> list[str]:
    return [f"{q.starts_on}/{q.ends_on}" for q in year.quarters.order_by("number")]


@transaction.atomic
def year_create(
    *,
    actor: Membership,
    starts_on: datetime.date,
    ends_on: datetime.date,
    quarters: Sequence[DateRange],
) -> SchoolYear:
    """Open a new school year of the actor's school with its four quarters."""
    school_id = actor.organisation_pk
    _check_school_admin(actor, school_id)
    _clean_year(
        school_id=school_id, starts_on=starts_on, ends_on=ends_on, quarters=quarters
    )

    year = SchoolYear.objects.create(
        school_id=school_id, starts_on=starts_on, ends_on=ends_on
    )
    Quarter.objects.bulk_create(
        Quarter(year=year, number=number, starts_on=q_start, ends_on=q_end)
        for number, (q_start, q_end) in enumerate(quarters, start=1)
    )
    audit_record(
        actor=actor.user,
        action="schools.year_create",
        school=actor.organisation,
        target=year,
        after={**snapshot(year, YEAR_FIELDS), "quarters": _quarter_dates(year)},
    )

    return year


@transaction.atomic
def year_update(
    *,
    actor: Membership,
    year: SchoolYear,
    starts_on: datetime.date,
    ends_on: datetime.date,
    quarters: Sequence[DateRange],
) -> SchoolYear:
    """Change an open year's dates and quarters; its holidays must still fit."""
    _check_year_admin(actor, year)
    _clean_year(
        school_id=year.school_id,
        starts_on=starts_on,
        ends_on=ends_on,
        quarters=quarters,
        exclude_pk=year.pk,
    )
    outside = [
        *year.holidays.filter(Q(starts_on__lt=starts_on) | Q(ends_on__gt=ends_on)),
        *year.lesson_lengths.filter(
            Q(starts_on__lt=starts_on) | Q(ends_on__gt=ends_on)
        ),
    ]
    if outside:
        raise ValidationError(
            {
                "starts_on": _(
                    "Some holidays or lesson-length rules would fall outside "
                    "these dates; change or remove them first."
                )
            }
        )

    before = {**snapshot(year, YEAR_FIELDS), "quarters": _quarter_dates(year)}
    year.starts_on, year.ends_on = starts_on, ends_on
    year.save(update_fields=["starts_on", "ends_on"])
    for number, (q_start, q_end) in enumerate(quarters, start=1):
        Quarter.objects.update_or_create(
            year=year,
            number=number,
            defaults={"starts_on": q_start, "ends_on": q_end},
        )
    audit_record(
        actor=actor.user,
        action="schools.year_update",
        school=actor.organisation,
        target=year,
        before=before,
        after={**snapshot(year, YEAR_FIELDS), "quarters": _quarter_dates(year)},
    )

    return year


@transaction.atomic
def year_create_from_preset(*, actor: Membership, preset_code: str) -> SchoolYear:
    """Enter a published calendar (dates, quarters, holidays, lesson lengths)."""
    preset = PRESETS.get(preset_code)
    if preset is None:
        raise ValidationError({"preset": _("Choose one of the published calendars.")})

    year = year_create(
        actor=actor,
        starts_on=preset.starts_on,
        ends_on=preset.ends_on,
        quarters=preset.quarters,
    )
    for holiday in preset.holidays:
        holiday_add(
            actor=actor,
            year=year,
            kind=holiday.kind,
            name="",
            starts_on=holiday.starts_on,
            ends_on=holiday.ends_on,
            grades=holiday.grades,
        )
    for rule in preset.lesson_lengths:
        lesson_length_add(
            actor=actor,
            year=year,
            grade_from=rule.grade_from,
            grade_to=rule.grade_to,
            starts_on=rule.starts_on,
            ends_on=rule.ends_on,
            minutes=rule.minutes,
        )

    return year


@transaction.atomic
def year_close(*, actor: Membership, year: SchoolYear) -> SchoolYear:
    """Close a year for good: it stays readable and nothing in it changes."""
    _check_year_admin(actor, year)
    before = snapshot(year, YEAR_FIELDS)
    year.status = YearStatus.CLOSED
    year.save(update_fields=["status"])
    audit_record(
        actor=actor.user,
        action="schools.year_close",
        school=actor.organisation,
        target=year,
        before=before,
        after=snapshot(year, YEAR_FIELDS),
    )
    logger.info("School year %s closed", year.pk)

    return year


# Holidays


def _clean_grades(grades: Sequence[int | str]) -> list[int]:
    cleaned = set()
    for grade in grades:
        try:
            number = int(grade)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= 12:
            raise ValidationError({"grades": _("Grades go from 0 to 12.")})
        cleaned.add(number)

    return sorted(cleaned)


def _clean_dates_in_year(
    year: SchoolYear,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if starts_on is None:
        errors["starts_on"] = [_("Enter the first day.")]
    if ends_on is None:
        errors["ends_on"] = [_("Enter the last day.")]
    if starts_on is None or ends_on is None:
        return errors
    if ends_on < starts_on:
        errors["ends_on"] = [_("The last day cannot come before the first day.")]
    inside = _("Choose a day inside the school year, %(first)s to %(last)s.") % {
        "first": _day(year.starts_on),
        "last": _day(year.ends_on),
    }
    if not year.starts_on <= starts_on <= year.ends_on:
        errors.setdefault("starts_on", []).append(inside)
    if not year.starts_on <= ends_on <= year.ends_on:
        errors.setdefault("ends_on", []).append(inside)

    return errors


def _clean_holiday(
    *,
    year: SchoolYear,
    kind: str,
    name: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    grades: Sequence[int | str],
) -> dict:
    errors = _clean_dates_in_year(year, starts_on, ends_on)
    if kind not in HolidayKind.values:
        errors["kind"] = [_("Choose what kind of break this is.")]
    name = name.strip()
    if len(name) > 100:
        errors["name"] = [_("Keep the name under 100 characters.")]
    try:
        cleaned_grades = _clean_grades(grades)
    except ValidationError as error:
        errors.update(error.message_dict)
        cleaned_grades = []
    if errors:
        raise ValidationError(errors)

    return {
        "kind": kind,
        "name": name,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "grades": cleaned_grades,
    }


@transaction.atomic
def holiday_add(
    *,
    actor: Membership,
    year: SchoolYear,
    kind: str,
    name: str = "",
    starts_on: datetime.date,
    ends_on: datetime.date,
    grades: Sequence[int | str] = (),
) -> Holiday:
    """Add days without lessons, for every grade or only for `grades`."""
    _check_year_admin(actor, year)
    fields = _clean_holiday(
        year=year,
        kind=kind,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        grades=grades,
    )

    holiday = Holiday.objects.create(year=year, **fields)
    audit_record(
        actor=actor.user,
        action="schools.holiday_add",
        school=actor.organisation,
        target=holiday,
        after=snapshot(holiday, HOLIDAY_FIELDS),
    )

    return holiday


@transaction.atomic
def holiday_update(
    *,
    actor: Membership,
    holiday: Holiday,
    kind: str,
    name: str = "",
    starts_on: datetime.date,
    ends_on: datetime.date,
    grades: Sequence[int | str] = (),
) -> Holiday:
    _check_year_admin(actor, holiday.year)
    fields = _clean_holiday(
        year=holiday.year,
        kind=kind,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        grades=grades,
    )

    before = snapshot(holiday, HOLIDAY_FIELDS)
    for key, value in fields.items():
        setattr(holiday, key, value)
    holiday.save(update_fields=HOLIDAY_FIELDS)
    audit_record(
        actor=actor.user,
        action="schools.holiday_update",
        school=actor.organisation,
        target=holiday,
        before=before,
        after=snapshot(holiday, HOLIDAY_FIELDS),
    )

    return holiday


@transaction.atomic
def holiday_remove(*, actor: Membership, holiday: Holiday) -> None:
    _check_year_admin(actor, holiday.year)
    before = snapshot(holiday, HOLIDAY_FIELDS)
    audit_record(
        actor=actor.user,
        action="schools.holiday_remove",
        school=actor.organisation,
        target=holiday,
        before=before,
    )
    holiday.delete()


# Lesson lengths


@transaction.atomic
def lesson_length_add(
    *,
    actor: Membership,
    year: SchoolYear,
    grade_from: int,
    grade_to: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    minutes: int,
) -> LessonLength:
    """Make lessons of some grades last `minutes` between two dates."""
    _check_year_admin(actor, year)
    errors = _clean_dates_in_year(year, starts_on, ends_on)
    if not 0 <= grade_from <= 12:
        errors["grade_from"] = [_("Grades go from 0 to 12.")]
    if not 0 <= grade_to <= 12:
        errors["grade_to"] = [_("Grades go from 0 to 12.")]
    elif grade_to < grade_from:
        errors["grade_to"] = [_("The last grade cannot be below the first grade.")]
    if not 10 <= minutes <= 90:
        errors["minutes"] = [_("A lesson lasts from 10 to 90 minutes.")]
    if not errors:
        clash = year.lesson_lengths.filter(
            grade_from__lte=grade_to,
            grade_to__gte=grade_from,
            starts_on__lte=ends_on,
            ends_on__gte=starts_on,
        ).first()
        if clash is not None:
            errors["starts_on"] = [
                _(
                    "Another rule already sets the lesson length of grades "
                    "%(grade_from)d–%(grade_to)d from %(first)s to %(last)s."
                )
                % {
                    "grade_from": clash.grade_from,
                    "grade_to": clash.grade_to,
                    "first": _day(clash.starts_on),
                    "last": _day(clash.ends_on),
                }
            ]
    if errors:
        raise ValidationError(errors)

    rule = LessonLength.objects.create(
        year=year,
        grade_from=grade_from,
        grade_to=grade_to,
        starts_on=starts_on,
        ends_on=ends_on,
        minutes=minutes,
    )
    audit_record(
        actor=actor.user,
        action="schools.lesson_length_add",
        school=actor.organisation,
        target=rule,
        after=snapshot(
            rule, ["grade_from", "grade_to", "starts_on", "ends_on", "minutes"]
        ),
    )

    return rule


@transaction.atomic
def lesson_length_remove(*, actor: Membership, rule: LessonLength) -> None:
    _check_year_admin(actor, rule.year)
    audit_record(
        actor=actor.user,
        action="schools.lesson_length_remove",
        school=actor.organisation,
        target=rule,
        before=snapshot(
            rule, ["grade_from", "grade_to", "starts_on", "ends_on", "minutes"]
        ),
    )
    rule.delete()


# Shifts and bells


@transaction.atomic
def shift_create(*, actor: Membership) -> Shift:
    """Add the school's next shift: the first, the second, then the third."""
    school_id = actor.organisation_pk
    _check_school_admin(actor, school_id)
    taken = set(
        Shift.objects.filter(school_id=school_id).values_list("number", flat=True)
    )
    free = [number for number in SHIFT_NUMBERS if number not in taken]
    if not free:
        raise ValidationError(_("A school has at most three shifts."))

    shift = Shift.objects.create(school_id=school_id, number=free[0])
    audit_record(
        actor=actor.user,
        action="schools.shift_create",
        school=actor.organisation,
        target=shift,
        after={"number": shift.number},
    )

    return shift


@transaction.atomic
def shift_remove(*, actor: Membership, shift: Shift) -> None:
    """Remove a shift no class has ever studied in."""
    _check_school_admin(actor, shift.school_id)
    if shift.classes.exists():
        raise ValidationError(
            _(
                "Classes study in shift %(number)d, this year or in the past; "
                "it cannot be removed."
            )
            % {"number": shift.number}
        )

    audit_record(
        actor=actor.user,
        action="schools.shift_remove",
        school=actor.organisation,
        target=shift,
        before={"number": shift.number},
    )
    try:
        shift.delete()
    except ProtectedError:
        raise ValidationError(
            _("Lessons already use the bells of this shift; it cannot be removed.")
        ) from None


def _bells(shift: Shift) -> list[str]:
    return [str(period) for period in shift.periods.order_by("number")]


@transaction.atomic
def bell_schedule_set(
    *, actor: Membership, shift: Shift, periods: Sequence[TimeRange]
) -> list[Period]:
    """Set a shift's bells: lesson 1 from … to …, lesson 2 from … to …

    Lessons must be in order and must not overlap. A lesson number that is
    no longer listed is removed.
    """
    _check_school_admin(actor, shift.school_id)
    errors: dict[str, list[str]] = {}
    if not periods:
        raise ValidationError(_("Enter the times of at least the first lesson."))
    previous_end = None
    for number, (starts_at, ends_at) in enumerate(periods, start=1):
        if ends_at <= starts_at:
            errors[f"period_{number}_ends_at"] = [
                _("Lesson %(number)d must end after it starts.") % {"number": number}
            ]
        if previous_end is not None and starts_at < previous_end:
            errors[f"period_{number}_starts_at"] = [
                _(
                    "Lesson %(number)d must start when lesson %(previous)d has "
                    "ended (%(time)s) or later."
                )
                % {
                    "number": number,
                    "previous": number - 1,
                    "time": previous_end.strftime("%H:%M"),
                }
            ]
        previous_end = ends_at
    if errors:
        raise ValidationError(errors)

    before = _bells(shift)
    saved = []
    for number, (starts_at, ends_at) in enumerate(periods, start=1):
        period, _created = Period.objects.update_or_create(
            shift=shift,
            number=number,
            defaults={"starts_at": starts_at, "ends_at": ends_at},
        )
        saved.append(period)
    try:
        shift.periods.filter(number__gt=len(periods)).delete()
    except ProtectedError:
        raise ValidationError(
            _("Lessons already use the last bells of this shift; keep them.")
        ) from None
    audit_record(
        actor=actor.user,
        action="schools.bell_schedule_set",
        school=actor.organisation,
        target=shift,
        before={"bells": before},
        after={"bells": _bells(shift)},
    )

    return saved


# Rooms


def _clean_room(
    *,
    school_id: int,
    name: str,
    kind: str,
    capacity: int | None,
    shifts: Sequence[Shift],
    exclude_pk: int | None = None,
) -> dict:
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Enter the room's name or number.")]
    elif len(name) > 40:
        errors["name"] = [_("Keep the room's name under 40 characters.")]
    elif _same_name(
        name,
        _other_than(Room.objects.filter(school_id=school_id), exclude_pk).values_list(
            "name", flat=True
        ),
    ):
        errors["name"] = [_("The school already has a room with this name.")]
    if kind not in RoomKind.values:
        errors["kind"] = [_("Choose what kind of room this is.")]
    if capacity is None or not 1 <= capacity <= 500:
        errors["capacity"] = [_("A room seats from 1 to 500 people.")]
    if any(shift.school_id != school_id for shift in shifts):
        errors["shifts"] = [_("Choose shifts of this school.")]
    if errors:
        raise ValidationError(errors)

    return {"name": name, "kind": kind, "capacity": capacity}


def _room_after(room: Room) -> dict:
    return {
        **snapshot(room, ROOM_FIELDS),
        "shifts": sorted(shift.number for shift in room.shifts.all()),
    }


@transaction.atomic
def room_create(
    *,
    actor: Membership,
    name: str,
    kind: str = RoomKind.CLASSROOM,
    capacity: int = 30,
    shifts: Sequence[Shift] = (),
    is_active: bool = True,
) -> Room:
    school_id = actor.organisation_pk
    _check_school_admin(actor, school_id)
    fields = _clean_room(
        school_id=school_id, name=name, kind=kind, capacity=capacity, shifts=shifts
    )

    room = Room.objects.create(school_id=school_id, is_active=is_active, **fields)
    room.shifts.set(shifts)
    audit_record(
        actor=actor.user,
        action="schools.room_create",
        school=actor.organisation,
        target=room,
        after=_room_after(room),
    )

    return room


@transaction.atomic
def room_update(
    *,
    actor: Membership,
    room: Room,
    name: str,
    kind: str,
    capacity: int,
    shifts: Sequence[Shift],
    is_active: bool,
) -> Room:
    _check_school_admin(actor, room.school_id)
    fields = _clean_room(
        school_id=room.school_id,
        name=name,
        kind=kind,
        capacity=capacity,
        shifts=shifts,
        exclude_pk=room.pk,
    )

    before = _room_after(room)
    for key, value in fields.items():
        setattr(room, key, value)
    room.is_active = is_active
    room.save(update_fields=ROOM_FIELDS)
    room.shifts.set(shifts)
    audit_record(
        actor=actor.user,
        action="schools.room_update",
        school=actor.organisation,
        target=room,
        before=before,
        after=_room_after(room),
    )

    return room


# Subjects


def _clean_subject(
    *,
    school_id: int,
    name_kk: str,
    name_ru: str,
    name_en: str,
    area: str,
    grade_from: int,
    grade_to: int,
    exclude_pk: int | None = None,
) -> dict:
    errors: dict[str, list[str]] = {}
    names = {
        "name_kk": name_kk.strip(),
        "name_ru": name_ru.strip(),
        "name_en": name_en.strip(),
    }
    if not names["name_kk"]:
        errors["name_kk"] = [_("Enter the name in Kazakh.")]
    if not names["name_ru"]:
        errors["name_ru"] = [_("Enter the name in Russian.")]
    for key, value in names.items():
        if len(value) > 120:
            errors[key] = [_("Keep the name under 120 characters.")]
    if names["name_kk"] and "name_kk" not in errors:
        candidates = _other_than(
            Subject.objects.filter(Q(school__isnull=True) | Q(school_id=school_id)),
            exclude_pk,
        )
        same = next(
            (
                other
                for other in candidates
                if _same_name(names["name_kk"], [other.name_kk])
            ),
            None,
        )
        if same is not None:
            errors["name_kk"] = [
                _("There is already a subject with this name: %(subject)s.")
                % {"subject": same.name}
            ]
    if area not in SubjectArea.values:
        errors["area"] = [_("Choose the subject's area.")]
    if not 0 <= grade_from <= 12:
        errors["grade_from"] = [_("Grades go from 0 to 12.")]
    if not 0 <= grade_to <= 12:
        errors["grade_to"] = [_("Grades go from 0 to 12.")]
    elif grade_to < grade_from:
        errors["grade_to"] = [_("The last grade cannot be below the first grade.")]
    if errors:
        raise ValidationError(errors)

    return {**names, "area": area, "grade_from": grade_from, "grade_to": grade_to}


@transaction.atomic
def subject_create(
    *,
    actor: Membership,
    name_kk: str,
    name_ru: str,
    name_en: str = "",
    area: str = SubjectArea.OTHER,
    grade_from: int = 0,
    grade_to: int = 12,
) -> Subject:
    """Add a subject of the school's own (an elective, a regional course).

    The school teaches it from the start.
    """
    school_id = actor.organisation_pk
    _check_school_admin(actor, school_id)
    fields = _clean_subject(
        school_id=school_id,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        area=area,
        grade_from=grade_from,
        grade_to=grade_to,
    )

    number = Subject.objects.filter(school_id=school_id).count() + 1
    while Subject.objects.filter(school_id=school_id, code=f"own-{number}").exists():
        number += 1
    subject = Subject.objects.create(
        school_id=school_id, code=f"own-{number}", **fields
    )
    SchoolSubject.objects.create(school_id=school_id, subject=subject)
    audit_record(
        actor=actor.user,
        action="schools.subject_create",
        school=actor.organisation,
        target=subject,
        after=snapshot(subject, ["code", *SUBJECT_FIELDS]),
    )

    return subject


@transaction.atomic
def subject_update(
    *,
    actor: Membership,
    subject: Subject,
    name_kk: str,
    name_ru: str,
    name_en: str,
    area: str,
    grade_from: int,
    grade_to: int,
) -> Subject:
    """Change one of the school's own subjects; the national list is fixed."""
    if subject.school_id is None:
        raise PermissionDenied
    _check_school_admin(actor, subject.school_id)
    fields = _clean_subject(
        school_id=subject.school_id,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        area=area,
        grade_from=grade_from,
        grade_to=grade_to,
        exclude_pk=subject.pk,
    )

    before = snapshot(subject, SUBJECT_FIELDS)
    for key, value in fields.items():
        setattr(subject, key, value)
    subject.save(update_fields=SUBJECT_FIELDS)
    audit_record(
        actor=actor.user,
        action="schools.subject_update",
        school=actor.organisation,
        target=subject,
        before=before,
        after=snapshot(subject, SUBJECT_FIELDS),
    )

    return subject


@transaction.atomic
def school_subjects_set(*, actor: Membership, subjects: Sequence[Subject]) -> None:
    """Set the subjects the school teaches, from the national list and its own.

    A subject split into subgroups in an open year stays on the list.
    """
    school_id = actor.organisation_pk
    _check_school_admin(actor, school_id)
    if any(s.school_id not in (None, school_id) for s in subjects):
        raise PermissionDenied

    wanted = {subject.pk for subject in subjects}
    current = set(
        SchoolSubject.objects.filter(school_id=school_id).values_list(
            "subject_id", flat=True
        )
    )
    removed = current - wanted
    in_use = (
        Subgroup.objects.filter(
            subject_id__in=removed,
            school_class__year__school_id=school_id,
            school_class__year__status=YearStatus.OPEN,
        )
        .select_related("subject", "school_class")
        .first()
    )
    if in_use is not None:
        raise ValidationError(
            {
                "subjects": _(
                    "%(subject)s is split into subgroups in %(class)s; remove "
                    "those subgroups before taking the subject off the list."
                )
                % {"subject": in_use.subject.name, "class": in_use.school_class}
            }
        )
    if not removed and wanted == current:
        return

    SchoolSubject.objects.filter(school_id=school_id, subject_id__in=removed).delete()
    SchoolSubject.objects.bulk_create(
        SchoolSubject(school_id=school_id, subject_id=pk) for pk in wanted - current
    )
    codes = dict(
        Subject.objects.filter(pk__in=current | wanted).values_list("pk", "code")
    )
    audit_record(
        actor=actor.user,
        action="schools.school_subjects_set",
        school=actor.organisation,
        before={"subjects": sorted(codes[pk] for pk in current)},
        after={"subjects": sorted(codes[pk] for pk in wanted)},
    )


# Classes


def _clean_class(
    *,
    year: SchoolYear,
    grade: int | None,
    letter: str,
    language: str,
    shift: Shift | None,
    class_teacher: User | None,
    home_room: Room | None,
    exclude_pk: int | None = None,
) -> dict:
    errors: dict[str, list[str]] = {}
    letter = (letter or "").strip().upper()
    if grade is None or not 0 <= grade <= 12:
        errors["grade"] = [_("Grades go from 0 to 12.")]
    if len(letter) != 1 or letter not in CLASS_LETTERS:
        errors["letter"] = [
            _(
                "A class letter is one capital letter of the Kazakh alphabet, "
                "such as А or Ә."
            )
        ]
    if language not in InstructionLanguage.values:
        errors["language"] = [_("Choose the language of instruction.")]
    if shift is None or shift.school_id != year.school_id:
        errors["shift"] = [_("Choose a shift of this school.")]
    if class_teacher is not None and not _is_teacher_of(year.school_id, class_teacher):
        errors["class_teacher"] = [_("Choose a teacher of this school.")]
    if home_room is not None and (
        home_room.school_id != year.school_id or not home_room.is_active
    ):
        errors["home_room"] = [_("Choose a room of this school that is in use.")]
    if (
        grade is not None
        and not errors.keys() & {"grade", "letter"}
        and _other_than(
            SchoolClass.objects.filter(year=year, grade=grade, letter=letter),
            exclude_pk,
        ).exists()
    ):
        errors["letter"] = [
            _("The class %(class)s already exists in %(year)s.")
            % {"class": f"{grade} «{letter}»", "year": year}
        ]
    if errors:
        raise ValidationError(errors)

    return {
        "grade": grade,
        "letter": letter,
        "language": language,
        "shift": shift,
        "class_teacher": class_teacher,
        "home_room": home_room,
    }


@transaction.atomic
def class_create(
    *,
    actor: Membership,
    year: SchoolYear,
    grade: int,
    letter: str,
    language: str,
    shift: Shift,
    class_teacher: User | None = None,
    home_room: Room | None = None,
) -> SchoolClass:
    """Open a class in a year: 5 «Ә», taught in Kazakh, in the second shift."""
    _check_year_admin(actor, year)
    fields = _clean_class(
        year=year,
        grade=grade,
        letter=letter,
        language=language,
        shift=shift,
        class_teacher=class_teacher,
        home_room=home_room,
    )

    school_class = SchoolClass.objects.create(year=year, **fields)
    audit_record(
        actor=actor.user,
        action="schools.class_create",
        school=actor.organisation,
        target=school_class,
        after=snapshot(school_class, CLASS_FIELDS),
    )

    return school_class


@transaction.atomic
def class_update(
    *,
    actor: Membership,
    school_class: SchoolClass,
    grade: int,
    letter: str,
    language: str,
    shift: Shift,
    class_teacher: User | None,
    home_room: Room | None,
) -> SchoolClass:
    _check_year_admin(actor, school_class.year)
    fields = _clean_class(
        year=school_class.year,
        grade=grade,
        letter=letter,
        language=language,
        shift=shift,
        class_teacher=class_teacher,
        home_room=home_room,
        exclude_pk=school_class.pk,
    )

    before = snapshot(school_class, CLASS_FIELDS)
    for key, value in fields.items():
        setattr(school_class, key, value)
    school_class.save(update_fields=CLASS_FIELDS)
    audit_record(
        actor=actor.user,
        action="schools.class_update",
        school=actor.organisation,
        target=school_class,
        before=before,
        after=snapshot(school_class, CLASS_FIELDS),
    )

    return school_class


# Subgroups


def _check_day_in_year(year: SchoolYear, day: datetime.date | None) -> datetime.date:
    if day is None or not year.starts_on <= day <= year.ends_on:
        raise ValidationError(
            {
                "on_date": _(
                    "Choose a day inside the school year, %(first)s to %(last)s."
                )
                % {"first": _day(year.starts_on), "last": _day(year.ends_on)}
            }
        )
    return day


def _check_subject_taught(school_id: int, subject: Subject) -> None:
    if subject.school_id not in (None, school_id):
        raise PermissionDenied
    if not SchoolSubject.objects.filter(school_id=school_id, subject=subject).exists():
        raise ValidationError(
            {
                "subject": _(
                    "%(subject)s is not on the school's list of subjects; add "
                    "it there first."
                )
                % {"subject": subject.name}
            }
        )


@transaction.atomic
def subgroups_split(
    *,
    actor: Membership,
    school_class: SchoolClass,
    subject: Subject,
    groups: int = 2,
    on_date: datetime.date,
) -> list[Subgroup]:
    """Split a class for a subject, its students divided alphabetically.

    The first groups take one student more when the class does not divide
    evenly. Each membership starts on `on_date`; moving students afterwards
    is `subgroup_member_move`.
    """
    year = school_class.year
    _check_year_admin(actor, year)
    _check_subject_taught(year.school_id, subject)
    if not 2 <= groups <= MAX_GROUPS:
        raise ValidationError(
            {
                "groups": _("A class is split into 2 to %(most)d groups.")
                % {"most": MAX_GROUPS}
            }
        )
    if Subgroup.objects.filter(school_class=school_class, subject=subject).exists():
        raise ValidationError(
            {
                "subject": _("%(class)s is already split for %(subject)s.")
                % {"class": school_class, "subject": subject.name}
            }
        )
    day = _check_day_in_year(year, on_date)

    students = sorted(
        class_students(school_class=school_class, on_date=day), key=person_key
    )
    created = [
        Subgroup.objects.create(school_class=school_class, subject=subject, number=n)
        for n in range(1, groups + 1)
    ]
    size, extra = divmod(len(students), groups)
    members = []
    start = 0
    for index, subgroup in enumerate(created):
        end = start + size + (1 if index < extra else 0)
        members += [
            SubgroupMember(subgroup=subgroup, student=student, starts_on=day)
            for student in students[start:end]
        ]
        start = end
    SubgroupMember.objects.bulk_create(members)
    audit_record(
        actor=actor.user,
        action="schools.subgroups_split",
        school=actor.organisation,
        target=school_class,
        after={
            "subject": subject.code,
            "groups": groups,
            "students": len(students),
            "from": str(day),
        },
    )

    return created


@transaction.atomic
def subgroup_add(
    *, actor: Membership, school_class: SchoolClass, subject: Subject
) -> Subgroup:
    """Add one more, empty group to a class already split for a subject."""
    _check_year_admin(actor, school_class.year)
    siblings = Subgroup.objects.filter(school_class=school_class, subject=subject)
    highest = siblings.aggregate(highest=Max("number"))["highest"]
    if highest is None:
        raise ValidationError({"subject": _("Split the class for this subject first.")})
    if highest >= MAX_GROUPS:
        raise ValidationError(
            {
                "subject": _("A class is split into 2 to %(most)d groups.")
                % {"most": MAX_GROUPS}
            }
        )

    subgroup = Subgroup.objects.create(
        school_class=school_class, subject=subject, number=highest + 1
    )
    audit_record(
        actor=actor.user,
        action="schools.subgroup_add",
        school=actor.organisation,
        target=subgroup,
        after={"subject": subject.code, "number": subgroup.number},
    )

    return subgroup


@transaction.atomic
def subgroups_remove(
    *, actor: Membership, school_class: SchoolClass, subject: Subject
) -> None:
    """Undo a class's split for a subject, with the groups' member lists."""
    _check_year_admin(actor, school_class.year)
    found = Subgroup.objects.filter(school_class=school_class, subject=subject)
    count = found.count()
    if not count:
        return

    audit_record(
        actor=actor.user,
        action="schools.subgroups_remove",
        school=actor.organisation,
        target=school_class,
        before={"subject": subject.code, "groups": count},
    )
    try:
        found.delete()
    except ProtectedError:
        raise ValidationError(
            _("Lessons or marks already belong to these subgroups; keep them.")
        ) from None


@transaction.atomic
def subgroup_update(
    *, actor: Membership, subgroup: Subgroup, teacher: User | None
) -> Subgroup:
    year = subgroup.school_class.year
    _check_year_admin(actor, year)
    if teacher is not None and not _is_teacher_of(year.school_id, teacher):
        raise ValidationError({"teacher": _("Choose a teacher of this school.")})

    before = snapshot(subgroup, ["teacher"])
    subgroup.teacher = teacher
    subgroup.save(update_fields=["teacher"])
    audit_record(
        actor=actor.user,
        action="schools.subgroup_update",
        school=actor.organisation,
        target=subgroup,
        before=before,
        after=snapshot(subgroup, ["teacher"]),
    )

    return subgroup


def _move(
    *,
    actor: Membership,
    student: User,
    school_class: SchoolClass,
    subject: Subject,
    subgroup: Subgroup | None,
    day: datetime.date,
) -> bool:
    """Move one student to a group, or out of every group when it is None.

    Returns False when the student is where they should be already.
    """
    current = (
        SubgroupMember.objects.select_for_update()
        .filter(
            student=student,
            subgroup__school_class=school_class,
            subgroup__subject=subject,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("subgroup")
        .order_by("-starts_on")
        .first()
    )
    current_pk = current.subgroup_id if current is not None else None
    if current_pk == (subgroup.pk if subgroup is not None else None):
        return False
    if subgroup is not None:
        in_class = class_students(school_class=school_class, on_date=day).filter(
            pk=student.pk
        )
        if not in_class.exists():
            raise ValidationError(
                {
                    "student": _("%(student)s is not in %(class)s on %(date)s.")
                    % {"student": student, "class": school_class, "date": _day(day)}
                }
            )
    if current is not None and current.starts_on > day:
        raise ValidationError(
            {
                "on_date": _(
                    "%(student)s joined group %(number)d on %(date)s; choose "
                    "that day or a later one."
                )
                % {
                    "student": student,
                    "number": current.subgroup.number,
                    "date": _day(current.starts_on),
                }
            }
        )

    moved_from = current.subgroup.number if current is not None else None
    if current is not None and current.starts_on == day:
        # Changed on the day they joined: a correction of the first list,
        # so the membership that never took effect changes or goes.
        if subgroup is None:
            current.delete()
        else:
            current.subgroup = subgroup
            current.save(update_fields=["subgroup"])
    else:
        if current is not None:
            current.ends_on = day - datetime.timedelta(days=1)
            current.save(update_fields=["ends_on"])
        if subgroup is not None:
            SubgroupMember.objects.create(
                subgroup=subgroup, student=student, starts_on=day
            )
    audit_record(
        actor=actor.user,
        action="schools.subgroup_member_move",
        school=actor.organisation,
        target=student,
        after={
            "class": school_class.pk,
            "subject": subject.code,
            "from_group": moved_from,
            "to_group": subgroup.number if subgroup is not None else None,
            "from": str(day),
        },
    )

    return True


@transaction.atomic
def subgroup_member_move(
    *,
    actor: Membership,
    student: User,
    subgroup: Subgroup,
    on_date: datetime.date,
) -> bool:
    """Put a student of the class into a subgroup from a day.

    Their membership in another group of the same subject ends the day
    before, so the group history has no overlap and no hole. Returns False
    when the student is in that group already.
    """
    school_class = subgroup.school_class
    _check_year_admin(actor, school_class.year)
    day = _check_day_in_year(school_class.year, on_date)

    return _move(
        actor=actor,
        student=student,
        school_class=school_class,
        subject=subgroup.subject,
        subgroup=subgroup,
        day=day,
    )


@transaction.atomic
def subgroup_member_remove(
    *,
    actor: Membership,
    student: User,
    school_class: SchoolClass,
    subject: Subject,
    on_date: datetime.date,
) -> bool:
    """Take a student out of every group of a subject from a day on."""
    _check_year_admin(actor, school_class.year)
    day = _check_day_in_year(school_class.year, on_date)

    return _move(
        actor=actor,
        student=student,
        school_class=school_class,
        subject=subject,
        subgroup=None,
        day=day,
    )


@transaction.atomic
def subgroup_members_assign(
    *,
    actor: Membership,
    school_class: SchoolClass,
    subject: Subject,
    assignment: Mapping[User, Subgroup | None],
    on_date: datetime.date,
) -> int:
    """Place several students at once (all or none); returns how many changed.

    A student mapped to None leaves every group of the subject.
    """
    year = school_class.year
    _check_year_admin(actor, year)
    day = _check_day_in_year(year, on_date)
    for subgroup in assignment.values():
        if subgroup is not None and (
            subgroup.school_class_id != school_class.pk
            or subgroup.subject_id != subject.pk
        ):
            raise PermissionDenied

    changed = 0
    for student, subgroup in sorted(
        assignment.items(), key=lambda item: person_key(item[0])
    ):
        changed += _move(
            actor=actor,
            student=student,
            school_class=school_class,
            subject=subject,
            subgroup=subgroup,
            day=day,
        )

    return changed


# Year rollover


@dataclass(frozen=True)
class RolloverResult:
    year: SchoolYear
    classes_created: int
    students_moved: int
    students_graduated: int
    enrolments_ended: int


def _end_enrolment(
    *, actor: Membership, student: User, year: SchoolYear
) -> Enrolment | None:
    # people.services has no service that ends an enrolment yet; this writes
    # the row as enrolment_add would and logs it under the same action.
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(student=student, school_class__year=year, ends_on__isnull=True)
        .first()
    )
    if enrolment is None:
        return None
    enrolment.ends_on = max(year.ends_on, enrolment.starts_on)
    enrolment.save(update_fields=["ends_on"])
    audit_record(
        actor=actor.user,
        action="people.enrolment_end",
        school=actor.organisation,
        target=student,
        after={"class": enrolment.school_class_id, "ends_on": str(enrolment.ends_on)},
    )

    return enrolment


@transaction.atomic
def year_rollover(
    *,
    actor: Membership,
    year: SchoolYear,
    starts_on: datetime.date,
    ends_on: datetime.date,
    quarters: Sequence[DateRange],
) -> RolloverResult:
    """Prepare the next school year from this one, then close this one.

    Every class of grade 10 or below reappears a grade higher with the same
    letter, language, shift, class teacher and home room, and its current
    students move into it from the new year's first day. Students of grade
    11 and above graduate: their enrolment ends on this year's last day, as
    does that of anyone enrolled who is no longer a student of the school.
    Subgroups are not carried over: the new classes are split anew. Shifts,
    bells, rooms and subjects belong to the school and stay as they are.
    """
    _check_year_admin(actor, year)
    if SchoolYear.objects.filter(
        school_id=year.school_id, starts_on__gt=year.starts_on
    ).exists():
        raise ValidationError(
            _(
                "A later school year already exists; the rollover starts from "
                "the latest year."
            )
        )
    if starts_on is not None and starts_on <= year.ends_on:
        raise ValidationError(
            {
                "starts_on": _(
                    "The new year must start after %(year)s ends (%(date)s)."
                )
                % {"year": year, "date": _day(year.ends_on)}
            }
        )

    plan = selectors.rollover_plan(actor=actor, year=year)
    new_year = year_create(
        actor=actor, starts_on=starts_on, ends_on=ends_on, quarters=quarters
    )
    created = moved = graduated = ended = 0
    for entry in plan.classes:
        old = entry.school_class
        for student in entry.leaving:
            ended += _end_enrolment(actor=actor, student=student, year=year) is not None
        if entry.graduates:
            for student in entry.students:
                _end_enrolment(actor=actor, student=student, year=year)
                graduated += 1
            continue

        new_class = class_create(
            actor=actor,
            year=new_year,
            grade=old.grade + 1,
            letter=old.letter,
            language=old.language,
            shift=old.shift,
            class_teacher=(
                old.class_teacher
                if old.class_teacher
                and _is_teacher_of(year.school_id, old.class_teacher)
                else None
            ),
            home_room=old.home_room
            if old.home_room and old.home_room.is_active
            else None,
        )
        created += 1
        for student in entry.students:
            enrolment_add(
                actor=actor,
                student=student,
                school_class=new_class,
                starts_on=new_year.starts_on,
            )
            moved += 1

    year_close(actor=actor, year=year)
    audit_record(
        actor=actor.user,
        action="schools.year_rollover",
        school=actor.organisation,
        target=new_year,
        after={
            "from_year": year.pk,
            "classes": created,
            "students_moved": moved,
            "students_graduated": graduated,
            "enrolments_ended": ended,
        },
    )
    logger.info(
        "School year %s rolled over into %s: %s classes, %s students moved",
        year.pk,
        new_year.pk,
        created,
        moved,
    )

    return RolloverResult(
        year=new_year,
        classes_created=created,
        students_moved=moved,
        students_graduated=graduated,
        enrolments_ended=ended,
    )
