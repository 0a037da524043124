"""School days, quarters and lesson lengths of the Ministry's 2025-2026 year."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sabaq.schools import calendar, selectors, services
from sabaq.schools.models import HolidayKind, Period
from sabaq.schools.presets import MINISTRY_2025_2026

date = datetime.date


@pytest.fixture
def year(deputy):
    created = services.year_create_from_preset(
        actor=deputy, preset_code=MINISTRY_2025_2026.code
    )
    # As the journal will: fetched once with the calendar prefetched.
    return selectors.school_year_get(actor=deputy, year_id=created.pk)


@pytest.fixture
def period():
    # Unsaved: the calendar reads only its times.
    return Period(number=1, starts_at=datetime.time(8), ends_at=datetime.time(8, 45))


def test_tenth_of_february_is_a_school_day_for_grade_2_but_not_grade_1(year):
    assert calendar.is_school_day(year, date(2026, 2, 10), 2)
    assert not calendar.is_school_day(year, date(2026, 2, 10), 1)


def test_autumn_holidays_have_no_school_days(year):
    assert not calendar.is_school_day(year, date(2025, 10, 28), 5)


def test_first_of_september_is_a_day_off_and_lessons_start_on_the_second(year):
    assert not calendar.is_school_day(year, date(2025, 9, 1), 5)
    assert calendar.is_school_day(year, date(2025, 9, 2), 5)
    assert calendar.school_days(year, 5)[0] == date(2025, 9, 2)


def test_weekends_are_not_school_days(year):
    assert not calendar.is_school_day(year, date(2025, 9, 6), 5)  # Saturday
    assert not calendar.is_school_day(year, date(2025, 9, 7), 5)  # Sunday


def test_days_between_quarters_are_not_school_days(year):
    # 19 March 2026 is after quarter 3 and in the spring holidays; 27 March
    # is a Friday of the same holidays.
    assert not calendar.is_school_day(year, date(2026, 3, 27), 5)
    assert calendar.is_school_day(year, date(2026, 3, 30), 5)


def test_days_outside_the_year_are_not_school_days(year):
    assert not calendar.is_school_day(year, date(2025, 8, 29), 5)
    assert not calendar.is_school_day(year, date(2026, 5, 26), 5)


def test_quarter_of_names_the_quarter_or_none_in_the_holidays(year):
    assert calendar.quarter_of(year, date(2025, 9, 2)).number == 1
    assert calendar.quarter_of(year, date(2025, 11, 3)).number == 2
    assert calendar.quarter_of(year, date(2026, 1, 8)).number == 3
    assert calendar.quarter_of(year, date(2026, 5, 25)).number == 4
    assert calendar.quarter_of(year, date(2025, 10, 28)) is None
    assert calendar.quarter_of(year, date(2026, 1, 5)) is None


def test_school_days_of_a_week_skip_the_weekend(year):
    days = calendar.school_days(year, 5, date(2025, 9, 8), date(2025, 9, 14))

    assert days == [date(2025, 9, d) for d in range(8, 13)]


def test_school_days_of_grade_1_skip_its_extra_february_week(year):
    grade_1 = calendar.school_days(year, 1, date(2026, 2, 9), date(2026, 2, 15))
    grade_2 = calendar.school_days(year, 2, date(2026, 2, 9), date(2026, 2, 15))

    assert grade_1 == []
    assert len(grade_2) == 5


def test_grade_1_has_one_week_fewer_than_the_other_grades_over_the_year(year):
    grade_1 = calendar.school_days(year, 1)
    grade_5 = calendar.school_days(year, 5)

    assert len(grade_5) - len(grade_1) == 5
    assert all(calendar.is_school_day(year, day, 5) for day in grade_5)


def test_school_days_stay_inside_the_year_whatever_the_bounds(year):
    days = calendar.school_days(year, 5, date(2025, 1, 1), date(2027, 1, 1))

    assert days[0] == date(2025, 9, 2)
    assert days[-1] == date(2026, 5, 25)


def test_grade_1_lessons_last_35_minutes_in_september_and_the_bell_after(year, period):
    assert calendar.lesson_minutes(year, 1, date(2025, 9, 15), period) == 35
    assert calendar.lesson_minutes(year, 1, date(2025, 10, 1), period) == 45
    assert calendar.lesson_minutes(year, 2, date(2025, 9, 15), period) == 45


def test_calendar_questions_on_a_prefetched_year_need_no_query(
    year, period, django_assert_num_queries
):
    with django_assert_num_queries(0):
        calendar.school_days(year, 1)
        calendar.is_school_day(year, date(2026, 2, 10), 1)
        calendar.quarter_of(year, date(2026, 2, 10))
        calendar.lesson_minutes(year, 1, date(2025, 9, 15), period)


def test_school_day_check_names_the_holiday(year):
    with pytest.raises(ValidationError) as error:
        calendar.school_day_check(year, date(2025, 10, 28), 5)

    assert str(HolidayKind.AUTUMN.label) in error.value.message_dict["date"][0]


def test_school_day_check_lets_a_school_day_through(year):
    calendar.school_day_check(year, date(2026, 2, 10), 2)


def test_day_off_reason_explains_weekends_gaps_and_dates_outside_the_year(year):
    with translation.override("en"):
        weekend = calendar.day_off_reason(year, date(2025, 9, 6), 5)
        outside = calendar.day_off_reason(year, date(2026, 6, 1), 5)

    assert "weekend" in weekend
    assert "outside" in outside
    assert calendar.day_off_reason(year, date(2025, 9, 2), 5) is None
