"""Demo step: each school's 2025-2026 year, shifts and bells, rooms, subjects
and classes, with the demo students enrolled.

It runs after `sabaq.accounts.demo` (it needs the deputy heads, teachers and
students) and goes through the services like every other step.
"""

import datetime

from sabaq.core.demo import DemoWorld
from sabaq.people.services import enrolment_add
from sabaq.schools import services
from sabaq.schools.models import InstructionLanguage, RoomKind, Subject
from sabaq.schools.presets import MINISTRY_2025_2026

time = datetime.time

FIRST_SHIFT = [
    (time(8, 0), time(8, 45)),
    (time(8, 55), time(9, 40)),
    (time(9, 55), time(10, 40)),
    (time(10, 55), time(11, 40)),
    (time(11, 50), time(12, 35)),
    (time(12, 40), time(13, 25)),
]
SECOND_SHIFT = [
    (time(14, 5), time(14, 50)),
    (time(15, 0), time(15, 45)),
    (time(16, 0), time(16, 45)),
    (time(16, 55), time(17, 40)),
    (time(17, 50), time(18, 35)),
    (time(18, 40), time(19, 25)),
]

SUBJECTS = [
    "kazakh_language", "kazakh_literature", "russian_language_literature",
    "english", "mathematics", "algebra", "geometry", "digital_literacy",
    "informatics", "knowing_the_world", "natural_science", "physics",
    "chemistry", "biology", "geography", "history_of_kazakhstan",
    "world_history", "art_work", "music", "physical_education",
    "self_knowledge", "literary_reading", "literacy",
    "russian_language", "russian_literature", "kazakh_language_literature",
]  # fmt: skip

# school, deputy head, shifts, rooms (name, kind, seats, shift numbers)
SCHOOLS = [
    (
        "urban",
        "deputy",
        [FIRST_SHIFT, SECOND_SHIFT],
        [
            ("101", RoomKind.CLASSROOM, 30, [1, 2]),
            ("102", RoomKind.CLASSROOM, 30, [1, 2]),
            ("103", RoomKind.CLASSROOM, 28, [1, 2]),
            ("201", RoomKind.LANGUAGE, 16, [1, 2]),
            ("Информатика", RoomKind.COMPUTER, 15, [1, 2]),
            ("Химия", RoomKind.CHEMISTRY, 26, [1]),
            ("Спортзал", RoomKind.GYM, 60, [1, 2]),
        ],
    ),
    (
        "rural",
        "rural_deputy",
        [FIRST_SHIFT],
        [
            ("1", RoomKind.CLASSROOM, 20, [1]),
            ("2", RoomKind.CLASSROOM, 20, [1]),
            ("Информатика", RoomKind.COMPUTER, 12, [1]),
            ("Спортзал", RoomKind.GYM, 40, [1]),
        ],
    ),
]

# school, grade, letter, language, shift, class teacher, home room, students
CLASSES = [
    ("urban", 6, "А", "kk", 1, "class_teacher", "101", ["student_alikhan"]),
    ("urban", 7, "А", "kk", 1, None, "102", ["student_aruzhan"]),
    ("urban", 7, "Б", "ru", 2, "teacher_ru", "103", ["student_maksim"]),
    ("rural", 4, "А", "kk", 1, None, "1", ["student_aisha"]),
    ("rural", 5, "А", "kk", 1, "rural_teacher", "2", ["student_yerasyl"]),
]  # fmt: skip


def build(world: DemoWorld) -> None:
    years, shifts, rooms = {}, {}, {}
    for school_key, deputy_key, bells, room_rows in SCHOOLS:
        actor = world.memberships[deputy_key]
        years[school_key] = services.year_create_from_preset(
            actor=actor, preset_code=MINISTRY_2025_2026.code
        )
        for periods in bells:
            shift = services.shift_create(actor=actor)
            services.bell_schedule_set(actor=actor, shift=shift, periods=periods)
            shifts[school_key, shift.number] = shift
        for name, kind, capacity, numbers in room_rows:
            rooms[school_key, name] = services.room_create(
                actor=actor,
                name=name,
                kind=kind,
                capacity=capacity,
                shifts=[shifts[school_key, n] for n in numbers],
            )
        services.school_subjects_set(
            actor=actor,
            subjects=list(Subject.objects.filter(school=None, code__in=SUBJECTS)),
        )

    deputies = {school_key: deputy_key for school_key, deputy_key, *_ in SCHOOLS}
    for school_key, grade, letter, language, shift, teacher, room, pupils in CLASSES:
        actor = world.memberships[deputies[school_key]]
        year = years[school_key]
        school_class = services.class_create(
            actor=actor,
            year=year,
            grade=grade,
            letter=letter,
            language=InstructionLanguage(language),
            shift=shifts[school_key, shift],
            class_teacher=world.people[teacher] if teacher else None,
            home_room=rooms[school_key, room],
        )
        for pupil in pupils:
            enrolment_add(
                actor=actor,
                student=world.people[pupil],
                school_class=school_class,
                starts_on=year.starts_on,
            )
