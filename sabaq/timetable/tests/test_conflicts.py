"""Clashes found in memory: every kind, in words, with subgroups in parallel.

These tests need no database: a `Week` is built from plain data.
"""

import pytest
from django.utils import translation

from sabaq.schools.models import RoomKind
from sabaq.timetable import conflicts
from sabaq.timetable.conflicts import (
    Bell,
    ClassInfo,
    GroupInfo,
    Lesson,
    Line,
    RoomInfo,
    Week,
)

SHIFT_1, SHIFT_2 = 1, 2
MATHS, ENGLISH, INFORMATICS, MUSIC = 10, 11, 12, 13
CLASS_5A, CLASS_5B, CLASS_5V = 100, 101, 102
GROUP_EN_1, GROUP_EN_2, GROUP_IT_1, GROUP_IT_2 = 201, 202, 203, 204
TEACHER_A, TEACHER_B, TEACHER_C, TEACHER_D = 301, 302, 303, 304
ROOM_101, ROOM_LAB, ROOM_SMALL, ROOM_OLD = 401, 402, 403, 404

LINES = {
    1: Line(1, CLASS_5A, None, MATHS, TEACHER_A, 2),
    2: Line(2, CLASS_5B, None, MATHS, TEACHER_A, 2),
    3: Line(3, CLASS_5A, GROUP_EN_1, ENGLISH, TEACHER_B, 2),
    4: Line(4, CLASS_5A, GROUP_EN_2, ENGLISH, TEACHER_C, 2),
    5: Line(5, CLASS_5A, GROUP_IT_1, INFORMATICS, TEACHER_D, 1, RoomKind.COMPUTER),
    6: Line(6, CLASS_5A, GROUP_IT_2, INFORMATICS, TEACHER_C, 1, RoomKind.COMPUTER),
    7: Line(7, CLASS_5B, None, MUSIC, TEACHER_C, 1),
    8: Line(8, CLASS_5V, None, MATHS, TEACHER_A, 2),
}
CLASSES = {
    CLASS_5A: ClassInfo(CLASS_5A, "5 «А»", 5, SHIFT_1, 24),
    CLASS_5B: ClassInfo(CLASS_5B, "5 «Б»", 5, SHIFT_2, 20),
    CLASS_5V: ClassInfo(CLASS_5V, "5 «В»", 5, SHIFT_1, 22),
}
# English splits the class 1-12 / 13-24; informatics 1-6 + 13-18 / the rest,
# so the first groups of the two subjects share students 1-6.
GROUPS = {
    GROUP_EN_1: GroupInfo(GROUP_EN_1, CLASS_5A, ENGLISH, 1, frozenset(range(1, 13))),
    GROUP_EN_2: GroupInfo(GROUP_EN_2, CLASS_5A, ENGLISH, 2, frozenset(range(13, 25))),
    GROUP_IT_1: GroupInfo(
        GROUP_IT_1, CLASS_5A, INFORMATICS, 1, frozenset([*range(1, 7), *range(13, 19)])
    ),
    GROUP_IT_2: GroupInfo(
        GROUP_IT_2,
        CLASS_5A,
        INFORMATICS,
        2,
        frozenset([*range(7, 13), *range(19, 25)]),
    ),
}
ROOMS = {
    ROOM_101: RoomInfo(ROOM_101, "101", RoomKind.CLASSROOM, 30),
    ROOM_LAB: RoomInfo(ROOM_LAB, "Lab", RoomKind.COMPUTER, 15),
    ROOM_SMALL: RoomInfo(ROOM_SMALL, "103", RoomKind.CLASSROOM, 10),
    ROOM_OLD: RoomInfo(ROOM_OLD, "Old", RoomKind.CLASSROOM, 30, active=False),
}
# Shift 1 from 08:00; shift 2 from 12:00, so its first lesson overlaps the
# first shift's fifth (11:50-12:35) and its second lesson none.
BELLS = {
    **{
        (SHIFT_1, n): Bell(8 * 60 + (n - 1) * 55, 8 * 60 + (n - 1) * 55 + 45)
        for n in range(1, 6)
    },
    (SHIFT_2, 1): Bell(12 * 60, 12 * 60 + 45),
    (SHIFT_2, 2): Bell(12 * 60 + 55, 13 * 60 + 40),
}


@pytest.fixture(autouse=True)
def _english():
    # Messages are compared with their English source.
    with translation.override("en"):
        yield


def lesson(pk, line, day=0, period=1, *, room=None, shift=None) -> Lesson:
    info = LINES[line]
    return Lesson(
        id=pk,
        line_id=line,
        class_id=info.class_id,
        subgroup_id=info.subgroup_id,
        subject_id=info.subject_id,
        teacher_id=info.teacher_id,
        room_id=room,
        day=day,
        shift_id=shift or CLASSES[info.class_id].shift_id,
        period=period,
    )


