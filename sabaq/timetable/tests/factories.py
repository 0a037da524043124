"""Schools with a curriculum load, for timetable tests and the benchmark.

`TimetableSchool.build(actor)` gives the actor's school the Ministry's
2025-2026 year, two shifts of seven lessons (the seventh lesson of the first
shift overlaps the first of the second), rooms of several kinds, subjects
and classes, all through the services. Teachers with staff files and
students are written as rows, as the core factories do. Tests build it in a
new school of the demo district (`new_school`), so that the demo schools'
own year and classes stay as they are.

`big_school(actor, class_count=55)` builds a two-shift school of a real
size with its whole load, for the query-count tests and
`bench/timetable_edit.py`.
"""

import datetime
import itertools
import math
from dataclasses import dataclass, field

from sabaq.accounts.models import Membership, Role, User
from sabaq.core.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from sabaq.people.models import Enrolment, Guardianship, Relation, StaffRecord
from sabaq.schools import services as school_services
from sabaq.schools.models import (
    InstructionLanguage,
    Room,
    RoomKind,
    SchoolClass,
    SchoolYear,
    Shift,
    Subject,
)
from sabaq.schools.presets import MINISTRY_2025_2026
from sabaq.timetable import services
from sabaq.timetable.models import LoadLine, TimetableVersion

FIRST_DAY = datetime.date(2025, 9, 2)
"""The first day with lessons in the 2025-2026 preset (a Tuesday)."""

A_MONDAY = datetime.date(2025, 9, 8)
"""A Monday of the first quarter with no holiday in its week."""


def _bells(
    start: datetime.time, count: int
) -> list[tuple[datetime.time, datetime.time]]:
    bells = []
    moment = datetime.datetime.combine(datetime.date.min, start)
    for number in range(1, count + 1):
        end = moment + datetime.timedelta(minutes=45)
        bells.append((moment.time(), end.time()))
        moment = end + datetime.timedelta(minutes=20 if number == 3 else 10)
    return bells


FIRST_SHIFT_BELLS = _bells(datetime.time(8, 0), 7)
"""08:00 to 14:25; the seventh lesson is 13:40-14:25."""

SECOND_SHIFT_BELLS = _bells(datetime.time(13, 30), 7)
"""13:30 to 19:55; the first lesson, 13:30-14:15, overlaps the first
shift's seventh."""

SUBJECT_CODES = [
    "kazakh_language",
    "russian_language",
    "english",
    "mathematics",
    "informatics",
    "history_of_kazakhstan",
    "geography",
    "biology",
    "physical_education",
    "music",
    "art_work",
]


def new_school(demo) -> Membership:
    """The deputy head of a new school in the demo district."""
    school = OrganisationFactory(parent=demo.organisations["district"])
    return MembershipFactory(organisation=school, role=Role.DEPUTY_HEAD)


def subject(code: str) -> Subject:
    return Subject.objects.get(school=None, code=code)


def staff_teacher(
    school,
    *,
    surname: str,
    subjects: list[str],
    load_rate: int = 16,
    name: str = "Айгерім",
) -> User:
    """A teacher of the school with a staff file naming what they may teach."""
    person = UserFactory(surname=surname, name=name)
    MembershipFactory(user=person, organisation=school, role=Role.TEACHER)
    record = StaffRecord.objects.create(
        school=school, person=person, position="Мұғалім", load_rate=load_rate
    )
    record.subjects.set(Subject.objects.filter(school=None, code__in=subjects))
    return person


def enrol(school_class: SchoolClass, count: int, *, prefix: str = "Оқушы") -> list:
    """New students of the class's school, enrolled from the first day."""
    school = school_class.year.school
    students = []
    for number in range(1, count + 1):
        person = UserFactory(surname=f"{prefix}{school_class.pk}-{number:02d}")
        MembershipFactory(user=person, organisation=school, role=Role.STUDENT)
        Enrolment.objects.create(
            student=person, school_class=school_class, starts_on=FIRST_DAY
        )
        students.append(person)
    return students


