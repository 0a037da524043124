"""Reads of the school's frame: scoped to the school, counted right, suggested
where the state standard asks for subgroups."""

import datetime

import pytest
from django.http import Http404

from sabaq.people.models import Enrolment
from sabaq.schools import selectors, services
from sabaq.schools.alphabet import alphabetical_key
from sabaq.schools.models import InstructionLanguage, Subject
from sabaq.schools.tests.factories import (
    FIRST_DAY,
    numbered_surnames,
    students_in,
    subject,
)

date = datetime.date


def _codes(subjects) -> list[str]:
    return sorted(s.code for s in subjects)


def _suggest(deputy, school_class) -> list[str]:
    students = selectors.students_of_class(actor=deputy, school_class=school_class)
    return _codes(
        selectors.split_suggestions(
            actor=deputy,
            school_class=school_class,
            student_count=len(students),
            split_subject_ids=set(),
        )
    )


def _class(deputy, frame, *, grade, language, letter="Б"):
    return services.class_create(
        actor=deputy,
        year=frame.year,
        grade=grade,
        letter=letter,
        language=language,
        shift=frame.shift,
    )


@pytest.fixture
def subjects_taught(deputy, frame):
    codes = [
        "kazakh_language",
        "kazakh_literature",
        "english",
        "digital_literacy",
        "informatics",
        "art_work",
        "mathematics",
        "russian_language",
    ]
    services.school_subjects_set(
        actor=deputy, subjects=list(Subject.objects.filter(code__in=codes))
    )


# Alphabetical order


def test_kazakh_letters_sort_in_the_kazakh_alphabet_not_by_code_point():
    surnames = ["Яковлев", "Әлиев", "Ұлан", "Аманов", "Ілияс", "Ғалиев", "Бекова"]

    assert sorted(surnames, key=alphabetical_key) == [
        "Аманов",
        "Әлиев",
        "Бекова",
        "Ғалиев",
        "Ұлан",
        "Ілияс",
        "Яковлев",
    ]


# Years


def test_school_years_are_those_of_the_actors_school_only(deputy, demo, frame):
    assert list(selectors.school_years(actor=deputy)) == [frame.year]
    assert frame.year not in selectors.school_years(
        actor=demo.membership("rural_deputy")
    )


def test_another_schools_year_is_missing_for_the_actor(demo, frame):
    with pytest.raises(Http404):
        selectors.school_year_get(
            actor=demo.membership("rural_deputy"), year_id=frame.year.pk
        )


def test_current_year_includes_today_or_else_is_the_latest_open_one(deputy, frame):
    assert selectors.current_year(actor=deputy, today=date(2026, 2, 1)) == frame.year
    assert selectors.current_year(actor=deputy, today=date(2030, 1, 1)) == frame.year


def test_day_in_year_moves_today_into_the_year(frame):
    assert selectors.day_in_year(frame.year, date(2025, 8, 1)) == date(2025, 9, 1)
    assert selectors.day_in_year(frame.year, date(2026, 1, 9)) == date(2026, 1, 9)
    assert selectors.day_in_year(frame.year, date(2026, 12, 3)) == date(2026, 5, 25)


# Classes


def test_class_counts_only_students_enrolled_on_the_day(deputy, frame):
    students_in(frame.school_class, ["Аманов", "Бекова"])
    later = students_in(frame.school_class, ["Жаңа"], starts_on=date(2026, 1, 8))
    left = students_in(frame.school_class, ["Кеткен"])[0]
    Enrolment.objects.filter(student=left).update(ends_on=date(2025, 12, 28))

    def count(day):
        return selectors.classes(actor=deputy, year=frame.year, on_date=day).get()

    assert count(date(2025, 10, 1)).student_count == 3
    assert count(date(2026, 2, 1)).student_count == 3
    assert later[0].pk in {
        s.pk
        for s in selectors.students_of_class(
            actor=deputy, school_class=frame.school_class, on_date=date(2026, 2, 1)
        )
    }


def test_class_list_query_count_does_not_grow_with_classes(
    deputy, frame, django_assert_max_num_queries
):
    for letter in "БВГҒД":
        school_class = _class(
            deputy, frame, grade=6, language=InstructionLanguage.KAZAKH, letter=letter
        )
        students_in(school_class, [f"{letter}{n}" for n in range(3)])

    with django_assert_max_num_queries(1):
        found = list(selectors.classes(actor=deputy, year=frame.year))
        [(c.shift.number, c.home_room, c.class_teacher) for c in found]

    assert [c.student_count for c in found] == [0, 3, 3, 3, 3, 3]


def test_another_schools_class_is_missing_for_the_actor(demo, frame):
    with pytest.raises(Http404):
        selectors.class_get(
            actor=demo.membership("rural_deputy"), class_id=frame.school_class.pk
        )