def week(*lessons: Lesson, unavailable=()) -> Week:
    return Week(
        lines=LINES,
        classes=CLASSES,
        groups=GROUPS,
        rooms=ROOMS,
        shift_numbers={SHIFT_1: 1, SHIFT_2: 2},
        bells=BELLS,
        unavailable=unavailable,
        teachers={
            TEACHER_A: "Ахметова А.",
            TEACHER_B: "Бекова Б.",
            TEACHER_C: "Ким В.",
            TEACHER_D: "Омаров Е.",
        },
        subjects={
            MATHS: "Mathematics",
            ENGLISH: "English",
            INFORMATICS: "Informatics",
            MUSIC: "Music",
        },
        lessons={item.id: item for item in lessons},
    )


def kinds(found) -> set[str]:
    return {clash.kind for clash in found}


def hard_kinds(the_week: Week, lesson_id: int) -> set[str]:
    return kinds(c for c in conflicts.check_lesson(the_week, lesson_id) if c.is_hard)


def test_a_teacher_in_two_classes_at_once_clashes_with_a_link_to_the_other():
    the_week = week(lesson(1, 1), lesson(2, 8))

    found = conflicts.check_lesson(the_week, 1)

    assert [(c.kind, c.other_id) for c in found if c.is_hard] == [
        (conflicts.TEACHER_BUSY, 2)
    ]
    message = conflicts.Explainer(the_week).explain(found[0])
    assert "Ахметова А." in message
    assert "5 «В»" in message


def test_a_teacher_in_overlapping_lessons_of_two_shifts_clashes():
    # 5 «А» lesson 5 of shift 1 (11:50-12:35) and 5 «Б» lesson 1 of shift 2
    # (12:00-12:45) share their teacher.
    the_week = week(lesson(1, 1, period=5), lesson(2, 2, period=1))

    found = conflicts.check_lesson(the_week, 1)

    assert kinds(found) >= {conflicts.TEACHER_BUSY}
    message = conflicts.Explainer(the_week).explain(found[0])
    assert "12:00" in message
    assert "12:45" in message


def test_lessons_of_two_shifts_that_do_not_overlap_do_not_clash():
    the_week = week(lesson(1, 1, period=4), lesson(2, 2, period=1))

    assert hard_kinds(the_week, 1) == set()


def test_the_same_room_in_overlapping_lessons_of_two_shifts_clashes():
    the_week = week(
        lesson(1, 1, period=5, room=ROOM_101), lesson(2, 7, period=1, room=ROOM_101)
    )

    assert hard_kinds(the_week, 1) == {conflicts.ROOM_BUSY}


def test_a_class_with_two_whole_class_lessons_at_once_clashes():
    the_week = week(lesson(1, 1), lesson(2, 3), lesson(3, 1))

    assert conflicts.CLASS_BUSY in hard_kinds(the_week, 3)


def test_groups_of_one_split_meet_in_parallel_without_a_clash():
    the_week = week(lesson(1, 3, room=ROOM_101), lesson(2, 4, room=ROOM_SMALL))

    assert hard_kinds(the_week, 1) == set()
    assert hard_kinds(the_week, 2) == set()


def test_a_group_cannot_meet_while_the_whole_class_has_a_lesson():
    the_week = week(lesson(1, 1), lesson(2, 3))

    found = conflicts.check_lesson(the_week, 2)

    assert [(c.kind, c.other_id) for c in found] == [(conflicts.CLASS_BUSY, 1)]
    message = conflicts.Explainer(the_week).explain(found[0])
    assert "whole class" in message


def test_groups_of_different_subjects_sharing_students_clash_with_their_count():
    the_week = week(lesson(1, 3), lesson(2, 5, room=ROOM_LAB))

    found = conflicts.check_lesson(the_week, 1)

    assert [(c.kind, c.count) for c in found] == [(conflicts.STUDENTS_BUSY, 6)]
    assert "6 students" in conflicts.Explainer(the_week).explain(found[0])


def test_groups_of_different_subjects_with_no_student_in_common_may_meet():
    english_1 = GroupInfo(GROUP_EN_1, CLASS_5A, ENGLISH, 1, frozenset(range(1, 13)))
    informatics_2 = GroupInfo(
        GROUP_IT_2, CLASS_5A, INFORMATICS, 2, frozenset(range(13, 25))
    )
    the_week = week(lesson(1, 3), lesson(2, 6, room=ROOM_LAB))
    the_week.groups = {**GROUPS, GROUP_EN_1: english_1, GROUP_IT_2: informatics_2}

    assert hard_kinds(the_week, 1) == set()


