"""Ready-made school frames for tests, built through the services.

`SchoolFrame.build(actor)` gives a school the Ministry's 2025-2026 year, two
shifts with bells, a room, a few subjects and a class; `students_in` adds
students enrolled in a class. Students are written as rows, as fixtures;
everything about the frame goes through the services, which are what the
tests exercise.
"""

import datetime
import itertools
from dataclasses import dataclass

from sabaq.accounts.models import Membership, Role, User
from sabaq.orgs.models import Organisation, OrganisationKind
from sabaq.people.models import Enrolment
from sabaq.schools import services
from sabaq.schools.models import (
    InstructionLanguage,
    Room,
    SchoolClass,
    SchoolYear,
    Shift,
    Subject,
)
from sabaq.schools.presets import MINISTRY_2025_2026

FIRST_DAY = datetime.date(2025, 9, 2)
"""The first day with lessons in the 2025-2026 preset."""

BELLS = [
    (datetime.time(8, 0), datetime.time(8, 45)),
    (datetime.time(8, 55), datetime.time(9, 40)),
    (datetime.time(9, 55), datetime.time(10, 40)),
]
SECOND_SHIFT_BELLS = [
    (datetime.time(13, 30), datetime.time(14, 15)),
    (datetime.time(14, 25), datetime.time(15, 10)),
]
SUBJECT_CODES = ["kazakh_language", "english", "informatics", "mathematics"]


@dataclass
class SchoolFrame:
    year: SchoolYear
    shift: Shift
    second_shift: Shift
    room: Room
    school_class: SchoolClass

    @classmethod
    def build(cls, actor, *, language=InstructionLanguage.RUSSIAN) -> "SchoolFrame":
        year = services.year_create_from_preset(
            actor=actor, preset_code=MINISTRY_2025_2026.code
        )
        shift = services.shift_create(actor=actor)
        services.bell_schedule_set(actor=actor, shift=shift, periods=BELLS)
        second_shift = services.shift_create(actor=actor)
        services.bell_schedule_set(
            actor=actor, shift=second_shift, periods=SECOND_SHIFT_BELLS
        )
        room = services.room_create(actor=actor, name="101", shifts=[shift])
        services.school_subjects_set(
            actor=actor, subjects=list(Subject.objects.filter(code__in=SUBJECT_CODES))
        )
        school_class = services.class_create(
            actor=actor,
            year=year,
            grade=5,
            letter="А",
            language=language,
            shift=shift,
            home_room=room,
        )
        return cls(
            year=year,
            shift=shift,
            second_shift=second_shift,
            room=room,
            school_class=school_class,
        )


def subject(code: str) -> Subject:
    return Subject.objects.get(school=None, code=code)


_LOGINS = itertools.count(1)
_SCHOOLS = itertools.count(1)


@dataclass
class NewSchool:
    school: Organisation
    deputy: Membership
    teacher: User


def new_school(district: Organisation) -> NewSchool:
    """A school of its own in `district`, with a deputy head and a teacher.

    Tests of the frame start from an empty school, so whatever the demo
    district holds cannot change what they count.
    """
    number = next(_SCHOOLS)
    school = Organisation.objects.create(
        kind=OrganisationKind.SCHOOL,
        parent=district,
        name_kk=f"Сынақ мектебі № {number}",
        name_ru=f"Тестовая школа № {number}",
        name_en=f"Test School No. {number}",
    )
    deputy = User.objects.create(
        login=f"schools-deputy-{number}", surname="Нұрланова", name="Ләззат"
    )
    teacher = User.objects.create(
        login=f"schools-teacher-{number}", surname="Мұратов", name="Асқар"
    )
    Membership.objects.create(user=teacher, organisation=school, role=Role.TEACHER)
    return NewSchool(
        school=school,
        deputy=Membership.objects.create(
            user=deputy, organisation=school, role=Role.DEPUTY_HEAD
        ),
        teacher=teacher,
    )


def student_in_school(school, *, surname: str, name: str = "Ерлан") -> User:
    """A new person with a student role in `school`."""
    person = User.objects.create(
        login=f"schools-student-{next(_LOGINS)}", surname=surname, name=name
    )
    Membership.objects.create(user=person, organisation=school, role=Role.STUDENT)
    return person


def students_in(
    school_class: SchoolClass,
    surnames: list[str],
    *,
    starts_on: datetime.date = FIRST_DAY,
) -> list:
    """New students of the class's school, enrolled in it from `starts_on`."""
    school = school_class.year.school
    students = []
    for surname in surnames:
        person = student_in_school(school, surname=surname)
        Enrolment.objects.create(
            student=person, school_class=school_class, starts_on=starts_on
        )
        students.append(person)
    return students


def numbered_surnames(count: int, prefix: str = "Оқушы") -> list[str]:
    return [f"{prefix}{number:02d}" for number in range(1, count + 1)]
