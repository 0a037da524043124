"""Calendars published by the Ministry, ready to enter with one click.

A preset is data, entered through the same services as a year typed in by
hand; nothing else in Sabaq knows these dates. A later year's order is either
added here as one more preset or typed in by the deputy head.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sabaq.schools.models import HolidayKind

date = datetime.date


@dataclass(frozen=True)
class HolidayPreset:
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    grades: tuple[int, ...] = ()
    """Empty: every grade."""


@dataclass(frozen=True)
class LessonLengthPreset:
    grade_from: int
    grade_to: int
    starts_on: datetime.date
    ends_on: datetime.date
    minutes: int


@dataclass(frozen=True)
class YearPreset:
    code: str
    title: str | Promise
    source: str | Promise
    starts_on: datetime.date
    ends_on: datetime.date
    quarters: tuple[tuple[datetime.date, datetime.date], ...]
    holidays: tuple[HolidayPreset, ...]
    lesson_lengths: tuple[LessonLengthPreset, ...]


# The Minister of Education's order of 5 August 2025 on the 2025-2026 year.
MINISTRY_2025_2026 = YearPreset(
    code="kz-2025-2026",
    title=_("The Ministry's calendar for 2025–2026"),
    source=_("Order of the Minister of Education of 5 August 2025"),
    starts_on=date(2025, 9, 1),
    ends_on=date(2026, 5, 25),
    quarters=(
        (date(2025, 9, 1), date(2025, 10, 26)),
        (date(2025, 11, 3), date(2025, 12, 28)),
        (date(2026, 1, 8), date(2026, 3, 18)),
        (date(2026, 3, 30), date(2026, 5, 25)),
    ),
    holidays=(
        # 1 September 2025 was declared a day off; lessons began on the 2nd.
        HolidayPreset(HolidayKind.DAY_OFF, date(2025, 9, 1), date(2025, 9, 1)),
        HolidayPreset(HolidayKind.AUTUMN, date(2025, 10, 27), date(2025, 11, 2)),
        HolidayPreset(HolidayKind.WINTER, date(2025, 12, 29), date(2026, 1, 7)),
        HolidayPreset(HolidayKind.EXTRA, date(2026, 2, 9), date(2026, 2, 15), (1,)),
        HolidayPreset(HolidayKind.SPRING, date(2026, 3, 19), date(2026, 3, 29)),
    ),
    lesson_lengths=(
        # First-graders start with 35-minute lessons in September.
        LessonLengthPreset(1, 1, date(2025, 9, 1), date(2025, 9, 30), 35),
    ),
)

PRESETS: dict[str, YearPreset] = {
    preset.code: preset for preset in [MINISTRY_2025_2026]
}
