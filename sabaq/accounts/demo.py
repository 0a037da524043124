"""Demo step: named personas in both schools and the two authorities."""

import datetime
from dataclasses import dataclass

from sabaq.accounts.models import Role
from sabaq.accounts.services import membership_add, password_change, person_create
from sabaq.core.demo import DEMO_PASSWORD, DemoWorld
from sabaq.core.validators import iin_build


@dataclass(frozen=True)
class DemoPerson:
    key: str
    organisation: str
    role: str
    surname: str
    name: str
    patronymic: str
    born: str
    sex: str
    login: str
    language: str
    shows: str


# fmt: off
PEOPLE = [
    DemoPerson(
        "region_officer", "region", Role.REGION_OFFICER,
        "Жақсылықова", "Гүлнар", "Маратқызы", "1978-04-12", "female",
        login="zhaksylykova", language="kk",
        shows="region officer: all schools of the region",
    ),
    DemoPerson(
        "district_officer", "district", Role.DISTRICT_OFFICER,
        "Тоқтаров", "Асет", "Бауыржанұлы", "1983-09-30", "male",
        login="toktarov", language="kk",
        shows="district officer: statistics of both schools",
    ),
    DemoPerson(
        "director", "urban", Role.DIRECTOR,
        "Бекова", "Айгүл", "Серікқызы", "1975-02-03", "female",
        login="bekova", language="kk",
        shows="director of the urban school",
    ),
    DemoPerson(
        "deputy", "urban", Role.DEPUTY_HEAD,
        "Омаров", "Ерлан", "Қайратұлы", "1980-11-21", "male",
        login="omarov", language="kk",
        shows="deputy head of the urban school",
    ),
    DemoPerson(
        "teacher_ru", "urban", Role.TEACHER,
        "Иванова", "Светлана", "Петровна", "1985-06-14", "female",
        login="ivanova", language="ru",
        shows="teacher of Russian, works in Russian",
    ),
    DemoPerson(
        "class_teacher", "urban", Role.TEACHER,
        "Сәрсенова", "Дана", "Болатқызы", "1990-01-25", "female",
        login="sarsenova", language="kk",
        shows="class teacher",
    ),
    DemoPerson(
        "teacher_two_schools", "urban", Role.TEACHER,
        "Ким", "Виктор", "Андреевич", "1979-08-08", "male",
        login="kim", language="ru",
        shows="informatics teacher in both schools",
    ),
    DemoPerson(
        "teacher_parent", "urban", Role.TEACHER,
        "Жұмабаев", "Арман", "Ерікұлы", "1984-03-17", "male",
        login="zhumabayev", language="kk",
        shows="mathematics teacher and a parent",
    ),
    DemoPerson(
        "student_alikhan", "urban", Role.STUDENT,
        "Жұмабаев", "Әлихан", "Арманұлы", "2013-05-02", "male",
        login="alikhan", language="kk",
        shows="student, son of the teacher Zhumabayev",
    ),
    DemoPerson(
        "student_aruzhan", "urban", Role.STUDENT,
        "Ахметова", "Аружан", "Қанатқызы", "2012-10-19", "female",
        login="aruzhan", language="kk",
        shows="student; her sister studies in the rural school",
    ),
    DemoPerson(
        "student_maksim", "urban", Role.STUDENT,
        "Петров", "Максим", "Олегович", "2012-12-01", "male",
        login="maksim", language="ru",
        shows="student of a Russian-medium class",
    ),
    DemoPerson(
        "parent_both", "urban", Role.PARENT,
        "Ахметова", "Гүлмира", "Сәкенқызы", "1986-07-07", "female",
        login="gulmira", language="kk",
        shows="mother with children in both schools",
    ),
    DemoPerson(
        "parent_ru", "urban", Role.PARENT,
        "Петрова", "Елена", "Викторовна", "1988-02-28", "female",
        login="petrova", language="ru",
        shows="mother, reads Sabaq in Russian",
    ),
    DemoPerson(
        "rural_director", "rural", Role.DIRECTOR,
        "Тұрсынов", "Бақыт", "Ермекұлы", "1970-12-12", "male",
        login="tursynov", language="kk",
        shows="director of the rural school",
    ),
    DemoPerson(
        "rural_deputy", "rural", Role.DEPUTY_HEAD,
        "Әбдірахманова", "Сәуле", "Нұрланқызы", "1982-05-05", "female",
        login="abdirakhmanova", language="kk",
        shows="deputy head of the rural school",
    ),
    DemoPerson(
        "rural_teacher", "rural", Role.TEACHER,
        "Қасымов", "Нұржан", "Серікұлы", "1992-09-09", "male",
        login="kasymov", language="kk",
        shows="teacher in the rural school",
    ),
    DemoPerson(
        "student_aisha", "rural", Role.STUDENT,
        "Ахметова", "Айша", "Қанатқызы", "2015-03-11", "female",
        login="aisha", language="kk",
        shows="student, Aruzhan's younger sister",
    ),
    DemoPerson(
        "student_yerasyl", "rural", Role.STUDENT,
        "Серікбай", "Ерасыл", "Даниярұлы", "2014-08-23", "male",
        login="yerasyl", language="kk",
        shows="student in the rural school",
    ),
]
# fmt: on

# Second roles: who also works or has a child in the other school.
EXTRA_ROLES = [
    ("teacher_two_schools", "rural", Role.TEACHER),
    ("teacher_parent", "urban", Role.PARENT),
    ("parent_both", "rural", Role.PARENT),
]

SHOWN_ORDER = [
    "director", "deputy", "class_teacher", "teacher_ru", "teacher_two_schools",
    "teacher_parent", "student_aruzhan", "student_maksim", "parent_both", "parent_ru",
    "rural_director", "rural_deputy", "student_aisha", "district_officer",
    "region_officer",
]  # fmt: skip


def _actor_for(world: DemoWorld, org_key: str):
    # School accounts are made by the school's director; the director and the
    # officers by the platform admin.
    director_key = {"urban": "director", "rural": "rural_director"}.get(org_key)
    return world.memberships.get(director_key) or world.platform_admin


def build(world: DemoWorld) -> None:
    for serial, person in enumerate(PEOPLE, start=101):
        born = datetime.date.fromisoformat(person.born)
        created = person_create(
            actor=_actor_for(world, person.organisation),
            organisation=world.organisations[person.organisation],
            role=person.role,
            surname=person.surname,
            name=person.name,
            patronymic=person.patronymic,
            iin=iin_build(born, person.sex, serial),
            language=person.language,
            login=person.login,
        )
        password_change(
            user=created.person,
            old_password=created.password,
            new_password=DEMO_PASSWORD,
        )
        world.people[person.key] = created.person
        world.memberships[person.key] = created.person.memberships.get()

    for key, org_key, role in EXTRA_ROLES:
        membership_add(
            actor=_actor_for(world, org_key),
            person=world.people[key],
            organisation=world.organisations[org_key],
            role=role,
        )
