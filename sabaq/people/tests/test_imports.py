"""Excel imports: the dry run's report, all-or-nothing saving, re-imports."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from sabaq.accounts.models import Membership, Role, User
from sabaq.core.models import AuditEntry
from sabaq.core.validators import iin_build
from sabaq.people import imports
from sabaq.people.models import Enrolment, Guardianship, StaffRecord, StudentRecord
from sabaq.people.tests.factories import new_iin, person_in, school_class, xlsx

STUDENT_HEADERS = ["ЖСН / ИИН", "Тегі / Фамилия", "Аты / Имя", "Сынып / Класс"]


def students(rows, headers=STUDENT_HEADERS) -> bytes:
    return xlsx(headers, rows)


def run(demo, importer, data, dry_run=False, actor="deputy"):
    return importer(actor=demo.membership(actor), data=data, dry_run=dry_run)


def saved_rows() -> tuple[int, int, int, int, int]:
    return (
        User.objects.count(),
        Membership.objects.count(),
        StudentRecord.objects.count(),
        Enrolment.objects.count(),
        AuditEntry.objects.count(),
    )


def problems(report) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.message) for p in report.problems]


# Students: the dry run


def test_dry_run_names_each_bad_row_and_column_and_saves_nothing(demo):
    school_class(demo.organisations["urban"], 5, "Ә")
    good = new_iin()
    data = students(
        [
            [good, "Сейтқали", "Нұрлан", "5 Ә"],
            ["850808310731", "Ерболов", "Дәулет", "5 Ә"],
            [new_iin(), "", "Айгерім", "7 Б"],
        ]
    )
    before = saved_rows()

    report = run(demo, imports.students_import, data, dry_run=True)

    found = problems(report)
    assert [(row, column) for row, column, _message in found] == [
        (3, "A · ЖСН / ИИН"),
        (4, "B · Тегі / Фамилия"),
        (4, "D · Сынып / Класс"),
    ]
    assert found[0][2] == gettext(
        "The last digit of this IIN does not match; check it for a typo."
    )
    assert not report.saved
    assert saved_rows() == before


def test_dry_run_messages_come_in_the_persons_language(demo):
    data = students([["850808310731", "Ерболов", "Дәулет", ""]])

    with translation.override("ru"):
        report = run(demo, imports.students_import, data, dry_run=True)
        expected = gettext(
            "The last digit of this IIN does not match; check it for a typo."
        )

    assert report.problems[0].message == expected


def test_clean_dry_run_counts_what_the_import_would_do_and_saves_nothing(demo):
    school_class(demo.organisations["urban"], 5, "Ә")
    data = students(
        [
            [new_iin(), "Сейтқали", "Нұрлан", "5 Ә"],
            [demo.people["student_maksim"].iin, "Петров", "Максим", ""],
        ]
    )
    before = saved_rows()

    report = run(demo, imports.students_import, data, dry_run=True)

    assert report.problems == []
    assert (report.rows, report.created, report.updated, report.enrolled) == (
        2,
        1,
        1,
        1,
    )
    assert saved_rows() == before


def test_import_with_one_bad_row_saves_no_row_at_all(demo):
    data = students(
        [[new_iin(), "Сейтқали", "Нұрлан", ""], ["123", "Ерболов", "Дәулет", ""]]
    )
    before = saved_rows()

    report = run(demo, imports.students_import, data)

    assert not report.saved
    assert [p.row for p in report.problems] == [3]
    assert saved_rows() == before


# Students: saving


def test_fixed_import_saves_every_row_with_files_roles_and_classes(demo):
    urban = demo.organisations["urban"]
    five_a = school_class(urban, 5, "Ә")
    iins = [new_iin(), new_iin(datetime.date(2012, 1, 5), "female")]
    data = students(
        [[iins[0], "Сейтқали", "Нұрлан", "5 «Ә»"], [iins[1], "Ерболова", "Дана", "5ә"]]
    )

    report = run(demo, imports.students_import, data)

    assert report.saved
    assert (report.created, report.updated, report.enrolled) == (2, 0, 2)
    people = User.objects.filter(iin__in=iins)
    assert len(people) == 2
    for person in people:
        assert Membership.objects.get(user=person).organisation == urban
        record = StudentRecord.objects.get(student=person)
        assert record.school == urban
        assert record.birth_date is not None
        assert Enrolment.objects.get(student=person).school_class == five_a
    assert sorted(report.new_people) == sorted(p.pk for p in people)
    summary = AuditEntry.objects.get(action="people.students_import")
    assert summary.after["rows"] == 2


def test_imported_accounts_have_no_usable_password_and_must_choose_one(demo):
    iin = new_iin()

    run(demo, imports.students_import, students([[iin, "Сейтқали", "Нұрлан", ""]]))

    person = User.objects.get(iin=iin)
    assert not person.has_usable_password()
    assert person.must_change_password
    assert person.login == "seitqali.nurlan"


def test_reimport_updates_people_by_iin_instead_of_adding_them_again(demo):
    iin = new_iin()
    run(demo, imports.students_import, students([[iin, "Сейтқали", "Нұрлан", ""]]))
    users_before = User.objects.count()
    headers = [*STUDENT_HEADERS, "Мекенжайы / Адрес"]

    report = run(
        demo,
        imports.students_import,
        students([[iin, "Сейітқали", "Нұрлан", "", "Қосшы, Абай 5"]], headers),
    )

    assert (report.created, report.updated) == (0, 1)
    assert User.objects.count() == users_before
    person = User.objects.get(iin=iin)
    assert person.surname == "Сейітқали"
    assert StudentRecord.objects.get(student=person).address == "Қосшы, Абай 5"
    assert report.new_people == []


def test_empty_cell_in_a_reimport_keeps_what_sabaq_has(demo):
    maksim = demo.people["student_maksim"]
    record = StudentRecord.objects.get(student=maksim)
    headers = [*STUDENT_HEADERS, "Мекенжайы / Адрес", "Жеке іс нөмірі"]

    run(
        demo,
        imports.students_import,
        students([[maksim.iin, "Петров", "Максим", "", "", ""]], headers),
    )

    record.refresh_from_db()
    assert record.address == "Қосшы, Ленин көшесі, 40"
    assert record.file_number == "Қ-091"


def test_student_moving_to_another_class_by_import_keeps_the_class_history(demo):
    urban = demo.organisations["urban"]
    maksim = demo.people["student_maksim"]
    seven_b = Enrolment.objects.get(student=maksim, ends_on=None).school_class

    five_b = school_class(urban, 5, "Б")
    report = run(
        demo,
        imports.students_import,
        students([[maksim.iin, "Петров", "Максим", "5 Б"]]),
    )

    assert report.saved
    history = list(Enrolment.objects.filter(student=maksim).order_by("starts_on"))
    assert [e.school_class for e in history] == [seven_b, five_b]
    assert history[0].ends_on is not None


def test_headers_in_russian_or_kazakh_alone_and_in_any_order_are_understood(demo):
    iin = new_iin()
    data = xlsx(
        ["Имя", "Тегі", "Комментарий", "ИИН"], [["Нұрлан", "Сейтқали", "x", iin]]
    )

    report = run(demo, imports.students_import, data)

    assert report.saved
    assert User.objects.get(iin=iin).surname == "Сейтқали"


def test_iin_typed_as_a_number_keeps_its_leading_zero(demo):
    iin = iin_build(datetime.date(2006, 12, 11), "female", 7788)
    assert iin.startswith("0")

    report = run(
        demo, imports.students_import, students([[int(iin), "Әлиева", "Мадина", ""]])
    )

    assert report.saved
    assert User.objects.filter(iin=iin).exists()


def test_missing_required_column_is_named_with_its_template_heading(demo):
    data = xlsx(["ЖСН / ИИН", "Аты / Имя"], [[new_iin(), "Нұрлан"]])

    report = run(demo, imports.students_import, data, dry_run=True)

    assert problems(report) == [
        (
            1,
            "Тегі / Фамилия",
            gettext(
                "This column is missing. Add it with this heading, as in the template."
            ),
        )
    ]


def test_a_file_that_is_not_a_workbook_is_one_clear_problem(demo):
    report = run(demo, imports.students_import, b"PK\x03\x04 not really", dry_run=True)

    assert len(report.problems) == 1
    assert report.problems[0].row is None


def test_unknown_class_is_named_with_the_school_year(demo):
    school_class(demo.organisations["urban"], 5, "Ә")

    report = run(
        demo,
        imports.students_import,
        students([[new_iin(), "Сейтқали", "Нұрлан", "5 Ғ"]]),
        dry_run=True,
    )

    assert len(report.problems) == 1
    assert "5 «Ғ»" in report.problems[0].message


def test_the_same_iin_twice_names_the_first_row(demo):
    iin = new_iin()

    report = run(
        demo,
        imports.students_import,
        students([[iin, "Сейтқали", "Нұрлан", ""], [iin, "Сейтқали", "Нұр", ""]]),
        dry_run=True,
    )

    assert problems(report) == [
        (
            3,
            "A · ЖСН / ИИН",
            gettext("This IIN is already on row %(row)d.") % {"row": 2},
        )
    ]


def test_student_of_another_school_in_the_file_is_refused(demo):
    aisha = demo.people["student_aisha"]

    report = run(
        demo,
        imports.students_import,
        students([[aisha.iin, "Ахметова", "Айша", ""]]),
        dry_run=True,
    )

    assert [p.column for p in report.problems] == ["A · ЖСН / ИИН"]


def test_birth_date_contradicting_the_iin_is_a_problem_of_its_row_and_column(demo):
    iin = iin_build(datetime.date(2012, 10, 19), "female", 5151)
    headers = [*STUDENT_HEADERS, "Туған күні / Дата рождения"]

    report = run(
        demo,
        imports.students_import,
        students([[iin, "Ахметова", "Дана", "", "20.10.2012"]], headers),
        dry_run=True,
    )

    assert [(p.row, p.column) for p in report.problems] == [
        (2, "E · Туған күні / Дата рождения")
    ]


def test_choice_columns_accept_labels_in_any_language(demo):
    iin = new_iin()
    headers = [*STUDENT_HEADERS, "Группа здоровья", "Оқыту тілі", "Пол"]

    report = run(
        demo,
        imports.students_import,
        students(
            [[iin, "Сейтқали", "Нұрлан", "", "Подготовительная", "орысша", "Ер"]],
            headers,
        ),
    )

    assert report.saved
    record = StudentRecord.objects.get(student__iin=iin)
    assert (record.health_group, record.language) == ("preparatory", "ru")


def test_class_name_is_read_in_the_ways_schools_write_it():
    assert imports.parse_class_name("5 Ә") == (5, "Ә")
    assert imports.parse_class_name("5Ә") == (5, "Ә")
    assert imports.parse_class_name("11 «б»") == (11, "Б")
    assert imports.parse_class_name("7-A") == (7, "А")
    assert imports.parse_class_name("Ә") is None


def test_teacher_cannot_import(demo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(demo, imports.students_import, students([]), actor="class_teacher")


# Speed


def _rows(count: int) -> list[list[object]]:
    return [
        [
            iin_build(
                datetime.date(2011, 1, 1) + datetime.timedelta(days=n), "male", 3
            ),
            f"Оқушы{n}",
            "Нұрлан",
            "5 Ә",
        ]
        for n in range(count)
    ]


def _import_queries(demo, count: int) -> int:
    data = students(_rows(count))
    with CaptureQueriesContext(connection) as queries:
        report = run(demo, imports.students_import, data)
    assert report.saved, report.problems
    User.objects.filter(pk__in=report.new_people).update(iin=None)
    return len(queries)


def test_import_makes_no_query_per_row(demo):
    school_class(demo.organisations["urban"], 5, "Ә")

    few = _import_queries(demo, 3)
    many = _import_queries(demo, 60)

    # Bulk inserts split into a few statements where SQLite caps the values
    # per query; a query per row would add 57.
    assert many <= few + 6


def test_three_hundred_students_import_in_a_few_seconds(demo):
    school_class(demo.organisations["urban"], 5, "Ә")
    data = students(_rows(300))

    started = time.monotonic()
    report = run(demo, imports.students_import, data)
    elapsed = time.monotonic() - started

    assert report.saved
    assert report.created == 300
    assert elapsed < 10


# Staff


STAFF_HEADERS = [
    "ЖСН / ИИН",
    "Тегі / Фамилия",
    "Аты / Имя",
    "Лауазымы / Должность",
    "Біліктілік санаты / Квалификационная категория",
    "Санат берілген күні / Дата присвоения категории",
    "Пәндері / Предметы",
]


def test_staff_import_creates_teachers_with_subjects_and_attestation_dates(demo):
    iin = new_iin(datetime.date(1988, 6, 1), "female")
    data = xlsx(
        STAFF_HEADERS,
        [
            [
                iin,
                "Оспанова",
                "Гүлжан",
                "Химия мұғалімі",
                "педагог-модератор",
                datetime.date(2023, 1, 10),
                "Химия, Биология",
            ]
        ],
    )

    report = run(demo, imports.staff_import, data)

    assert report.saved
    record = StaffRecord.objects.get(person__iin=iin)
    assert record.category == "moderator"
    assert record.attestation_due_on == datetime.date(2028, 1, 10)
    assert sorted(s.code for s in record.subjects.all()) == ["biology", "chemistry"]
    assert record.person.memberships.get().role == Role.TEACHER


def test_staff_reimport_updates_the_file_of_a_teacher_already_here(demo):
    teacher = demo.people["teacher_ru"]
    data = xlsx(
        STAFF_HEADERS,
        [
            [
                teacher.iin,
                teacher.surname,
                teacher.name,
                "Орыс тілі мұғалімі",
                "",
                "",
                "Орыс тілі",
            ]
        ],
    )
    records_before = StaffRecord.objects.count()

    report = run(demo, imports.staff_import, data)

    assert (report.created, report.updated) == (0, 1)
    assert StaffRecord.objects.count() == records_before
    record = StaffRecord.objects.get(person=teacher)
    assert [s.code for s in record.subjects.all()] == ["russian_language"]
    assert record.category == "moderator"


def test_unknown_subject_is_named_in_its_column(demo):
    data = xlsx(
        STAFF_HEADERS,
        [
            [
                new_iin(datetime.date(1990, 1, 1)),
                "Ким",
                "Олег",
                "Мұғалім",
                "",
                "",
                "Астрология",
            ]
        ],
    )

    report = run(demo, imports.staff_import, data, dry_run=True)

    assert [(p.row, p.column) for p in report.problems] == [
        (2, "G · Пәндері / Предметы")
    ]


# Guardians


GUARDIAN_HEADERS = [
    "Баланың ЖСН / ИИН ребёнка",
    "Ата-ананың ЖСН / ИИН родителя",
    "Тегі / Фамилия",
    "Аты / Имя",
    "Туыстығы / Кем приходится",
]


def test_guardian_import_links_by_the_childs_and_the_guardians_iin(demo):
    alikhan = demo.people["student_alikhan"]
    rural_parent = person_in(demo.organisations["rural"], Role.PARENT)
    new_parent_iin = new_iin(datetime.date(1987, 2, 2), "female")
    data = xlsx(
        GUARDIAN_HEADERS,
        [
            [alikhan.iin, rural_parent.iin, "", "", "Әкесі"],
            [alikhan.iin, new_parent_iin, "Жұмабаева", "Сәуле", "Мать"],
        ],
    )

    report = run(demo, imports.guardians_import, data)

    assert report.saved
    assert (report.created, report.linked) == (1, 2)
    guardians = {
        g.guardian.iin: g.relation for g in Guardianship.objects.filter(child=alikhan)
    }
    assert guardians[rural_parent.iin] == "father"
    assert guardians[new_parent_iin] == "mother"
    assert Membership.objects.filter(
        user=rural_parent, organisation=demo.organisations["urban"], role=Role.PARENT
    ).exists()


def test_guardian_import_names_a_child_who_is_not_a_student_here(demo):
    aisha = demo.people["student_aisha"]
    data = xlsx(
        GUARDIAN_HEADERS,
        [[aisha.iin, new_iin(datetime.date(1980, 1, 1)), "А", "Б", "Мать"]],
    )

    report = run(demo, imports.guardians_import, data, dry_run=True)

    assert problems(report) == [
        (
            2,
            "A · Баланың ЖСН / ИИН ребёнка",
            gettext("No student of your school has this IIN."),
        )
    ]


def test_guardian_reimport_changes_the_relation_without_a_second_link(demo):
    maksim = demo.people["student_maksim"]
    mother = demo.people["parent_ru"]
    data = xlsx(
        GUARDIAN_HEADERS, [[maksim.iin, mother.iin, "", "", "Опекун или попечитель"]]
    )

    report = run(demo, imports.guardians_import, data)

    assert (report.created, report.linked, report.updated) == (0, 0, 1)
    assert Guardianship.objects.get(child=maksim).relation == "guardian"