@dataclass
class TimetableSchool:
    actor: Membership
    year: SchoolYear
    shift1: Shift
    shift2: Shift
    rooms: dict[str, Room]
    classes: list[SchoolClass] = field(default_factory=list)

    @property
    def school(self):
        return self.actor.organisation

    @classmethod
    def build(cls, actor: Membership, *, classes: int = 2) -> "TimetableSchool":
        """A school with classes 5 «А», 5 «Б», … in the first shift."""
        year = school_services.year_create_from_preset(
            actor=actor, preset_code=MINISTRY_2025_2026.code
        )
        shift1 = school_services.shift_create(actor=actor)
        school_services.bell_schedule_set(
            actor=actor, shift=shift1, periods=FIRST_SHIFT_BELLS
        )
        shift2 = school_services.shift_create(actor=actor)
        school_services.bell_schedule_set(
            actor=actor, shift=shift2, periods=SECOND_SHIFT_BELLS
        )
        rooms = {
            "101": school_services.room_create(
                actor=actor, name="101", shifts=[shift1, shift2]
            ),
            "102": school_services.room_create(
                actor=actor, name="102", shifts=[shift1, shift2]
            ),
            "small": school_services.room_create(
                actor=actor, name="103", capacity=4, shifts=[shift1, shift2]
            ),
            "lab": school_services.room_create(
                actor=actor,
                name="Информатика",
                kind=RoomKind.COMPUTER,
                capacity=15,
                shifts=[shift1, shift2],
            ),
            "gym": school_services.room_create(
                actor=actor, name="Спортзал", kind=RoomKind.GYM, capacity=60
            ),
        }
        school_services.school_subjects_set(
            actor=actor, subjects=list(Subject.objects.filter(code__in=SUBJECT_CODES))
        )
        built = cls(actor=actor, year=year, shift1=shift1, shift2=shift2, rooms=rooms)
        letters = "АӘБВГҒДЕ"
        for index in range(classes):
            built.add_class(
                grade=5,
                letter=letters[index],
                home_room=list(rooms.values())[index % 2],
            )
        return built

    def add_class(
        self,
        *,
        grade: int,
        letter: str,
        shift: Shift | None = None,
        home_room: Room | None = None,
    ) -> SchoolClass:
        school_class = school_services.class_create(
            actor=self.actor,
            year=self.year,
            grade=grade,
            letter=letter,
            language=InstructionLanguage.KAZAKH,
            shift=shift or self.shift1,
            home_room=home_room,
        )
        self.classes.append(school_class)
        return school_class

    def member(self, person: User, role: str) -> Membership:
        """Give someone (a demo persona, say) a role in this school."""
        return MembershipFactory(user=person, organisation=self.school, role=role)

    def person(self, role: str, surname: str) -> Membership:
        """A new person with a role in this school."""
        return self.member(UserFactory(surname=surname, name="Әлия"), role)

    def membership_of(self, person: User, role: str = Role.STUDENT) -> Membership:
        return Membership.objects.get(user=person, organisation=self.school, role=role)

    def teacher(self, surname: str, *subjects: str, load_rate: int = 16) -> User:
        return staff_teacher(
            self.school, surname=surname, subjects=list(subjects), load_rate=load_rate
        )

    def line(
        self,
        school_class: SchoolClass,
        code: str,
        hours: int,
        teacher: User | None = None,
        **extra,
    ) -> LoadLine:
        return services.load_line_create(
            actor=self.actor,
            school_class=school_class,
            subject=subject(code),
            hours=hours,
            teacher=teacher,
            **extra,
        )

    def split(self, school_class: SchoolClass, code: str, groups: int = 2):
        return school_services.subgroups_split(
            actor=self.actor,
            school_class=school_class,
            subject=subject(code),
            groups=groups,
            on_date=FIRST_DAY,
        )

    def draft(self, name: str = "") -> TimetableVersion:
        return services.version_create(actor=self.actor, year=self.year, name=name)


@dataclass
class Cast:
    """People of a test school, each with their role there."""

    deputy: Membership
    director: Membership
    teacher: Membership
    """Сәрсенова: may teach mathematics."""
    colleague: Membership
    """Иванова: may teach mathematics and music."""
    student: Membership
    """Ахметова: a student of the first class."""
    child: Membership
    """Петров: a student of the first class, Петрова's son."""
    parent: Membership
    """Петрова: Петров's mother."""


def cast(school: TimetableSchool) -> Cast:
    """A director, two teachers with staff files, two students of the first
    class and the mother of one of them."""

    def staff(surname: str, *subjects: str) -> Membership:
        return school.membership_of(school.teacher(surname, *subjects), Role.TEACHER)

    def student(surname: str) -> Membership:
        membership = school.person(Role.STUDENT, surname)
        Enrolment.objects.create(
            student=membership.user,
            school_class=school.classes[0],
            starts_on=FIRST_DAY,
        )
        return membership

    child = student("Петров")
    parent = school.person(Role.PARENT, "Петрова")
    Guardianship.objects.create(
        guardian=parent.user, child=child.user, relation=Relation.MOTHER
    )
    return Cast(
        deputy=school.actor,
        director=school.person(Role.DIRECTOR, "Бекова"),
        teacher=staff("Сәрсенова", "mathematics"),
        colleague=staff("Иванова", "mathematics", "music"),
        student=student("Ахметова"),
        child=child,
        parent=parent,
    )


