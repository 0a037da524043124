"""Objects of a school for the permission walk, made through the services.

The first call builds the school's frame (the 2025-2026 preset, a shift, a
room, an own subject, a class split for English); later calls find it.
"""

from sabaq.schools import services
from sabaq.schools.models import (
    Holiday,
    LessonLength,
    SchoolClass,
    SchoolYear,
    Subgroup,
    Subject,
)
from sabaq.schools.presets import MINISTRY_2025_2026
from sabaq.schools.tests.factories import FIRST_DAY, SchoolFrame, students_in

_DEPUTY = {"urban": "deputy", "rural": "rural_deputy"}
_OWN_SUBJECT = "Шахмат"


def _class(demo, school) -> SchoolClass:
    organisation = demo.organisations[school]
    found = (
        SchoolClass.objects.filter(
            year__school=organisation, subgroups__subject__code="english"
        )
        .order_by("-year__starts_on")
        .first()
    )
    if found is not None:
        return found

    actor = demo.membership(_DEPUTY[school])
    year = SchoolYear.objects.filter(
        school=organisation, starts_on=MINISTRY_2025_2026.starts_on
    ).first()
    if year is None:
        frame = SchoolFrame.build(actor)
        school_class = frame.school_class
    else:
        school_class = year.classes.order_by("grade", "letter").first()
    students_in(school_class, ["Әлиев", "Бекова", "Аманов", "Ғалиева"])
    services.subgroups_split(
        actor=actor,
        school_class=school_class,
        subject=Subject.objects.get(school=None, code="english"),
        on_date=FIRST_DAY,
    )
    services.subject_create(actor=actor, name_kk=_OWN_SUBJECT, name_ru="Шахматы")
    return school_class


def _year(demo, school) -> int:
    return _class(demo, school).year_id


def _holiday(demo, school) -> int:
    return Holiday.objects.filter(year_id=_year(demo, school)).first().pk


def _lesson_length(demo, school) -> int:
    return LessonLength.objects.filter(year_id=_year(demo, school)).first().pk


def _own_subject(demo, school) -> int:
    _class(demo, school)
    return Subject.objects.get(
        school=demo.organisations[school], name_kk=_OWN_SUBJECT
    ).pk


def _split_subject(demo, school) -> int:
    return Subject.objects.get(school=None, code="english").pk


def _subgroup(demo, school) -> int:
    return Subgroup.objects.filter(school_class=_class(demo, school)).first().pk


URL_KWARGS = {
    "year_id": _year,
    "holiday_id": _holiday,
    "rule_id": _lesson_length,
    "shift_id": lambda demo, school: _class(demo, school).shift_id,
    "room_id": lambda demo, school: _class(demo, school).home_room_id,
    "class_id": lambda demo, school: _class(demo, school).pk,
    "subgroup_id": _subgroup,
    "subject_id": _own_subject,
    "schools:subgroup_split": {"subject_id": _split_subject},
    "schools:subgroup_add": {"subject_id": _split_subject},
    "schools:subgroups_remove": {"subject_id": _split_subject},
}
