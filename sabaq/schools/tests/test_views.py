"""The school-structure pages as the deputy head uses them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sabaq.core.excel import XLSX_CONTENT_TYPE, read_rows
from sabaq.schools import services
from sabaq.schools.models import (
    Holiday,
    InstructionLanguage,
    LessonLength,
    Period,
    Room,
    SchoolClass,
    SchoolSubject,
    SchoolYear,
    Subgroup,
    SubgroupMember,
    YearStatus,
)
from sabaq.schools.presets import MINISTRY_2025_2026
from sabaq.schools.tests.factories import (
    FIRST_DAY,
    numbered_surnames,
    students_in,
    subject,
)

date = datetime.date


def url(name: str, *args) -> str:
    return reverse(f"schools:{name}", args=args)


def _query_count(browser, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(address)
    assert response.status_code == 200
    return len(queries)


def _year_post(**changes) -> dict:
    data = {
        "starts_on": "2026-09-01",
        "ends_on": "2027-05-25",
        "q1_starts_on": "2026-09-01",
        "q1_ends_on": "2026-10-25",
        "q2_starts_on": "2026-11-02",
        "q2_ends_on": "2026-12-27",
        "q3_starts_on": "2027-01-08",
        "q3_ends_on": "2027-03-19",
        "q4_starts_on": "2027-03-30",
        "q4_ends_on": "2027-05-25",
    }
    return {**data, **changes}


@pytest.fixture
def browser(client_as, deputy):
    return client_as(deputy)


# Who may open the pages


@pytest.mark.parametrize("persona", ["class_teacher", "student_aruzhan", "parent_ru"])
def test_teachers_students_and_parents_cannot_open_the_structure_pages(
    client_as, demo, frame, persona
):
    browser = client_as(demo.membership(persona))

    assert browser.get(url("class_list")).status_code == 403
    assert browser.get(url("year_detail", frame.year.pk)).status_code == 403
    assert browser.post(url("year_preset")).status_code == 403


def test_deputy_of_another_school_finds_this_schools_class_missing(
    client_as, demo, frame
):
    browser = client_as(demo.membership("rural_deputy"))

    assert browser.get(url("class_detail", frame.school_class.pk)).status_code == 404
    assert browser.get(url("year_detail", frame.year.pk)).status_code == 404


def test_menu_shows_school_structure_to_the_director(client_as, demo):
    response = client_as(demo.membership("director")).get(url("overview"))

    assert response.status_code == 200
    assert url("class_list") in response.content.decode()


# School years


def test_deputy_enters_the_ministrys_calendar_in_one_click(browser, deputy):
    page = browser.get(url("year_list"))
    assert MINISTRY_2025_2026.code in page.content.decode()

    response = browser.post(url("year_preset"), {"preset": MINISTRY_2025_2026.code})

    year = SchoolYear.objects.get(school=deputy.organisation)
    assert response.status_code == 302
    assert response["Location"] == url("year_detail", year.pk)
    assert year.holidays.count() == 5
    assert MINISTRY_2025_2026.code not in browser.get(url("year_list")).content.decode()


def test_preset_clicked_twice_says_why_and_adds_nothing(browser, deputy, frame):
    response = browser.post(
        url("year_preset"), {"preset": MINISTRY_2025_2026.code}, follow=True
    )

    assert response.redirect_chain[-1][0] == url("year_list")
    assert list(response.context["messages"])
    assert SchoolYear.objects.filter(school=deputy.organisation).count() == 1


def test_deputy_creates_a_year_with_the_form(browser, deputy):
    response = browser.post(url("year_create"), _year_post())

    year = SchoolYear.objects.get(school=deputy.organisation)
    assert response["Location"] == url("year_detail", year.pk)
    assert year.quarters.count() == 4


def test_year_form_shows_a_quarter_outside_the_year_on_that_field(browser, deputy):
    response = browser.post(url("year_create"), _year_post(q4_ends_on="2027-06-10"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["q4_ends_on"]
    assert not SchoolYear.objects.filter(school=deputy.organisation).exists()


def test_year_page_counts_school_days_and_lists_holidays(browser, frame):
    response = browser.get(url("year_detail", frame.year.pk))

    quarters = response.context["quarters"]
    # Quarter 1 of 2025-26: 2 Sep to 24 Oct, eight weeks less 1 September.
    assert quarters[0]["days"] == 39
    assert response.context["total_days"] - response.context["total_days_grade_1"] == 5
    assert len(response.context["holidays"]) == 5
    assert url("year_rollover", frame.year.pk) in response.content.decode()


def test_deputy_changes_the_dates_of_an_open_year(browser, frame):
    data = _year_post(
        starts_on="2025-09-01",
        ends_on="2026-05-25",
        q1_starts_on="2025-09-01",
        q1_ends_on="2025-10-26",
        q2_starts_on="2025-11-03",
        q2_ends_on="2025-12-28",
        q3_starts_on="2026-01-08",
        q3_ends_on="2026-03-18",
        q4_starts_on="2026-03-31",
        q4_ends_on="2026-05-25",
    )

    response = browser.post(url("year_edit", frame.year.pk), data)

    assert response.status_code == 302
    assert frame.year.quarters.get(number=4).starts_on == date(2026, 3, 31)


def test_closed_year_is_read_only_on_its_pages(browser, deputy, frame):
    services.year_close(actor=deputy, year=frame.year)

    detail = browser.get(url("year_detail", frame.year.pk))
    edit = browser.get(url("year_edit", frame.year.pk))
    holiday = browser.post(
        url("holiday_create", frame.year.pk),
        {"kind": "other", "starts_on": "2026-02-02", "ends_on": "2026-02-02"},
    )

    assert detail.status_code == 200
    assert url("year_edit", frame.year.pk) not in detail.content.decode()
    assert edit.status_code == 302
    assert holiday.status_code == 302
    assert Holiday.objects.filter(year=frame.year).count() == 5


def test_year_list_query_count_does_not_grow_with_years(browser, deputy, frame):
    before = _query_count(browser, url("year_list"))
    services.year_create(
        actor=deputy,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 5, 25),
        quarters=[
            (date(2026, 9, 1), date(2026, 10, 25)),
            (date(2026, 11, 2), date(2026, 12, 27)),
            (date(2027, 1, 8), date(2027, 3, 19)),
            (date(2027, 3, 30), date(2027, 5, 25)),
        ],
    )

    assert _query_count(browser, url("year_list")) == before


# Holidays and lesson lengths


def test_deputy_adds_a_holiday_for_grade_1_only(browser, frame):
    response = browser.post(
        url("holiday_create", frame.year.pk),
        {
            "kind": "extra",
            "name": "",
            "starts_on": "2026-02-16",
            "ends_on": "2026-02-17",
            "grades": ["1"],
        },
    )

    assert response["Location"] == url("year_detail", frame.year.pk)
    assert frame.year.holidays.get(starts_on=date(2026, 2, 16)).grades == [1]


def test_holiday_after_the_year_shows_the_error_on_its_last_day(browser, frame):
    response = browser.post(
        url("holiday_create", frame.year.pk),
        {"kind": "other", "starts_on": "2026-05-20", "ends_on": "2026-06-20"},
    )

    assert list(response.context["form"].errors) == ["ends_on"]


def test_deputy_edits_and_removes_a_holiday(browser, frame):
    holiday = frame.year.holidays.get(kind="winter")

    browser.post(
        url("holiday_edit", holiday.pk),
        {
            "kind": "winter",
            "name": "Қысқы демалыс",
            "starts_on": "2025-12-29",
            "ends_on": "2026-01-08",
        },
    )
    holiday.refresh_from_db()
    removed = browser.post(url("holiday_remove", holiday.pk))

    assert holiday.ends_on == date(2026, 1, 8)
    assert removed["Location"] == url("year_detail", frame.year.pk)
    assert not Holiday.objects.filter(pk=holiday.pk).exists()


def test_deputy_adds_and_removes_a_lesson_length_rule(browser, frame):
    browser.post(
        url("lesson_length_create", frame.year.pk),
        {
            "grade_from": "2",
            "grade_to": "4",
            "starts_on": "2025-09-01",
            "ends_on": "2025-09-30",
            "minutes": "40",
        },
    )
    rule = LessonLength.objects.get(year=frame.year, grade_from=2)

    browser.post(url("lesson_length_remove", rule.pk))

    assert rule.minutes == 40
    assert not LessonLength.objects.filter(pk=rule.pk).exists()


# Shifts and bells


def test_deputy_adds_a_shift_and_enters_its_bells(browser, deputy):
    response = browser.post(url("shift_create"))
    shift = deputy.organisation.shifts.get()
    assert response["Location"] == url("shift_bells", shift.pk)

    saved = browser.post(
        url("shift_bells", shift.pk),
        {
            "period_1_starts_at": "08:00",
            "period_1_ends_at": "08:45",
            "period_2_starts_at": "08:55",
            "period_2_ends_at": "09:40",
        },
    )

    assert saved["Location"] == url("shift_list")
    assert shift.periods.count() == 2


def test_overlapping_bells_show_the_error_on_the_later_lesson(browser, frame):
    response = browser.post(
        url("shift_bells", frame.shift.pk),
        {
            "period_1_starts_at": "08:00",
            "period_1_ends_at": "08:45",
            "period_2_starts_at": "08:30",
            "period_2_ends_at": "09:15",
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["period_2_starts_at"]
    assert Period.objects.filter(shift=frame.shift).count() == 3


def test_bells_with_a_gap_in_the_lesson_numbers_are_refused(browser, frame):
    response = browser.post(
        url("shift_bells", frame.shift.pk),
        {
            "period_1_starts_at": "08:00",
            "period_1_ends_at": "08:45",
            "period_3_starts_at": "10:00",
            "period_3_ends_at": "10:45",
        },
    )

    assert list(response.context["form"].errors) == ["period_3_starts_at"]


def test_shift_list_query_count_does_not_grow_with_shifts(browser, deputy, frame):
    before = _query_count(browser, url("shift_list"))
    services.shift_create(actor=deputy)

    assert _query_count(browser, url("shift_list")) == before


# Rooms


def test_deputy_adds_a_room_and_a_duplicate_name_is_shown_on_the_field(browser, frame):
    browser.post(
        url("room_create"),
        {
            "name": "Химия",
            "kind": "chemistry_lab",
            "capacity": "24",
            "shifts": [frame.shift.pk],
            "is_active": "on",
        },
    )
    again = browser.post(
        url("room_create"),
        {"name": "химия", "kind": "chemistry_lab", "capacity": "24"},
    )

    room = Room.objects.get(school=frame.year.school, name="Химия")
    assert list(room.shifts.all()) == [frame.shift]
    assert list(again.context["form"].errors) == ["name"]


def test_deputy_takes_a_room_out_of_use(browser, frame):
    browser.post(
        url("room_edit", frame.room.pk),
        {"name": "101", "kind": "classroom", "capacity": "30"},
    )

    frame.room.refresh_from_db()
    assert not frame.room.is_active


def test_room_list_query_count_does_not_grow_with_rooms(browser, deputy, frame):
    before = _query_count(browser, url("room_list"))
    for name in ("201", "202", "203"):
        services.room_create(actor=deputy, name=name, shifts=[frame.shift])

    assert _query_count(browser, url("room_list")) == before


# Subjects


def test_deputy_ticks_the_subjects_the_school_teaches(browser, deputy):
    browser.post(
        url("subject_pick"),
        {"subjects": [subject("physics").pk, subject("self_knowledge").pk]},
    )

    taught = SchoolSubject.objects.filter(school=deputy.organisation)
    assert sorted(taught.values_list("subject__code", flat=True)) == [
        "physics",
        "self_knowledge",
    ]


def test_deputy_adds_an_own_subject_with_the_form(browser, deputy):
    response = browser.post(
        url("subject_create"),
        {
            "name_kk": "Робототехника",
            "name_ru": "Робототехника",
            "name_en": "Robotics",
            "area": "informatics",
            "grade_from": "5",
            "grade_to": "9",
        },
    )

    assert response["Location"] == url("subject_list")
    page = browser.get(url("subject_list")).content.decode()
    assert "Робототехника" in page


def test_national_subject_has_no_edit_page(browser):
    assert browser.get(url("subject_edit", subject("physics").pk)).status_code == 404


def test_subject_list_query_count_does_not_grow_with_subjects(browser, deputy, frame):
    before = _query_count(browser, url("subject_list"))
    services.school_subjects_set(
        actor=deputy,
        subjects=[subject(code) for code in ("physics", "chemistry", "biology")],
    )

    assert _query_count(browser, url("subject_list")) == before


# Classes


def test_class_list_shows_counts_and_flags_classes_over_25(browser, deputy, frame):
    students_in(frame.school_class, numbered_surnames(26))

    response = browser.get(url("class_list"), {"year": frame.year.pk})

    (school_class,) = response.context["classes"]
    assert school_class.student_count == 26
    assert "badge--warn" in response.content.decode()


def test_class_list_query_count_does_not_grow_with_classes(browser, deputy, frame):
    before = _query_count(browser, url("class_list") + f"?year={frame.year.pk}")
    for letter in "БВГ":
        school_class = services.class_create(
            actor=deputy,
            year=frame.year,
            grade=7,
            letter=letter,
            language=InstructionLanguage.KAZAKH,
            shift=frame.shift,
            class_teacher=None,
            home_room=frame.room,
        )
        students_in(school_class, [f"{letter}{n}" for n in range(3)])

    assert _query_count(browser, url("class_list") + f"?year={frame.year.pk}") == before


def test_deputy_creates_a_class_and_lands_on_its_page(teacher, browser, demo, frame):
    response = browser.post(
        url("class_create") + f"?year={frame.year.pk}",
        {
            "grade": "5",
            "letter": "Ә",
            "language": "kk",
            "shift": frame.second_shift.pk,
            "class_teacher": teacher.pk,
            "home_room": "",
        },
    )

    created = SchoolClass.objects.get(year=frame.year, letter="Ә")
    assert response["Location"] == url("class_detail", created.pk)
    assert created.class_teacher == teacher


def test_second_5_a_is_refused_on_the_letter_field(browser, frame):
    response = browser.post(
        url("class_create") + f"?year={frame.year.pk}",
        {"grade": "5", "letter": "А", "language": "kk", "shift": frame.shift.pk},
    )

    assert list(response.context["form"].errors) == ["letter"]


def test_new_class_without_any_year_sends_the_deputy_to_the_years(browser):
    response = browser.get(url("class_create"))

    assert response["Location"] == url("year_list")


def test_class_page_lists_students_warns_over_25_and_suggests_splits(browser, frame):
    students_in(frame.school_class, numbered_surnames(26))

    response = browser.get(url("class_detail", frame.school_class.pk))

    assert len(response.context["students"]) == 26
    assert response.context["too_big"]
    suggested = sorted(s.code for s in response.context["suggestions"])
    assert suggested == ["english", "informatics", "kazakh_language"]
    assert url("class_split", frame.school_class.pk) in response.content.decode()


def test_class_page_query_count_does_not_grow_with_students_or_groups(
    browser, deputy, frame
):
    # Over the split threshold in both measures, so suggestions are read
    # both times.
    students_in(frame.school_class, numbered_surnames(24))
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )
    before = _query_count(browser, url("class_detail", frame.school_class.pk))
    students_in(frame.school_class, numbered_surnames(10, "Жаңа"))
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("informatics"),
        groups=3,
        on_date=FIRST_DAY,
    )

    assert _query_count(browser, url("class_detail", frame.school_class.pk)) == before


def test_one_click_split_divides_the_class_and_opens_the_groups(browser, frame):
    students_in(frame.school_class, numbered_surnames(24))
    english = subject("english")

    response = browser.post(
        url("class_split", frame.school_class.pk),
        {"subject": english.pk, "groups": "2", "on_date": "2025-09-02"},
    )

    assert response["Location"] == url(
        "subgroup_split", frame.school_class.pk, english.pk
    )
    groups = Subgroup.objects.filter(school_class=frame.school_class, subject=english)
    assert [g.members.count() for g in groups] == [12, 12]


def test_deputy_moves_a_student_and_names_the_teachers_on_the_group_page(
    teacher, browser, demo, deputy, frame
):
    amanov, _bekova = students_in(frame.school_class, ["Аманов", "Бекова"])
    first, second = services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )
    page = url("subgroup_split", frame.school_class.pk, subject("english").pk)

    browser.post(
        page,
        {
            "action": "members",
            "on_date": "2025-10-01",
            f"student_{amanov.pk}": str(second.pk),
            f"student_{_bekova.pk}": str(second.pk),
        },
    )
    browser.post(page, {"action": "teachers", f"teacher_{first.pk}": teacher.pk})

    current = SubgroupMember.objects.filter(
        ends_on__isnull=True, subgroup__school_class=frame.school_class
    )
    assert {m.subgroup for m in current} == {second}
    first.refresh_from_db()
    assert first.teacher == teacher


def test_group_page_shows_a_move_dated_outside_the_year_on_the_date(
    browser, deputy, frame
):
    (amanov,) = students_in(frame.school_class, ["Аманов"])
    _first, second = services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )

    response = browser.post(
        url("subgroup_split", frame.school_class.pk, subject("english").pk),
        {
            "action": "members",
            "on_date": "2026-07-01",
            f"student_{amanov.pk}": str(second.pk),
        },
    )

    assert list(response.context["members_form"].errors) == ["on_date"]


def test_deputy_adds_a_group_and_removes_the_split(browser, deputy, frame):
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )
    english = subject("english")

    browser.post(url("subgroup_add", frame.school_class.pk, english.pk))
    assert Subgroup.objects.filter(school_class=frame.school_class).count() == 3
    removed = browser.post(url("subgroups_remove", frame.school_class.pk, english.pk))

    assert removed["Location"] == url("class_detail", frame.school_class.pk)
    assert not Subgroup.objects.filter(school_class=frame.school_class).exists()


# Year rollover


def test_rollover_page_says_what_will_happen(browser, deputy, frame):
    students_in(frame.school_class, ["Аманов", "Бекова"])

    response = browser.get(url("year_rollover", frame.year.pk))

    content = response.content.decode()
    assert response.context["plan"].student_count == 2
    assert "5 «А» → 6 «А»" in content
    assert "Аманов" in content


def test_rollover_needs_the_confirmation_tick(browser, frame):
    response = browser.post(url("year_rollover", frame.year.pk), _year_post())

    assert list(response.context["form"].errors) == ["confirm"]
    frame.year.refresh_from_db()
    assert frame.year.status == YearStatus.OPEN


def test_deputy_prepares_the_next_year_and_closes_this_one(browser, frame):
    students_in(frame.school_class, ["Аманов"])

    response = browser.post(
        url("year_rollover", frame.year.pk), _year_post(confirm="on")
    )

    new_year = SchoolYear.objects.get(
        school=frame.year.school, starts_on=date(2026, 9, 1)
    )
    assert response["Location"] == url("year_detail", new_year.pk)
    assert new_year.classes.get().grade == 6
    frame.year.refresh_from_db()
    assert frame.year.is_closed


# Excel


def _sheet(browser, address: str) -> list[tuple]:
    response = browser.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return read_rows(response.content)


def test_every_list_downloads_as_excel(browser, deputy, frame):
    students_in(frame.school_class, ["Аманов", "Бекова"])
    services.subgroups_split(
        actor=deputy,
        school_class=frame.school_class,
        subject=subject("english"),
        on_date=FIRST_DAY,
    )
    year = f"?year={frame.year.pk}"

    years = _sheet(browser, url("year_export"))
    bells = _sheet(browser, url("shift_export"))
    rooms = _sheet(browser, url("room_export"))
    subjects = _sheet(browser, url("subject_export"))
    classes = _sheet(browser, url("class_export") + year)
    subgroups = _sheet(browser, url("subgroup_export") + year)

    assert len(years) == 1 + 1 + 4 + 5
    assert len(bells) == 1 + 3 + 2
    assert rooms[1][0] == "101"
    assert {row[0] for row in subjects[1:]} == {
        "kazakh_language",
        "english",
        "informatics",
        "mathematics",
    }
    assert classes[1][0] == "5 «А»"
    assert classes[1][7] == 2
    assert [row[2] for row in subgroups[1:]] == [1, 2]