# A school of a real size

CURRICULUM = [
    # (subject, hours, split into two groups, kind of room)
    ("kazakh_language", 4, False, ""),
    ("russian_language", 3, False, ""),
    ("english", 3, True, ""),
    ("mathematics", 5, False, ""),
    ("informatics", 1, True, RoomKind.COMPUTER),
    ("history_of_kazakhstan", 2, False, ""),
    ("geography", 2, False, ""),
    ("biology", 2, False, ""),
    ("physical_education", 2, False, RoomKind.GYM),
    ("music", 1, False, ""),
    ("art_work", 1, False, ""),
]
"""26 hours a week for a student, 30 lessons a class with the groups."""

TEACHER_HOURS = 18
BIG_LETTERS = "АӘБВГ"


def big_school(
    actor: Membership,
    *,
    class_count: int = 55,
    students_per_class: int = 24,
) -> TimetableSchool:
    """A two-shift school: `class_count` classes of grades 1 to 11, half in
    each shift, sharing the classrooms; teachers enough for the curriculum;
    two groups for English and informatics."""
    built = TimetableSchool.build(actor, classes=0)
    classroom_count = math.ceil(class_count / 2) + 2
    classrooms = [
        school_services.room_create(
            actor=actor,
            name=f"{200 + number}",
            shifts=[built.shift1, built.shift2],
        )
        for number in range(classroom_count)
    ]
    for number in range(1, 4):
        built.rooms[f"lab{number}"] = school_services.room_create(
            actor=actor,
            name=f"Информатика {number + 1}",
            kind=RoomKind.COMPUTER,
            capacity=15,
            shifts=[built.shift1, built.shift2],
        )
    built.rooms["gym2"] = school_services.room_create(
        actor=actor, name="Спортзал 2", kind=RoomKind.GYM, capacity=60
    )

    slots = itertools.product(range(1, 12), BIG_LETTERS)
    for index, (grade, letter) in enumerate(itertools.islice(slots, class_count)):
        shift = built.shift1 if grade in (1, 5, 6, 9, 10, 11) else built.shift2
        built.add_class(
            grade=grade,
            letter=letter,
            shift=shift,
            home_room=classrooms[index % classroom_count],
        )

    _students(built.classes, students_per_class)
    groups_of = {}
    for school_class in built.classes:
        for code, _hours, split, _kind in CURRICULUM:
            if split:
                groups_of[(school_class.pk, code)] = built.split(school_class, code)

    demand: dict[str, int] = {}
    for code, hours, split, _kind in CURRICULUM:
        demand[code] = hours * (2 if split else 1) * len(built.classes)
    teachers = {
        code: [
            built.teacher(f"{code[:6].title()}{number:02d}", code)
            for number in range(1, math.ceil(total / TEACHER_HOURS) + 2)
        ]
        for code, total in demand.items()
    }
    given: dict[int, int] = {}

    def least_loaded(code: str, besides: set[int]) -> User:
        choices = [t for t in teachers[code] if t.pk not in besides]
        chosen = min(choices, key=lambda t: (given.get(t.pk, 0), t.pk))
        return chosen

    for school_class in built.classes:
        for code, hours, split, kind in CURRICULUM:
            if not split:
                teacher = least_loaded(code, set())
                given[teacher.pk] = given.get(teacher.pk, 0) + hours
                built.line(school_class, code, hours, teacher, room_kind=kind)
                continue
            used: set[int] = set()
            for group in groups_of[(school_class.pk, code)]:
                teacher = least_loaded(code, used)
                used.add(teacher.pk)
                given[teacher.pk] = given.get(teacher.pk, 0) + hours
                built.line(
                    school_class, code, hours, teacher, subgroup=group, room_kind=kind
                )

    return built


def _students(classes: list[SchoolClass], count: int) -> None:
    """`count` students in each class, written in bulk."""
    if not count or not classes:
        return
    school = classes[0].year.school
    people = User.objects.bulk_create(
        [
            User(
                login=f"s{school.pk}-{school_class.pk}-{number}",
                surname=f"Оқушы{school_class.pk:04d}{number:02d}",
                name="Ерлан",
            )
            for school_class in classes
            for number in range(count)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=person, organisation=school, role=Role.STUDENT)
            for person in people
        ]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                student=person,
                school_class=classes[index // count],
                starts_on=FIRST_DAY,
            )
            for index, person in enumerate(people)
        ]
    )
