"""Services of the school's frame: who may change what, and what bad input does."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sabaq.core.models import AuditEntry
from sabaq.people.models import Enrolment
from sabaq.schools import services
from sabaq.schools.models import (
    Holiday,
    HolidayKind,
    InstructionLanguage,
    LessonLength,
    Period,
    Quarter,
    RoomKind,
    SchoolClass,
    SchoolSubject,
    SchoolYear,
    Subgroup,
    SubgroupMember,
    Subject,
    SubjectArea,
    YearStatus,
)
from sabaq.schools.presets import MINISTRY_2025_2026
from sabaq.schools.tests.factories import (
    FIRST_DAY,
    new_school,
    student_in_school,
    students_in,
    subject,
)

date = datetime.date
time = datetime.time

QUARTERS_2026 = [
    (date(2026, 9, 1), date(2026, 10, 25)),
    (date(2026, 11, 2), date(2026, 12, 27)),
    (date(2027, 1, 8), date(2027, 3, 19)),
    (date(2027, 3, 30), date(2027, 5, 25)),
]
NEXT_YEAR = {
    "starts_on": date(2026, 9, 1),
    "ends_on": date(2027, 5, 25),
    "quarters": QUARTERS_2026,
}


def _errors(error: pytest.ExceptionInfo) -> dict:
    return error.value.message_dict


# School years


def test_deputy_creates_a_year_with_its_four_quarters_and_an_audit_row(deputy):
    year = services.year_create(actor=deputy, **NEXT_YEAR)

    assert year.school_id == deputy.organisation_id
    assert year.status == YearStatus.OPEN
    assert [(q.starts_on, q.ends_on) for q in year.quarters.all()] == QUARTERS_2026
    entry = AuditEntry.objects.get(
        school=deputy.organisation, action="schools.year_create"
    )
    assert entry.school_id == deputy.organisation_id
    assert len(entry.after["quarters"]) == 4


@pytest.mark.parametrize("persona", ["class_teacher", "student_aruzhan", "parent_ru"])
def test_teachers_students_and_parents_cannot_create_a_year(demo, persona):
    with pytest.raises(PermissionDenied):
        services.year_create(actor=demo.membership(persona), **NEXT_YEAR)

    assert not SchoolYear.objects.filter(
        starts_on=date(2026, 9, 1), school=demo.organisations["urban"]
    ).exists()


def test_director_of_another_school_cannot_change_this_schools_year(demo, frame):
    with pytest.raises(PermissionDenied):
        services.year_update(
            actor=demo.membership("rural_director"),
            year=frame.year,
            starts_on=frame.year.starts_on,
            ends_on=frame.year.ends_on,
            quarters=MINISTRY_2025_2026.quarters,
        )


def test_quarter_outside_the_year_is_refused_on_its_field(deputy):
    quarters = [*QUARTERS_2026[:3], (date(2027, 3, 30), date(2027, 6, 10))]

    with pytest.raises(ValidationError) as error:
        services.year_create(actor=deputy, **{**NEXT_YEAR, "quarters": quarters})

    assert list(_errors(error)) == ["q4_ends_on"]
    assert not SchoolYear.objects.filter(school=deputy.organisation).exists()


def test_overlapping_quarters_are_refused_on_the_later_quarter(deputy):
    quarters = [
        QUARTERS_2026[0],
        (date(2026, 10, 20), date(2026, 12, 27)),
        *QUARTERS_2026[2:],
    ]

    with pytest.raises(ValidationError) as error:
        services.year_create(actor=deputy, **{**NEXT_YEAR, "quarters": quarters})

    assert list(_errors(error)) == ["q2_starts_on"]


def test_quarters_out_of_order_are_refused(deputy):
    quarters = [QUARTERS_2026[1], QUARTERS_2026[0], *QUARTERS_2026[2:]]

    with pytest.raises(ValidationError) as error:
        services.year_create(actor=deputy, **{**NEXT_YEAR, "quarters": quarters})

    assert "q2_starts_on" in _errors(error)


def test_quarter_ending_before_it_starts_is_refused(deputy):
    quarters = [
        (date(2026, 10, 25), date(2026, 9, 1)),
        *QUARTERS_2026[1:],
    ]

    with pytest.raises(ValidationError) as error:
        services.year_create(actor=deputy, **{**NEXT_YEAR, "quarters": quarters})

    assert "q1_ends_on" in _errors(error)


def test_year_that_ends_before_it_starts_is_refused(deputy):
    with pytest.raises(ValidationError) as error:
        services.year_create(
            actor=deputy,
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 8, 1),
            quarters=QUARTERS_2026,
        )

    assert "ends_on" in _errors(error)
    assert not AuditEntry.objects.filter(
        school=deputy.organisation, action="schools.year_create"
    ).exists()


def test_year_overlapping_another_year_of_the_school_is_refused(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.year_create(
            actor=deputy,
            starts_on=date(2026, 5, 1),
            ends_on=date(2027, 3, 1),
            quarters=[
                (date(2026, 5, 1), date(2026, 6, 1)),
                (date(2026, 9, 1), date(2026, 10, 1)),
                (date(2026, 11, 1), date(2026, 12, 1)),
                (date(2027, 1, 10), date(2027, 3, 1)),
            ],
        )

    assert "starts_on" in _errors(error)


def test_another_school_may_have_a_year_with_the_same_dates(demo, frame):
    other = new_school(demo.organisations["district"])

    year = services.year_create_from_preset(
        actor=other.deputy, preset_code=MINISTRY_2025_2026.code
    )

    assert year.school == other.school


def test_preset_enters_the_ministrys_2025_2026_calendar_exactly(deputy):
    year = services.year_create_from_preset(
        actor=deputy, preset_code=MINISTRY_2025_2026.code
    )

    assert (year.starts_on, year.ends_on) == (date(2025, 9, 1), date(2026, 5, 25))
    assert [(q.number, q.starts_on, q.ends_on) for q in year.quarters.all()] == [
        (1, date(2025, 9, 1), date(2025, 10, 26)),
        (2, date(2025, 11, 3), date(2025, 12, 28)),
        (3, date(2026, 1, 8), date(2026, 3, 18)),
        (4, date(2026, 3, 30), date(2026, 5, 25)),
    ]
    assert [
        (h.kind, h.starts_on, h.ends_on, h.grades) for h in year.holidays.all()
    ] == [
        (HolidayKind.DAY_OFF, date(2025, 9, 1), date(2025, 9, 1), []),
        (HolidayKind.AUTUMN, date(2025, 10, 27), date(2025, 11, 2), []),
        (HolidayKind.WINTER, date(2025, 12, 29), date(2026, 1, 7), []),
        (HolidayKind.EXTRA, date(2026, 2, 9), date(2026, 2, 15), [1]),
        (HolidayKind.SPRING, date(2026, 3, 19), date(2026, 3, 29), []),
    ]
    rule = year.lesson_lengths.get()
    assert (rule.grade_from, rule.grade_to, rule.minutes) == (1, 1, 35)
    assert (rule.starts_on, rule.ends_on) == (date(2025, 9, 1), date(2025, 9, 30))


def test_preset_entered_twice_is_refused_and_adds_nothing(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.year_create_from_preset(
            actor=deputy, preset_code=MINISTRY_2025_2026.code
        )

    assert "starts_on" in _errors(error)
    assert SchoolYear.objects.filter(school=deputy.organisation).count() == 1
    assert Holiday.objects.filter(year__school=deputy.organisation).count() == 5


def test_unknown_preset_is_refused(deputy):
    with pytest.raises(ValidationError):
        services.year_create_from_preset(actor=deputy, preset_code="kz-1999-2000")


def test_deputy_moves_a_quarter_of_an_open_year(deputy, frame):
    quarters = list(MINISTRY_2025_2026.quarters)
    quarters[3] = (date(2026, 3, 31), date(2026, 5, 25))

    services.year_update(
        actor=deputy,
        year=frame.year,
        starts_on=frame.year.starts_on,
        ends_on=frame.year.ends_on,
        quarters=quarters,
    )

    assert Quarter.objects.get(year=frame.year, number=4).starts_on == date(2026, 3, 31)
    assert (
        AuditEntry.objects.filter(
            school=deputy.organisation, action="schools.year_update"
        ).count()
        == 1
    )


def test_year_cannot_shrink_past_its_holidays(deputy, frame):
    quarters = list(MINISTRY_2025_2026.quarters)
    quarters[0] = (date(2025, 9, 2), date(2025, 10, 26))

    with pytest.raises(ValidationError) as error:
        services.year_update(
            actor=deputy,
            year=frame.year,
            starts_on=date(2025, 9, 2),
            ends_on=frame.year.ends_on,
            quarters=quarters,
        )

    assert "starts_on" in _errors(error)
    frame.year.refresh_from_db()
    assert frame.year.starts_on == date(2025, 9, 1)


# Holidays and lesson lengths


def test_deputy_adds_a_holiday_for_some_grades_only(deputy, frame):
    holiday = services.holiday_add(
        actor=deputy,
        year=frame.year,
        kind=HolidayKind.PUBLIC,
        name="Тәуелсіздік күні",
        starts_on=date(2025, 12, 16),
        ends_on=date(2025, 12, 16),
        grades=["3", 1, 1],
    )

    assert holiday.grades == [1, 3]
    assert str(holiday) == "Тәуелсіздік күні"
    assert (
        AuditEntry.objects.filter(
            school=deputy.organisation, action="schools.holiday_add"
        ).count()
        == 6
    )


def test_holiday_outside_the_year_is_refused_on_its_dates(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.holiday_add(
            actor=deputy,
            year=frame.year,
            kind=HolidayKind.OTHER,
            starts_on=date(2026, 5, 20),
            ends_on=date(2026, 6, 3),
        )

    assert list(_errors(error)) == ["ends_on"]


def test_holiday_for_grade_13_is_refused(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.holiday_add(
            actor=deputy,
            year=frame.year,
            kind=HolidayKind.OTHER,
            starts_on=date(2026, 2, 2),
            ends_on=date(2026, 2, 2),
            grades=[13],
        )

    assert list(_errors(error)) == ["grades"]


def test_deputy_changes_and_removes_a_holiday_with_audit(deputy, frame):
    holiday = frame.year.holidays.get(kind=HolidayKind.AUTUMN)

    services.holiday_update(
        actor=deputy,
        holiday=holiday,
        kind=HolidayKind.AUTUMN,
        starts_on=date(2025, 10, 27),
        ends_on=date(2025, 11, 1),
    )
    services.holiday_remove(actor=deputy, holiday=holiday)

    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    entry = AuditEntry.objects.get(
        school=deputy.organisation, action="schools.holiday_update"
    )
    assert entry.before["ends_on"] == "2025-11-02"
    assert entry.after["ends_on"] == "2025-11-01"
    assert AuditEntry.objects.filter(
        school=deputy.organisation, action="schools.holiday_remove"
    ).exists()


def test_lesson_length_rule_overlapping_another_is_refused(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.lesson_length_add(
            actor=deputy,
            year=frame.year,
            grade_from=1,
            grade_to=4,
            starts_on=date(2025, 9, 15),
            ends_on=date(2025, 10, 15),
            minutes=40,
        )

    assert list(_errors(error)) == ["starts_on"]


def test_lesson_length_outside_10_to_90_minutes_is_refused(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.lesson_length_add(
            actor=deputy,
            year=frame.year,
            grade_from=2,
            grade_to=4,
            starts_on=date(2025, 10, 1),
            ends_on=date(2025, 10, 31),
            minutes=120,
        )

    assert list(_errors(error)) == ["minutes"]


def test_deputy_removes_a_lesson_length_rule(deputy, frame):
    rule = frame.year.lesson_lengths.get()

    services.lesson_length_remove(actor=deputy, rule=rule)

    assert not LessonLength.objects.filter(pk=rule.pk).exists()


# A closed year


@pytest.fixture
def closed_frame(deputy, frame):
    students_in(frame.school_class, ["Аманов", "Бекова"])
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )
    services.year_close(actor=deputy, year=frame.year)
    frame.year.refresh_from_db()
    frame.school_class.refresh_from_db()
    return frame


CHANGES_OF_A_CLOSED_YEAR = {
    "year_update": lambda d, f: services.year_update(
        actor=d,
        year=f.year,
        starts_on=f.year.starts_on,
        ends_on=f.year.ends_on,
        quarters=MINISTRY_2025_2026.quarters,
    ),
    "holiday_add": lambda d, f: services.holiday_add(
        actor=d,
        year=f.year,
        kind=HolidayKind.OTHER,
        starts_on=date(2026, 2, 2),
        ends_on=date(2026, 2, 2),
    ),
    "holiday_remove": lambda d, f: services.holiday_remove(
        actor=d, holiday=f.year.holidays.first()
    ),
    "lesson_length_add": lambda d, f: services.lesson_length_add(
        actor=d,
        year=f.year,
        grade_from=2,
        grade_to=2,
        starts_on=date(2025, 10, 1),
        ends_on=date(2025, 10, 2),
        minutes=40,
    ),
    "class_create": lambda d, f: services.class_create(
        actor=d, year=f.year, grade=6, letter="Б", language="kk", shift=f.shift
    ),
    "class_update": lambda d, f: services.class_update(
        actor=d,
        school_class=f.school_class,
        grade=5,
        letter="Б",
        language="kk",
        shift=f.shift,
        class_teacher=None,
        home_room=None,
    ),
    "subgroups_remove": lambda d, f: services.subgroups_remove(
        actor=d, school_class=f.school_class, subject=subject("english")
    ),
    "subgroup_member_move": lambda d, f: services.subgroup_member_move(
        actor=d,
        student=SubgroupMember.objects.filter(subgroup__number=1).first().student,
        subgroup=Subgroup.objects.get(number=2, school_class=f.school_class),
        on_date=date(2025, 10, 1),
    ),
    "year_close": lambda d, f: services.year_close(actor=d, year=f.year),
}


@pytest.mark.parametrize("change", CHANGES_OF_A_CLOSED_YEAR)
def test_every_service_refuses_to_change_a_closed_year(deputy, closed_frame, change):
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as error:
        CHANGES_OF_A_CLOSED_YEAR[change](deputy, closed_frame)

    assert error.value.code == "year_closed"
    assert "closed" in str(error.value.messages[0]) or error.value.messages
    assert AuditEntry.objects.count() == audit_before


# Shifts and bells


def test_shifts_are_numbered_one_two_three_and_no_fourth(deputy):
    numbers = [services.shift_create(actor=deputy).number for _ in range(3)]

    with pytest.raises(ValidationError):
        services.shift_create(actor=deputy)

    assert numbers == [1, 2, 3]


def test_deputy_sets_bells_and_shorter_schedules_drop_the_last_lessons(deputy, frame):
    services.bell_schedule_set(
        actor=deputy,
        shift=frame.shift,
        periods=[(time(8, 30), time(9, 15)), (time(9, 25), time(10, 10))],
    )

    assert [
        (p.number, p.starts_at) for p in Period.objects.filter(shift=frame.shift)
    ] == [(1, time(8, 30)), (2, time(9, 25))]
    entry = (
        AuditEntry.objects.filter(
            school=deputy.organisation, action="schools.bell_schedule_set"
        )
        .order_by("pk")
        .last()
    )
    assert entry.before["bells"][0] == "1. 08:00–08:45"
    assert entry.after["bells"] == ["1. 08:30–09:15", "2. 09:25–10:10"]


def test_overlapping_bells_are_refused_on_the_later_lesson(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.bell_schedule_set(
            actor=deputy,
            shift=frame.shift,
            periods=[(time(8, 0), time(8, 45)), (time(8, 40), time(9, 25))],
        )

    assert list(_errors(error)) == ["period_2_starts_at"]
    assert frame.shift.periods.count() == 3


def test_lesson_ending_before_it_starts_is_refused(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.bell_schedule_set(
            actor=deputy, shift=frame.shift, periods=[(time(9, 0), time(8, 0))]
        )

    assert list(_errors(error)) == ["period_1_ends_at"]


def test_bell_schedule_needs_at_least_one_lesson(deputy, frame):
    with pytest.raises(ValidationError):
        services.bell_schedule_set(actor=deputy, shift=frame.shift, periods=[])


def test_shift_with_classes_cannot_be_removed_but_an_empty_one_can(deputy, frame):
    with pytest.raises(ValidationError):
        services.shift_remove(actor=deputy, shift=frame.shift)

    services.shift_remove(actor=deputy, shift=frame.second_shift)

    assert list(deputy.organisation.shifts.values_list("number", flat=True)) == [1]


# Rooms


def test_deputy_adds_a_computer_class_serving_both_shifts(deputy, frame):
    room = services.room_create(
        actor=deputy,
        name="Информатика 2",
        kind=RoomKind.COMPUTER,
        capacity=15,
        shifts=[frame.shift, frame.second_shift],
    )

    assert sorted(s.number for s in room.shifts.all()) == [1, 2]
    entry = AuditEntry.objects.get(
        school=deputy.organisation, action="schools.room_create", target_id=room.pk
    )
    assert entry.after["shifts"] == [1, 2]


def test_room_name_is_unique_in_a_school_whatever_the_case(deputy, frame):
    services.room_create(actor=deputy, name="Спортзал", kind=RoomKind.GYM)

    with pytest.raises(ValidationError) as error:
        services.room_create(actor=deputy, name="спортзал ", kind=RoomKind.GYM)

    assert list(_errors(error)) == ["name"]


def test_room_with_another_schools_shift_is_refused(demo, deputy):
    rural_shift = services.shift_create(actor=demo.membership("rural_deputy"))

    with pytest.raises(ValidationError) as error:
        services.room_create(actor=deputy, name="202", shifts=[rural_shift])

    assert list(_errors(error)) == ["shifts"]


def test_room_with_no_seats_is_refused(deputy):
    with pytest.raises(ValidationError) as error:
        services.room_create(actor=deputy, name="202", capacity=0)

    assert list(_errors(error)) == ["capacity"]


def test_deputy_takes_a_room_out_of_use(deputy, frame):
    services.room_update(
        actor=deputy,
        room=frame.room,
        name="101",
        kind=RoomKind.CLASSROOM,
        capacity=28,
        shifts=[],
        is_active=False,
    )

    frame.room.refresh_from_db()
    assert (frame.room.capacity, frame.room.is_active) == (28, False)
    assert not frame.room.shifts.exists()


def test_teacher_cannot_add_a_room(demo):
    with pytest.raises(PermissionDenied):
        services.room_create(actor=demo.membership("class_teacher"), name="303")


# Subjects


def test_national_list_has_the_kazakhstan_curriculum_in_three_languages(db):
    national = Subject.objects.filter(school=None)

    assert national.count() >= 30
    self_knowledge = national.get(code="self_knowledge")
    assert (self_knowledge.name_kk, self_knowledge.name_ru, self_knowledge.name_en) == (
        "Өзін-өзі тану",
        "Самопознание",
        "Self-knowledge",
    )
    assert national.get(code="art_work").name_kk == "Көркем еңбек"
    assert national.get(code="military_training").name_ru == (
        "Начальная военная и технологическая подготовка"
    )
    assert national.get(code="history_of_kazakhstan").name_en == (
        "History of Kazakhstan"
    )
    assert set(national.values_list("area", flat=True)) == set(SubjectArea.values)


def test_deputy_picks_subjects_from_the_national_list(deputy, frame):
    services.school_subjects_set(
        actor=deputy, subjects=[subject("english"), subject("physics")]
    )

    taught = SchoolSubject.objects.filter(school=deputy.organisation)
    assert sorted(taught.values_list("subject__code", flat=True)) == [
        "english",
        "physics",
    ]
    entry = (
        AuditEntry.objects.filter(
            school=deputy.organisation, action="schools.school_subjects_set"
        )
        .order_by("pk")
        .last()
    )
    assert entry.after == {"subjects": ["english", "physics"]}


def test_subject_split_in_an_open_year_stays_on_the_list(deputy, frame):
    students_in(frame.school_class, ["Аманов", "Бекова"])
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )

    with pytest.raises(ValidationError) as error:
        services.school_subjects_set(actor=deputy, subjects=[subject("physics")])

    assert list(_errors(error)) == ["subjects"]
    assert SchoolSubject.objects.filter(
        school=deputy.organisation, subject=subject("english")
    ).exists()


def test_deputy_adds_an_own_subject_that_the_school_then_teaches(deputy):
    chess = services.subject_create(
        actor=deputy, name_kk="Шахмат", name_ru="Шахматы", grade_from=2, grade_to=4
    )

    assert chess.school_id == deputy.organisation_id
    assert chess.code == "own-1"
    assert SchoolSubject.objects.filter(school=deputy.organisation, subject=chess)


def test_own_subject_named_like_a_national_one_is_refused(deputy):
    with pytest.raises(ValidationError) as error:
        services.subject_create(actor=deputy, name_kk="физика", name_ru="Физика")

    assert list(_errors(error)) == ["name_kk"]


def test_national_subject_cannot_be_edited_by_a_school(deputy):
    physics = subject("physics")

    with pytest.raises(PermissionDenied):
        services.subject_update(
            actor=deputy,
            subject=physics,
            name_kk="Физика!",
            name_ru="Физика",
            name_en="Physics",
            area=SubjectArea.OTHER,
            grade_from=7,
            grade_to=11,
        )


def test_another_schools_own_subject_cannot_be_picked(demo, deputy):
    rural = services.subject_create(
        actor=demo.membership("rural_deputy"), name_kk="Домбыра", name_ru="Домбра"
    )

    with pytest.raises(PermissionDenied):
        services.school_subjects_set(actor=deputy, subjects=[rural])


# Classes


def test_deputy_creates_5_a_and_5_ae_as_two_classes(teacher, demo, deputy, frame):

    ae = services.class_create(
        actor=deputy,
        year=frame.year,
        grade=5,
        letter="ә",
        language=InstructionLanguage.KAZAKH,
        shift=frame.second_shift,
        class_teacher=teacher,
    )

    assert str(ae) == "5 «Ә»"
    assert ae.class_teacher == teacher
    assert frame.year.classes.count() == 2
    entry = AuditEntry.objects.get(
        school=deputy.organisation, action="schools.class_create", target_id=ae.pk
    )
    assert entry.after["letter"] == "Ә"


def test_second_5_a_in_the_same_year_is_refused_with_a_clear_message(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.class_create(
            actor=deputy,
            year=frame.year,
            grade=5,
            letter="А",
            language=InstructionLanguage.KAZAKH,
            shift=frame.shift,
        )

    assert list(_errors(error)) == ["letter"]
    assert "5 «А»" in _errors(error)["letter"][0]


def test_class_letter_outside_the_kazakh_alphabet_is_refused(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.class_create(
            actor=deputy,
            year=frame.year,
            grade=5,
            letter="Q",
            language=InstructionLanguage.KAZAKH,
            shift=frame.shift,
        )

    assert list(_errors(error)) == ["letter"]


def test_class_teacher_must_teach_in_this_school(demo, deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.class_create(
            actor=deputy,
            year=frame.year,
            grade=6,
            letter="А",
            language=InstructionLanguage.KAZAKH,
            shift=frame.shift,
            class_teacher=demo.people["rural_teacher"],
        )

    assert list(_errors(error)) == ["class_teacher"]


def test_class_in_another_schools_shift_or_room_is_refused(demo, deputy, frame):
    rural = demo.membership("rural_deputy")
    rural_shift = services.shift_create(actor=rural)
    rural_room = services.room_create(actor=rural, name="Сынақ бөлмесі")

    with pytest.raises(ValidationError) as error:
        services.class_create(
            actor=deputy,
            year=frame.year,
            grade=6,
            letter="А",
            language=InstructionLanguage.KAZAKH,
            shift=rural_shift,
            home_room=rural_room,
        )

    assert sorted(_errors(error)) == ["home_room", "shift"]


def test_class_of_another_schools_year_cannot_be_created(demo, frame):
    with pytest.raises(PermissionDenied):
        services.class_create(
            actor=demo.membership("rural_deputy"),
            year=frame.year,
            grade=6,
            letter="А",
            language=InstructionLanguage.KAZAKH,
            shift=frame.shift,
        )


def test_deputy_changes_a_classs_language_and_teacher(teacher, demo, deputy, frame):
    services.class_update(
        actor=deputy,
        school_class=frame.school_class,
        grade=5,
        letter="А",
        language=InstructionLanguage.KAZAKH,
        shift=frame.second_shift,
        class_teacher=teacher,
        home_room=None,
    )

    frame.school_class.refresh_from_db()
    assert frame.school_class.language == InstructionLanguage.KAZAKH
    assert frame.school_class.shift == frame.second_shift
    entry = AuditEntry.objects.get(
        school=deputy.organisation, action="schools.class_update"
    )
    assert entry.before["shift"] == frame.shift.pk


# Subgroups


def test_split_divides_the_class_alphabetically_in_the_kazakh_order(deputy, frame):
    students_in(frame.school_class, ["Ғалиев", "Бекова", "Әлиев", "Яковлев", "Аманов"])

    groups = services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )

    members = [[m.student.surname for m in g.members.order_by("id")] for g in groups]
    assert members == [["Аманов", "Әлиев", "Бекова"], ["Ғалиев", "Яковлев"]]
    assert {m.starts_on for g in groups for m in g.members.all()} == {FIRST_DAY}
    assert (
        AuditEntry.objects.get(
            school=deputy.organisation, action="schools.subgroups_split"
        ).after["students"]
        == 5
    )


def test_split_into_three_groups_gives_the_extra_students_to_the_first(deputy, frame):
    students_in(frame.school_class, [f"Оқушы{n}" for n in range(8)])

    groups = services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        groups=3,
        on_date=FIRST_DAY,
    )

    assert [g.members.count() for g in groups] == [3, 3, 2]


def test_class_already_split_for_a_subject_cannot_be_split_again(deputy, frame):
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )

    with pytest.raises(ValidationError) as error:
        services.subgroups_split(
            actor=deputy,
            school_class=frame.school_class,
            subject=subject("english"),
            on_date=FIRST_DAY,
        )

    assert list(_errors(error)) == ["subject"]


def test_split_for_a_subject_the_school_does_not_teach_is_refused(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.subgroups_split(
            actor=deputy,
            school_class=frame.school_class,
            subject=subject("german"),
            on_date=FIRST_DAY,
        )

    assert list(_errors(error)) == ["subject"]


def test_split_into_one_group_is_refused(deputy, frame):
    with pytest.raises(ValidationError) as error:
        services.subgroups_split(
            actor=deputy,
            school_class=frame.school_class,
            subject=subject("english"),
            groups=1,
            on_date=FIRST_DAY,
        )

    assert list(_errors(error)) == ["groups"]


@pytest.fixture
def split(deputy, frame):
    students = students_in(frame.school_class, ["Аманов", "Бекова", "Иванов", "Ким"])
    groups = services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )
    return students, groups


def test_moving_a_student_ends_one_membership_the_day_before_the_other(deputy, split):
    (amanov, *_), (first, second) = split

    services.subgroup_member_move(
        actor=deputy, student=amanov, subgroup=second, on_date=date(2025, 10, 1)
    )

    history = SubgroupMember.objects.filter(student=amanov).order_by("starts_on")
    assert [(m.subgroup, m.starts_on, m.ends_on) for m in history] == [
        (first, FIRST_DAY, date(2025, 9, 30)),
        (second, date(2025, 10, 1), None),
    ]
    entry = AuditEntry.objects.get(
        school=deputy.organisation, action="schools.subgroup_member_move"
    )
    assert (entry.after["from_group"], entry.after["to_group"]) == (1, 2)


def test_moving_on_the_day_of_the_split_corrects_the_first_list(deputy, split):
    (amanov, *_), (_first, second) = split

    services.subgroup_member_move(
        actor=deputy, student=amanov, subgroup=second, on_date=FIRST_DAY
    )

    history = SubgroupMember.objects.filter(student=amanov)
    assert [(m.subgroup, m.starts_on, m.ends_on) for m in history] == [
        (second, FIRST_DAY, None)
    ]


def test_moving_to_the_group_a_student_is_in_changes_nothing(deputy, split):
    (amanov, *_), (first, _second) = split

    moved = services.subgroup_member_move(
        actor=deputy, student=amanov, subgroup=first, on_date=date(2025, 10, 1)
    )

    assert moved is False
    assert not AuditEntry.objects.filter(
        school=deputy.organisation, action="schools.subgroup_member_move"
    )


def test_move_dated_before_the_student_joined_is_refused(deputy, split):
    (amanov, *_), (_first, second) = split
    services.subgroup_member_move(
        actor=deputy, student=amanov, subgroup=second, on_date=date(2025, 10, 1)
    )

    with pytest.raises(ValidationError) as error:
        services.subgroup_member_move(
            actor=deputy,
            student=amanov,
            subgroup=split[1][0],
            on_date=date(2025, 9, 20),
        )

    assert list(_errors(error)) == ["on_date"]


def test_student_of_another_class_cannot_join_a_subgroup(deputy, frame, split):
    outsider = student_in_school(deputy.organisation, surname="Бөтен")

    with pytest.raises(ValidationError) as error:
        services.subgroup_member_move(
            actor=deputy,
            student=outsider,
            subgroup=split[1][0],
            on_date=date(2025, 10, 1),
        )

    assert list(_errors(error)) == ["student"]


def test_move_outside_the_school_year_is_refused(deputy, split):
    with pytest.raises(ValidationError) as error:
        services.subgroup_member_move(
            actor=deputy,
            student=split[0][0],
            subgroup=split[1][1],
            on_date=date(2026, 6, 1),
        )

    assert list(_errors(error)) == ["on_date"]


def test_deputy_places_several_students_at_once_and_takes_one_out(deputy, frame, split):
    (amanov, _bekova, ivanov, kim), (first, second) = split
    newcomer = students_in(frame.school_class, ["Жаңа"], starts_on=date(2025, 9, 15))[0]

    changed = services.subgroup_members_assign(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        assignment={amanov: second, kim: first, newcomer: second, ivanov: None},
        on_date=date(2025, 10, 1),
    )

    assert changed == 4
    current = SubgroupMember.objects.filter(
        ends_on__isnull=True, subgroup__school_class=frame.school_class
    )
    assert {(m.student.surname, m.subgroup.number) for m in current} == {
        ("Аманов", 2),
        ("Бекова", 1),
        ("Ким", 1),
        ("Жаңа", 2),
    }


def test_assignment_to_another_classs_group_is_refused(deputy, frame, split):
    other = services.class_create(
        actor=deputy, year=frame.year, grade=6, letter="А", language="ru",
        shift=frame.shift,
    )  # fmt: skip
    students_in(other, ["Оспанов"])
    foreign = services.subgroups_split(
        actor=deputy, school_class=other, subject=subject("english"), on_date=FIRST_DAY
    )[0]

    with pytest.raises(PermissionDenied):
        services.subgroup_members_assign(
            actor=deputy,
            school_class=frame.school_class,
            subject=subject("english"),
            assignment={split[0][0]: foreign},
            on_date=date(2025, 10, 1),
        )


def test_group_teacher_must_teach_in_this_school(teacher, demo, deputy, split):
    group = split[1][0]

    services.subgroup_update(actor=deputy, subgroup=group, teacher=teacher)
    with pytest.raises(ValidationError) as error:
        services.subgroup_update(
            actor=deputy, subgroup=group, teacher=demo.people["rural_teacher"]
        )

    assert list(_errors(error)) == ["teacher"]
    group.refresh_from_db()
    assert group.teacher == teacher


def test_deputy_adds_a_third_group_and_then_removes_the_split(deputy, frame, split):
    third = services.subgroup_add(
        actor=deputy, school_class=frame.school_class, subject=subject("english")
    )

    assert third.number == 3
    services.subgroups_remove(
        actor=deputy, school_class=frame.school_class, subject=subject("english")
    )
    assert not Subgroup.objects.filter(school_class=frame.school_class).exists()
    assert not SubgroupMember.objects.filter(student__in=split[0]).exists()


# Year rollover


@pytest.fixture
def school_with_classes(deputy, teacher, frame):
    services.class_update(
        actor=deputy,
        school_class=frame.school_class,
        grade=5,
        letter="А",
        language=InstructionLanguage.RUSSIAN,
        shift=frame.shift,
        class_teacher=teacher,
        home_room=frame.room,
    )
    fifth = students_in(frame.school_class, ["Аманов", "Бекова"])
    eleventh_class = services.class_create(
        actor=deputy,
        year=frame.year,
        grade=11,
        letter="Ә",
        language=InstructionLanguage.KAZAKH,
        shift=frame.shift,
    )
    eleventh = students_in(eleventh_class, ["Серіков"])
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )
    return fifth, eleventh


def test_rollover_moves_classes_up_graduates_the_eleventh_and_closes_the_year(
    teacher, demo, deputy, frame, school_with_classes
):
    fifth, eleventh = school_with_classes

    result = services.year_rollover(actor=deputy, year=frame.year, **NEXT_YEAR)

    new_year = result.year
    assert (new_year.starts_on, new_year.ends_on) == (
        date(2026, 9, 1),
        date(2027, 5, 25),
    )
    sixth = SchoolClass.objects.get(year=new_year)
    assert (str(sixth), sixth.language, sixth.shift, sixth.class_teacher) == (
        "6 «А»",
        InstructionLanguage.RUSSIAN,
        frame.shift,
        teacher,
    )
    assert sixth.home_room == frame.room
    for student in fifth:
        history = Enrolment.objects.filter(student=student).order_by("starts_on")
        assert [(e.school_class, e.starts_on, e.ends_on) for e in history] == [
            (frame.school_class, FIRST_DAY, date(2026, 8, 31)),
            (sixth, date(2026, 9, 1), None),
        ]
    graduate = Enrolment.objects.get(student=eleventh[0])
    assert graduate.ends_on == date(2026, 5, 25)
    frame.year.refresh_from_db()
    assert frame.year.status == YearStatus.CLOSED
    assert not Subgroup.objects.filter(school_class__year=new_year).exists()
    assert (result.classes_created, result.students_moved) == (1, 2)
    assert result.students_graduated == 1
    assert (
        AuditEntry.objects.get(
            school=deputy.organisation, action="schools.year_rollover"
        ).after["students_moved"]
        == 2
    )


def test_rollover_ends_the_enrolment_of_someone_no_longer_a_student(
    deputy, frame, school_with_classes
):
    fifth, _eleventh = school_with_classes
    fifth[0].memberships.update(is_active=False)

    result = services.year_rollover(actor=deputy, year=frame.year, **NEXT_YEAR)

    assert result.students_moved == 1
    assert result.enrolments_ended == 1
    left = Enrolment.objects.get(student=fifth[0])
    assert left.ends_on == date(2026, 5, 25)


def test_rollover_to_a_year_starting_before_this_one_ends_changes_nothing(
    deputy, frame, school_with_classes
):
    with pytest.raises(ValidationError) as error:
        services.year_rollover(
            actor=deputy,
            year=frame.year,
            **{**NEXT_YEAR, "starts_on": date(2026, 5, 1)},
        )

    assert list(_errors(error)) == ["starts_on"]
    frame.year.refresh_from_db()
    assert frame.year.status == YearStatus.OPEN
    assert SchoolYear.objects.filter(school=deputy.organisation).count() == 1


def test_rollover_with_bad_quarters_changes_nothing(deputy, frame, school_with_classes):
    quarters = [QUARTERS_2026[1], QUARTERS_2026[0], *QUARTERS_2026[2:]]

    with pytest.raises(ValidationError):
        services.year_rollover(
            actor=deputy, year=frame.year, **{**NEXT_YEAR, "quarters": quarters}
        )

    assert SchoolClass.objects.filter(year__school=deputy.organisation).count() == 2
    assert not Enrolment.objects.filter(
        school_class__year__school=deputy.organisation, ends_on__isnull=False
    ).exists()


def test_rollover_starts_only_from_the_latest_year(deputy, frame):
    services.year_create(actor=deputy, **NEXT_YEAR)

    with pytest.raises(ValidationError):
        services.year_rollover(
            actor=deputy,
            year=frame.year,
            starts_on=date(2027, 9, 1),
            ends_on=date(2028, 5, 25),
            quarters=[
                (date(2027, 9, 1), date(2027, 10, 25)),
                (date(2027, 11, 2), date(2027, 12, 27)),
                (date(2028, 1, 8), date(2028, 3, 19)),
                (date(2028, 3, 30), date(2028, 5, 25)),
            ],
        )


def test_teacher_cannot_roll_the_year_over(demo, frame):
    with pytest.raises(PermissionDenied):
        services.year_rollover(
            actor=demo.membership("class_teacher"), year=frame.year, **NEXT_YEAR
        )
