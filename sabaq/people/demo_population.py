"""Demo step for `make run`: fill both schools to a realistic size.

The urban school gets four classes a grade (А and Ә taught in Kazakh, Б and
В in Russian) over two shifts, about 1,200 students and 60 teachers; the
rural school one small Kazakh class a grade, about 150 students. Everyone is
loaded through the same Excel imports a deputy head uses, so the accounts have
no password until login slips are printed. The test suite skips this step: it
works with the named personas only.
"""

import datetime
import random

from sabaq.core.demo import DemoWorld
from sabaq.core.demo_names import NameMaker
from sabaq.core.excel import workbook_bytes
from sabaq.core.validators import iin_build
from sabaq.people import imports
from sabaq.people.selectors import class_students
from sabaq.schools import services as school_services
from sabaq.schools.models import InstructionLanguage, SchoolClass, SchoolYear, Shift

URBAN_LETTERS = {"А": "kk", "Ә": "kk", "Б": "ru", "В": "ru"}
URBAN_CLASS_SIZE = 27
RURAL_CLASS_SIZES = [12, 14, 13, 15, 14, 13, 16, 14, 15, 12, 13]
URBAN_TEACHERS = 60
RURAL_TEACHERS = 14


def _urban_shift(grade: int, letter: str) -> int:
    # Primary grades and the Russian classes of 6-8 study in the afternoon.
    if grade in (2, 3, 4) or (grade in (6, 7, 8) and letter in "БВ"):
        return 2
    return 1


def _class_plan(school_key: str) -> list[tuple[int, str, str, int, int]]:
    """(grade, letter, language, shift, students) for every class of a school."""
    if school_key == "urban":
        return [
            (grade, letter, language, _urban_shift(grade, letter), URBAN_CLASS_SIZE)
            for grade in range(1, 12)
            for letter, language in URBAN_LETTERS.items()
        ]
    return [
        (grade, "А", "kk", 1, size)
        for grade, size in zip(range(1, 12), RURAL_CLASS_SIZES, strict=True)
    ]


def _row(values: dict[str, object], columns) -> list[object]:
    return [values.get(column.key, "") for column in columns]


def _import(actor, kind: str, rows: list[dict], importer) -> None:
    columns = imports.COLUMNS[kind]
    data = workbook_bytes(
        title=kind,
        headers=imports.template_headers(kind),
        rows=[_row(row, columns) for row in rows],
    )
    report = importer(actor=actor, data=data, dry_run=False)
    if report.problems:
        first = report.problems[0]
        raise RuntimeError(
            f"Demo {kind} import failed at row {first.row}, {first.column}: "
            f"{first.message}"
        )


def _fill_school(world: DemoWorld, school_key: str, deputy_key: str, seed: int):
    actor = world.memberships[deputy_key]
    school = world.organisations[school_key]
    year = SchoolYear.objects.filter(school=school).order_by("-starts_on").first()
    shifts = {s.number: s for s in Shift.objects.filter(school=school)}
    existing = {(c.grade, c.letter): c for c in SchoolClass.objects.filter(year=year)}
    names = NameMaker(seed)
    serial = seed * 1000
    student_rows = []

    for grade, letter, language, shift, size in _class_plan(school_key):
        school_class = existing.get((grade, letter))
        if school_class is None:
            school_class = school_services.class_create(
                actor=actor,
                year=year,
                grade=grade,
                letter=letter,
                language=InstructionLanguage(language),
                shift=shifts[min(shift, max(shifts))],
            )
        missing = size - class_students(school_class=school_class).count()
        born_year = year.starts_on.year - grade - 6
        for _ in range(max(0, missing)):
            serial += 1
            person = names.person(language)
            born = datetime.date(born_year, 1, 1) + datetime.timedelta(
                days=names.random.randrange(365)
            )
            student_rows.append(
                {
                    "iin": iin_build(born, person.sex, serial),
                    "surname": person.surname,
                    "name": person.name,
                    "patronymic": person.patronymic,
                    "school_class": f"{grade} {letter}",
                }
            )
    _import(actor, "students", student_rows, imports.students_import)

    teacher_rows = []
    count = URBAN_TEACHERS if school_key == "urban" else RURAL_TEACHERS
    picker = random.Random(seed)
    for _ in range(count):
        serial += 1
        language = picker.choice(["kk", "kk", "ru"])
        person = names.person(language)
        born = datetime.date(picker.randrange(1965, 2000), 1, 1) + datetime.timedelta(
            days=picker.randrange(365)
        )
        teacher_rows.append(
            {
                "iin": iin_build(born, person.sex, serial),
                "surname": person.surname,
                "name": person.name,
                "patronymic": person.patronymic,
                "position": "Мұғалім" if language == "kk" else "Учитель",
            }
        )
    _import(actor, "staff", teacher_rows, imports.staff_import)


def build(world: DemoWorld) -> None:
    _fill_school(world, "urban", "deputy", seed=7)
    _fill_school(world, "rural", "rural_deputy", seed=8)
