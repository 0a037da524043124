"""Demo step: parents linked to their children, students' and staff files.

Dates are set relative to the day the demo is built, so one teacher's
attestation is always due within six months and the alert shows.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from sabaq.core.demo import DemoWorld
from sabaq.people.models import HealthGroup, Relation
from sabaq.people.models import QualificationCategory as Category
from sabaq.people.services import (
    guardian_link,
    staff_record_create,
    student_record_create,
)

LINKS = [
    ("teacher_parent", "student_alikhan", Relation.FATHER, "director"),
    ("parent_both", "student_aruzhan", Relation.MOTHER, "director"),
    ("parent_both", "student_aisha", Relation.MOTHER, "rural_director"),
    ("parent_ru", "student_maksim", Relation.MOTHER, "director"),
]

# student, deputy head who keeps the file, file number, address, language
STUDENT_FILES = [
    ("student_alikhan", "deputy", "Қ-114", "Қосшы, Абай көшесі, 12", "kk"),
    ("student_aruzhan", "deputy", "Қ-087", "Қосшы, Республика даңғылы, 5-17", "kk"),
    ("student_maksim", "deputy", "Қ-091", "Қосшы, Ленин көшесі, 40", "ru"),
    ("student_aisha", "rural_deputy", "А-023", "Ақмол, Бейбітшілік көшесі, 3", "kk"),
    ("student_yerasyl", "rural_deputy", "А-019", "Ақмол, Орталық көшесі, 8", "kk"),
]

# person, deputy head, position, category, years since the category was given
STAFF_FILES = [
    ("director", "deputy", "Директор", Category.EXPERT, 1.5),
    ("deputy", "deputy", "Оқу ісінің меңгерушісі", Category.EXPERT, 2.75),
    ("teacher_ru", "deputy", "Орыс тілі мұғалімі", Category.MODERATOR, 4.7),
    ("class_teacher", "deputy", "Бастауыш сынып мұғалімі", Category.TEACHER, 1),
    ("teacher_parent", "deputy", "Математика мұғалімі", Category.RESEARCHER, 3),
    ("rural_teacher", "rural_deputy", "Физика мұғалімі", Category.TEACHER, 2),
]  # fmt: skip


def build(world: DemoWorld) -> None:
    for guardian_key, child_key, relation, actor_key in LINKS:
        guardian_link(
            actor=world.memberships[actor_key],
            guardian=world.people[guardian_key],
            child=world.people[child_key],
            relation=relation,
        )

    today = timezone.localdate()
    for key, actor_key, number, address, language in STUDENT_FILES:
        student = world.people[key]
        student_record_create(
            actor=world.memberships[actor_key],
            student=student,
            surname=student.surname,
            name=student.name,
            patronymic=student.patronymic,
            iin=student.iin,
            file_number=number,
            address=address,
            citizenship="Қазақстан",
            language=language,
            health_group=HealthGroup.BASIC,
            admitted_on=datetime.date(today.year - 4, 9, 1),
            admission_order=f"{number}-ҚБ",
        )

    for key, actor_key, position, category, years in STAFF_FILES:
        staff_record_create(
            actor=world.memberships[actor_key],
            person=world.people[key],
            position=position,
            category=category,
            category_given_on=today - datetime.timedelta(days=round(years * 365)),
            education="Жоғары",
            hired_on=datetime.date(today.year - 6, 8, 25),
            load_rate=Decimal("16"),
        )
