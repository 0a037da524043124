"""The database itself keeps published timetables free of double bookings."""

import pytest
from django.db import IntegrityError, transaction

from sabaq.timetable.models import (
    LessonChange,
    LoadLine,
    TimetableEntry,
    TimetableVersion,
    VersionStatus,
)
from sabaq.timetable.tests.factories import (
    FIRST_DAY,
    TimetableSchool,
    new_school,
    subject,
)


@pytest.fixture
def school(demo):
    return TimetableSchool.build(new_school(demo), classes=2)


def _entry(version, line, *, day=0, period=1, room=None, published=True, **extra):
    return TimetableEntry.objects.create(
        version=version,
        load=line,
        school_class_id=line.school_class_id,
        subgroup_id=line.subgroup_id,
        teacher_id=line.teacher_id,
        room=room,
        day=day,
        shift=line.school_class.shift,
        period=period,
        is_published=published,
        **extra,
    )


def _refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_a_published_timetable_refuses_a_teacher_twice_in_one_slot(school):
    teacher = school.teacher("Ахметова", "mathematics")
    a, b = school.classes
    line_a = school.line(a, "mathematics", 2, teacher)
    line_b = school.line(b, "mathematics", 2, teacher)
    version = school.draft()
    _entry(version, line_a)

    assert _refused(lambda: _entry(version, line_b))


def test_a_draft_may_hold_a_teacher_twice_in_one_slot(school):
    teacher = school.teacher("Ахметова", "mathematics")
    a, b = school.classes
    version = school.draft()
    _entry(version, school.line(a, "mathematics", 2, teacher), published=False)

    _entry(version, school.line(b, "mathematics", 2, teacher), published=False)

    assert version.entries.count() == 2


def test_a_published_timetable_refuses_a_room_twice_in_one_slot(school):
    a, b = school.classes
    room = school.rooms["101"]
    version = school.draft()
    _entry(version, school.line(a, "mathematics", 2), room=room)

    assert _refused(
        lambda: _entry(version, school.line(b, "mathematics", 2), room=room)
    )


def test_a_published_timetable_refuses_a_class_twice_in_one_slot(school):
    a, _b = school.classes
    version = school.draft()
    _entry(version, school.line(a, "mathematics", 2))

    assert _refused(lambda: _entry(version, school.line(a, "music", 1)))


def test_a_published_timetable_holds_two_groups_of_a_class_in_one_slot(school):
    a, _b = school.classes
    first, second = school.split(a, "english")
    version = school.draft()
    _entry(version, school.line(a, "english", 2, subgroup=first))

    _entry(version, school.line(a, "english", 2, subgroup=second))

    assert version.entries.count() == 2


def test_a_published_timetable_refuses_one_group_twice_in_one_slot(school):
    a, _b = school.classes
    first, _second = school.split(a, "english")
    line = school.line(a, "english", 2, subgroup=first)
    version = school.draft()
    _entry(version, line)

    assert _refused(lambda: _entry(version, line))


def test_the_same_slot_in_two_versions_is_allowed(school):
    a, _b = school.classes
    line = school.line(a, "mathematics", 2)
    _entry(school.draft(), line)

    _entry(school.draft(), line)

    assert TimetableEntry.objects.filter(load=line).count() == 2


def test_a_published_version_needs_the_day_it_takes_effect(school):
    assert _refused(
        lambda: TimetableVersion.objects.create(
            year=school.year, name="X", status=VersionStatus.PUBLISHED
        )
    )


def test_two_versions_cannot_be_published_for_one_day(school):
    TimetableVersion.objects.create(
        year=school.year,
        name="A",
        status=VersionStatus.PUBLISHED,
        takes_effect_on=FIRST_DAY,
    )

    assert _refused(
        lambda: TimetableVersion.objects.create(
            year=school.year,
            name="B",
            status=VersionStatus.PUBLISHED,
            takes_effect_on=FIRST_DAY,
        )
    )


def test_a_class_has_one_whole_class_line_per_subject(school):
    a, _b = school.classes
    school.line(a, "mathematics", 2)

    assert _refused(
        lambda: LoadLine.objects.create(
            school_class=a, subject=subject("mathematics"), hours=3
        )
    )


def test_a_cancelled_lesson_has_no_substitute(school):
    teacher = school.teacher("Ахметова", "mathematics")
    a, _b = school.classes
    entry = _entry(school.draft(), school.line(a, "mathematics", 2))

    assert _refused(
        lambda: LessonChange.objects.create(
            entry=entry, on_date=FIRST_DAY, is_cancelled=True, substitute=teacher
        )
    )
    assert _refused(lambda: LessonChange.objects.create(entry=entry, on_date=FIRST_DAY))