def test_students_of_a_class_are_in_kazakh_alphabetical_order(deputy, frame):
    students_in(frame.school_class, ["Ғалиев", "Әлиев", "Бекова"])

    students = selectors.students_of_class(
        actor=deputy, school_class=frame.school_class, on_date=FIRST_DAY
    )

    assert [s.surname for s in students] == ["Әлиев", "Бекова", "Ғалиев"]


# Split suggestions


def test_russian_class_of_24_is_told_to_split_kazakh_english_and_informatics(
    deputy, frame, subjects_taught
):
    school_class = _class(deputy, frame, grade=5, language=InstructionLanguage.RUSSIAN)
    students_in(school_class, numbered_surnames(24))

    assert _suggest(deputy, school_class) == [
        "art_work",
        "english",
        "informatics",
        "kazakh_language",
        "kazakh_literature",
    ]


def test_kazakh_medium_class_is_not_told_to_split_kazakh(
    deputy, frame, subjects_taught
):
    school_class = _class(deputy, frame, grade=7, language=InstructionLanguage.KAZAKH)
    students_in(school_class, numbered_surnames(25))

    assert _suggest(deputy, school_class) == ["art_work", "english", "informatics"]


def test_class_of_23_gets_no_suggestion(deputy, frame, subjects_taught):
    school_class = _class(deputy, frame, grade=5, language=InstructionLanguage.RUSSIAN)
    students_in(school_class, numbered_surnames(23))

    assert _suggest(deputy, school_class) == []


def test_small_school_is_told_to_split_from_16_students(deputy, frame, subjects_taught):
    school = deputy.organisation
    school.is_small_school = True
    school.save(update_fields=["is_small_school"])
    school_class = _class(deputy, frame, grade=5, language=InstructionLanguage.KAZAKH)
    students_in(school_class, numbered_surnames(16))
    school_class.refresh_from_db()

    assert _suggest(deputy, school_class) == ["art_work", "english", "informatics"]


def test_grade_1_digital_literacy_is_not_split_but_grade_2_is(
    deputy, frame, subjects_taught
):
    first = _class(deputy, frame, grade=1, language=InstructionLanguage.KAZAKH)
    second = _class(deputy, frame, grade=2, language=InstructionLanguage.KAZAKH)
    students_in(first, numbered_surnames(24, "Бір"))
    students_in(second, numbered_surnames(24, "Екі"))

    assert _suggest(deputy, first) == []
    assert _suggest(deputy, second) == ["digital_literacy"]


def test_subject_already_split_is_not_suggested_again(deputy, frame, subjects_taught):
    students_in(frame.school_class, numbered_surnames(24))
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )

    suggestions = selectors.split_suggestions(
        actor=deputy,
        school_class=frame.school_class,
        student_count=24,
        split_subject_ids={subject("english").pk},
    )

    assert "english" not in _codes(suggestions)


def test_subjects_the_school_does_not_teach_are_not_suggested(deputy, frame):
    services.school_subjects_set(actor=deputy, subjects=[subject("mathematics")])
    students_in(frame.school_class, numbered_surnames(30))

    assert _suggest(deputy, frame.school_class) == []


# Subgroups


def test_class_splits_show_who_is_where_and_who_is_in_no_group(deputy, frame):
    students_in(frame.school_class, ["Аманов", "Бекова"])
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )
    newcomer = students_in(frame.school_class, ["Жаңа"], starts_on=date(2025, 10, 1))
    day = date(2025, 10, 2)
    students = selectors.students_of_class(
        actor=deputy, school_class=frame.school_class, on_date=day
    )

    (split,) = selectors.class_splits(
        actor=deputy, school_class=frame.school_class, students=students, on_date=day
    )

    assert split.subject == subject("english")
    assert [[m.student.surname for m in g.current_members] for g in split.groups] == [
        ["Аманов"],
        ["Бекова"],
    ]
    assert split.unassigned == newcomer


def test_subgroups_of_another_school_are_never_listed(demo, deputy, frame):
    students_in(frame.school_class, ["Аманов", "Бекова"])
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )

    assert selectors.subgroups(actor=deputy, year=frame.year).count() == 2
    assert not selectors.subgroups(actor=demo.membership("rural_deputy")).exists()


# Rollover plan


def test_rollover_plan_lists_moving_and_graduating_classes_with_their_students(
    deputy, frame
):
    students_in(frame.school_class, ["Бекова", "Аманов"])
    eleventh = services.class_create(
        actor=deputy, year=frame.year, grade=11, letter="А", language="kk",
        shift=frame.shift,
    )  # fmt: skip
    students_in(eleventh, ["Серіков"])

    plan = selectors.rollover_plan(actor=deputy, year=frame.year)

    assert [(str(e.school_class), e.next_grade) for e in plan.classes] == [
        ("5 «А»", 6),
        ("11 «А»", None),
    ]
    assert [s.surname for s in plan.moving[0].students] == ["Аманов", "Бекова"]
    assert (plan.student_count, plan.graduate_count, plan.leaving_count) == (2, 1, 0)
