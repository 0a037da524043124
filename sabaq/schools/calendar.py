"""Which days are school days, and how long a lesson lasts on one.

Everything here reads the year's own quarters, holidays and lesson-length
rules: no date is known to the code. The journal and the timetable ask these
functions before they place a lesson, so no lesson can fall on a holiday.

The functions read `year.quarters`, `year.holidays` and `year.lesson_lengths`
through `.all()`, so a year fetched with those prefetched (as
`selectors.school_year_get` does) answers any number of questions without
another query.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from sabaq.schools.models import Holiday, Period, Quarter, SchoolYear

WORKING_WEEKDAYS = frozenset(range(5))
"""Monday to Friday: schools work a five-day week."""

# TODO: Three-shift schools may teach on Saturdays (Order No. 153); a
# per-school working week would be needed to show them as school days.


def quarter_of(year: SchoolYear, day: datetime.date) -> Quarter | None:
    """The quarter a day belongs to, or None between quarters."""
    for quarter in year.quarters.all():
        if quarter.starts_on <= day <= quarter.ends_on:
            return quarter
    return None


def holidays_on(year: SchoolYear, day: datetime.date, grade: int) -> list[Holiday]:
    """The holidays of a grade that include a day."""
    return [holiday for holiday in year.holidays.all() if holiday.covers(day, grade)]


def is_school_day(year: SchoolYear, day: datetime.date, grade: int) -> bool:
    """True when a class of `grade` has lessons on `day`.

    A school day is a weekday inside a quarter that no holiday of the grade
    covers.
    """
    return (
        day.weekday() in WORKING_WEEKDAYS
        and quarter_of(year, day) is not None
        and not holidays_on(year, day, grade)
    )


def day_off_reason(year: SchoolYear, day: datetime.date, grade: int) -> str | None:
    """Why a grade has no lessons on a day, as a sentence; None on a school day."""
    shown = formats.date_format(day, "SHORT_DATE_FORMAT")
    if not year.starts_on <= day <= year.ends_on:
        return _("%(day)s is outside the school year %(year)s.") % {
            "day": shown,
            "year": year,
        }
    holidays = holidays_on(year, day, grade)
    if holidays:
        return _("%(day)s falls in a holiday: %(holiday)s.") % {
            "day": shown,
            "holiday": holidays[0],
        }
    if day.weekday() not in WORKING_WEEKDAYS:
        return _("%(day)s is a weekend day.") % {"day": shown}
    if quarter_of(year, day) is None:
        return _("%(day)s is between quarters.") % {"day": shown}

    return None


def school_day_check(year: SchoolYear, day: datetime.date, grade: int) -> None:
    """Raise a ValidationError naming the reason when a day has no lessons."""
    reason = day_off_reason(year, day, grade)
    if reason is not None:
        raise ValidationError({"date": reason}, code="not_a_school_day")


def school_days(
    year: SchoolYear,
    grade: int,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[datetime.date]:
    """Every school day of a grade from `start` to `end`, both included.

    Without bounds, the whole year.
    """
    first = max(start or year.starts_on, year.starts_on)
    last = min(end or year.ends_on, year.ends_on)
    quarters = [(q.starts_on, q.ends_on) for q in year.quarters.all()]
    holidays = [h for h in year.holidays.all() if not h.grades or grade in h.grades]

    days = []
    day = first
    while day <= last:
        if (
            day.weekday() in WORKING_WEEKDAYS
            and any(q_start <= day <= q_end for q_start, q_end in quarters)
            and not any(h.starts_on <= day <= h.ends_on for h in holidays)
        ):
            days.append(day)
        day += datetime.timedelta(days=1)

    return days


def period_minutes(period: Period) -> int:
    """The length of a bell period as it stands in the bell schedule."""
    start = datetime.datetime.combine(datetime.date.min, period.starts_at)
    end = datetime.datetime.combine(datetime.date.min, period.ends_at)
    return int((end - start).total_seconds() // 60)


def lesson_minutes(
    year: SchoolYear, grade: int, day: datetime.date, period: Period
) -> int:
    """How long a lesson of a grade lasts on a day in a given bell period.

    A lesson-length rule of the year that covers the grade and the day wins
    (first-graders' 35 minutes in September); otherwise the bell decides.
    When rules overlap, the one that starts latest is the most specific.
    """
    rules = [rule for rule in year.lesson_lengths.all() if rule.covers(day, grade)]
    if rules:
        rule = max(rules, key=lambda r: (r.starts_on, r.grade_from - r.grade_to))
        return rule.minutes

    return period_minutes(period)