def test_one_group_twice_at_once_clashes():
    the_week = week(lesson(1, 3), lesson(2, 3))

    assert hard_kinds(the_week, 1) == {conflicts.GROUP_BUSY, conflicts.TEACHER_BUSY}


def test_a_room_holding_two_lessons_clashes():
    the_week = week(lesson(1, 3, room=ROOM_101), lesson(2, 7, room=ROOM_101))
    the_week.replace(lesson(2, 8, period=2, room=ROOM_101))
    the_week.replace(lesson(3, 1, period=2, room=ROOM_101))

    assert hard_kinds(the_week, 1) == set()
    assert hard_kinds(the_week, 3) == {conflicts.ROOM_BUSY, conflicts.TEACHER_BUSY}


def test_a_room_of_the_wrong_kind_clashes_in_words():
    the_week = week(lesson(1, 5, room=ROOM_101))

    found = conflicts.check_lesson(the_week, 1)

    assert kinds(found) == {conflicts.ROOM_KIND}
    message = conflicts.Explainer(the_week).explain(found[0])
    assert "Computer class" in message
    assert "Ordinary classroom" in message


def test_a_room_too_small_is_a_warning_naming_seats_and_students():
    the_week = week(lesson(1, 1, room=ROOM_SMALL))

    found = conflicts.check_lesson(the_week, 1)

    assert [(c.kind, c.is_hard) for c in found] == [(conflicts.ROOM_SMALL, False)]
    message = conflicts.Explainer(the_week).explain(found[0])
    assert "10" in message
    assert "24" in message


def test_a_room_not_in_use_clashes():
    the_week = week(lesson(1, 1, room=ROOM_OLD))

    assert hard_kinds(the_week, 1) == {conflicts.ROOM_CLOSED}


def test_a_teacher_marked_unavailable_clashes():
    the_week = week(
        lesson(1, 1, day=2, period=3), unavailable=[(TEACHER_A, 2, SHIFT_1, 3)]
    )

    assert hard_kinds(the_week, 1) == {conflicts.TEACHER_UNAVAILABLE}


def test_unavailable_in_an_overlapping_lesson_of_another_shift_clashes():
    the_week = week(lesson(1, 1, period=5), unavailable=[(TEACHER_A, 0, SHIFT_2, 1)])

    assert hard_kinds(the_week, 1) == {conflicts.TEACHER_UNAVAILABLE}


def test_a_lesson_outside_the_class_shift_clashes():
    the_week = week(lesson(1, 1, period=1, shift=SHIFT_2))

    found = conflicts.check_lesson(the_week, 1)

    assert kinds(found) == {conflicts.OUTSIDE_SHIFT}
    assert "shift 1" in conflicts.Explainer(the_week).explain(found[0])


def test_a_lesson_outside_the_bells_clashes():
    the_week = week(lesson(1, 1, period=9))

    assert hard_kinds(the_week, 1) == {conflicts.OUTSIDE_BELLS}


def test_more_hours_placed_than_the_load_asks_is_a_warning_on_the_edit():
    the_week = week(lesson(1, 7, day=0), lesson(2, 7, day=1))

    found = conflicts.check_lesson(the_week, 2)

    assert [(c.kind, c.is_hard, c.count) for c in found] == [
        (conflicts.HOURS_OVER, False, 2)
    ]


def test_the_whole_week_lists_fewer_hours_placed_for_every_line():
    the_week = week(lesson(1, 1))

    found = conflicts.check_week(the_week)
    under = {c.line_id: c.count for c in found if c.kind == conflicts.HOURS_UNDER}

    assert under == {1: 1, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0}
    explainer = conflicts.Explainer(the_week)
    assert "the load asks for 2" in explainer.explain(
        next(c for c in found if c.line_id == 1)
    )


def test_the_whole_week_lists_each_clashing_pair_once_and_flags_both_lessons():
    the_week = week(lesson(1, 1), lesson(2, 8))

    pairs = [c for c in conflicts.check_week(the_week) if c.is_hard]
    flagged = conflicts.flagged_lessons(pairs)

    assert [(c.kind, c.lesson_id, c.other_id) for c in pairs] == [
        (conflicts.TEACHER_BUSY, 1, 2)
    ]
    assert set(flagged) == {1, 2}


def test_moving_a_lesson_in_memory_clears_its_clash():
    the_week = week(lesson(1, 1), lesson(2, 8))

    the_week.replace(lesson(2, 8, period=2))

    assert hard_kinds(the_week, 1) == set()
    assert hard_kinds(the_week, 2) == set()


def test_removing_a_lesson_in_memory_clears_its_clash():
    the_week = week(lesson(1, 1), lesson(2, 1))

    the_week.remove(2)

    assert hard_kinds(the_week, 1) == set()
    assert the_week.placed(1) == 1
