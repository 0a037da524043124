"""Timetable services: the load, editing drafts, publishing, substitutions."""

import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sabaq.core.models import AuditEntry
from sabaq.schools.models import RoomKind
from sabaq.timetable import conflicts, selectors, services
from sabaq.timetable.models import (
    LessonChange,
    Notice,
    NoticeKind,
    TimetableEntry,
    VersionStatus,
)
from sabaq.timetable.tests.factories import (
    A_MONDAY,
    FIRST_DAY,
    TimetableSchool,
    cast,
    enrol,
    new_school,
    subject,
)

A_TUESDAY = A_MONDAY + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def school(demo):
    return TimetableSchool.build(new_school(demo), classes=2)


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def place(school, version, line, day=0, period=1, **extra):
    return services.entry_place(
        actor=school.actor, version=version, line=line, day=day, period=period, **extra
    )


# The load


def test_deputy_adds_a_load_line_with_an_audit_row(school):
    teacher = school.teacher("Ахметова", "mathematics")
    a, _b = school.classes

    line = school.line(a, "mathematics", 5, teacher)

    assert (line.hours, line.teacher, line.subgroup) == (5, teacher, None)
    entry = AuditEntry.objects.get(action="timetable.load_line_create")
    assert entry.after["hours"] == 5


def test_a_teacher_cannot_change_the_load(school):
    a, _b = school.classes

    with pytest.raises(PermissionDenied):
        services.load_line_create(
            actor=cast(school).teacher,
            school_class=a,
            subject=subject("mathematics"),
            hours=5,
        )


def test_a_subject_the_school_does_not_teach_is_refused_on_its_field(school):
    a, _b = school.classes

    with pytest.raises(ValidationError) as caught:
        school.line(a, "chemistry", 2)

    assert (
        "not on the school's list of subjects"
        in caught.value.message_dict["subject"][0]
    )


def test_a_second_line_for_one_subject_of_a_class_is_refused(school):
    a, _b = school.classes
    school.line(a, "mathematics", 5)

    with pytest.raises(ValidationError) as caught:
        school.line(a, "mathematics", 1)

    assert "already has a line" in caught.value.message_dict["subject"][0]


def test_hours_and_teacher_are_checked_field_by_field(school):
    a, _b = school.classes

    with pytest.raises(ValidationError) as caught:
        school.line(a, "mathematics", 0, cast(school).student.user)

    assert set(caught.value.message_dict) == {"hours", "teacher"}


def test_a_group_line_takes_the_group_of_its_subject_only(school):
    a, _b = school.classes
    first, _second = school.split(a, "english")

    with pytest.raises(ValidationError) as caught:
        school.line(a, "mathematics", 2, subgroup=first)

    assert "subgroup" in caught.value.message_dict


def test_a_class_total_counts_the_largest_group_and_is_flagged_over_its_limit(school):
    a, _b = school.classes
    first, second = school.split(a, "english")
    school.line(a, "mathematics", 28)
    school.line(a, "english", 3, subgroup=first)
    school.line(a, "english", 2, subgroup=second)
    school.line(a, "music", 2)

    summary = selectors.load_summary(actor=school.actor, year=school.year)
    item = next(c for c in summary.classes if c.school_class == a)

    assert (item.hours, item.limit, item.is_over) == (33, 32, True)


def test_a_year_sets_its_own_limit_and_returns_to_the_standard(school):
    services.grade_load_limits_set(actor=school.actor, year=school.year, limits={5: 30})
    assert selectors.grade_limits(year=school.year)[5] == 30
    assert selectors.grade_limits(year=school.year)[9] == 36

    services.grade_load_limits_set(
        actor=school.actor, year=school.year, limits={5: None}
    )

    assert selectors.grade_limits(year=school.year)[5] == 32


def test_a_teacher_total_is_compared_with_their_load_rate(school):
    teacher = school.teacher("Ахметова", "mathematics", load_rate=16)
    a, b = school.classes
    school.line(a, "mathematics", 5, teacher)
    school.line(b, "music", 2, teacher)

    summary = selectors.load_summary(actor=school.actor, year=school.year)
    item = next(t for t in summary.teachers if t.teacher == teacher)

    assert (item.hours, item.is_under, item.is_over) == (7, True, False)
    assert [line.subject.code for line in item.unqualified] == ["music"]


# Editing a draft


def test_placing_a_lesson_returns_its_clashes_explained(school):
    teacher = school.teacher("Ахметова", "mathematics")
    a, b = school.classes
    version = school.draft()
    place(school, version, school.line(a, "mathematics", 2, teacher))

    result = place(school, version, school.line(b, "mathematics", 2, teacher))

    hard = [clash for clash in result.clashes if clash.is_hard]
    assert [clash.kind for clash in hard] == [conflicts.TEACHER_BUSY]
    message = conflicts.Explainer(result.week).explain(hard[0])
    assert message == "Ахметова А. also teaches Mathematics, 5 «А» at this time."


def test_placing_a_lesson_picks_a_free_room_that_suits_it(school):
    a, b = school.classes
    version = school.draft()
    first, _second = school.split(a, "informatics")

    maths = place(school, version, school.line(a, "mathematics", 2)).entry
    informatics = place(
        school,
        version,
        school.line(a, "informatics", 1, subgroup=first, room_kind=RoomKind.COMPUTER),
        period=2,
    ).entry
    music_b = place(school, version, school.line(b, "music", 1)).entry

    assert maths.room == a.home_room
    assert informatics.room == school.rooms["lab"]
    # 5 «Ә»'s home room 102 is free; the class takes it.
    assert music_b.room == b.home_room


def test_moving_a_lesson_checks_it_again(school):
    teacher = school.teacher("Ахметова", "mathematics")
    a, b = school.classes
    version = school.draft()
    place(school, version, school.line(a, "mathematics", 2, teacher))
    clashing = place(school, version, school.line(b, "mathematics", 2, teacher)).entry

    result = services.entry_move(actor=school.actor, entry=clashing, day=0, period=2)

    assert [c for c in result.clashes if c.is_hard] == []
    assert (result.entry.day, result.entry.period) == (0, 2)


def test_swapping_two_lessons_exchanges_their_slots_and_keeps_rooms(school):
    a, _b = school.classes
    version = school.draft()
    maths = place(school, version, school.line(a, "mathematics", 2)).entry
    music = place(
        school, version, school.line(a, "music", 1), day=1, period=3,
        room=school.rooms["102"],
    ).entry  # fmt: skip

    services.entry_swap(actor=school.actor, entry=maths, other=music)

    maths.refresh_from_db()
    music.refresh_from_db()
    assert (maths.day, maths.period, maths.room) == (1, 3, school.rooms["101"])
    assert (music.day, music.period, music.room) == (0, 1, school.rooms["102"])


def test_removing_a_lesson_puts_it_back_among_those_to_place(school):
    a, _b = school.classes
    version = school.draft()
    line = school.line(a, "mathematics", 2)
    entry = place(school, version, line).entry

    services.entry_remove(actor=school.actor, entry=entry)

    assert selectors.week_of(version).placed(line.pk) == 0
    assert not TimetableEntry.objects.filter(pk=entry.pk).exists()


def test_a_slot_outside_the_school_week_is_refused_on_its_field(school):
    a, _b = school.classes

    with pytest.raises(ValidationError) as caught:
        place(school, school.draft(), school.line(a, "mathematics", 2), day=6)

    assert "day" in caught.value.message_dict


def test_a_new_teacher_of_a_line_follows_into_drafts_but_not_published_ones(school):
    first = school.teacher("Ахметова", "mathematics")
    second = school.teacher("Бекова", "mathematics")
    a, _b = school.classes
    line = school.line(a, "mathematics", 2, first)
    published = school.draft()
    place(school, published, line)
    services.timetable_publish(
        actor=school.actor, version=published, takes_effect_on=FIRST_DAY
    )
    draft = services.version_create(
        actor=school.actor, year=school.year, copy_from=published
    )

    services.load_line_update(actor=school.actor, line=line, hours=2, teacher=second)

    assert draft.entries.get().teacher == second
    assert published.entries.get().teacher == first


def test_a_published_timetable_cannot_be_edited(school):
    a, _b = school.classes
    version = school.draft()
    entry = place(school, version, school.line(a, "mathematics", 2)).entry
    services.timetable_publish(
        actor=school.actor, version=version, takes_effect_on=FIRST_DAY
    )
    entry.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        services.entry_move(actor=school.actor, entry=entry, day=1, period=1)

    assert "make a new draft" in messages_of(caught.value)


def test_an_edit_is_checked_on_the_week_around_it_as_on_the_whole_week(school):
    # Lessons placed at random in both shifts, with every kind of clash the
    # part of the week around a lesson must still see.
    rng = random.Random(3)
    a, b = school.classes
    c = school.add_class(grade=6, letter="А", shift=school.shift2)
    enrol(a, 6)
    first, second = school.split(a, "english")
    teachers = [school.teacher(f"Мұғалім{n}", "mathematics") for n in range(3)]
    lines = [
        school.line(a, "mathematics", 4, teachers[0]),
        school.line(b, "mathematics", 4, teachers[1]),
        school.line(c, "mathematics", 4, teachers[0]),
        school.line(a, "english", 3, teachers[2], subgroup=first),
        school.line(a, "english", 3, teachers[1], subgroup=second),
        school.line(c, "music", 2, teachers[2]),
    ]
    version = school.draft()
    rooms = [*school.rooms.values(), None]
    for line in lines:
        for _ in range(line.hours + 1):
            shift = school.shift2 if line.school_class == c else school.shift1
            place(
                school,
                version,
                line,
                day=rng.randrange(2),
                period=rng.choice([1, 2, 7]) if shift == school.shift1 else 1,
                room=rng.choice(rooms),
            )
    services.teacher_unavailability_set(
        actor=school.actor,
        year=school.year,
        teacher=teachers[1],
        slots=[(0, school.shift2, 1)],
    )

    whole = selectors.week_of(version)
    seen = set()
    for entry in version.entries.all():
        near = selectors.week_near(version, entries=[entry])
        found = set(conflicts.check_lesson(whole, entry.pk))
        assert set(conflicts.check_lesson(near, entry.pk)) == found
        seen |= {clash.kind for clash in found}
    assert seen >= {
        conflicts.TEACHER_BUSY,
        conflicts.CLASS_BUSY,
        conflicts.ROOM_BUSY,
        conflicts.HOURS_OVER,
        conflicts.TEACHER_UNAVAILABLE,
    }


# Filling a draft from the load


def test_filling_places_the_load_without_hard_clashes_the_same_way_each_time(school):
    teacher = school.teacher("Ахметова", "mathematics", "music")
    a, b = school.classes
    first, second = school.split(a, "english")
    school.line(a, "mathematics", 5, teacher)
    school.line(b, "mathematics", 5, teacher)
    school.line(a, "english", 3, school.teacher("Бекова", "english"), subgroup=first)
    school.line(a, "english", 3, school.teacher("Ким", "english"), subgroup=second)
    school.line(b, "music", 1, teacher)

    one, two = school.draft(), school.draft()
    placed = services.timetable_fill(actor=school.actor, version=one)
    services.timetable_fill(actor=school.actor, version=two)

    week = selectors.week_of(one)
    assert placed == 17
    assert conflicts.hard_clashes(conflicts.check_week(week)) == []

    def slots(version):
        return sorted(
            version.entries.values_list("load_id", "day", "period", "room_id")
        )

    assert slots(one) == slots(two)
    # The two English groups meet side by side.
    english = one.entries.filter(subgroup__isnull=False)
    assert {(e.day, e.period) for e in english.filter(subgroup=first)} == {
        (e.day, e.period) for e in english.filter(subgroup=second)
    }


# Publishing


def test_publishing_is_refused_while_a_hard_clash_remains(school):
    teacher = school.teacher("Ахметова", "mathematics")
    a, b = school.classes
    version = school.draft()
    place(school, version, school.line(a, "mathematics", 2, teacher))
    place(school, version, school.line(b, "mathematics", 2, teacher))

    with pytest.raises(ValidationError) as caught:
        services.timetable_publish(
            actor=school.actor, version=version, takes_effect_on=FIRST_DAY
        )

    assert messages_of(caught.value) == (
        "The timetable has 1 clash that must be resolved before it is published."
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_publishing_is_refused_for_a_group_beside_a_whole_class_lesson(school):
    # The database's unique keys allow this pair (a whole-class entry and a
    # group's); the service refuses it.
    a, _b = school.classes
    first, _second = school.split(a, "english")
    version = school.draft()
    place(school, version, school.line(a, "mathematics", 2))
    place(
        school,
        version,
        school.line(a, "english", 2, subgroup=first),
        room=school.rooms["102"],
    )

    with pytest.raises(ValidationError):
        services.timetable_publish(
            actor=school.actor, version=version, takes_effect_on=FIRST_DAY
        )


def test_publishing_marks_the_entries_and_tells_everyone_whose_week_changed(school):
    people = cast(school)
    teacher = people.teacher.user
    a, b = school.classes
    enrol(b, 1)
    line = school.line(a, "mathematics", 2, teacher)
    version = school.draft()
    place(school, version, line)

    result = services.timetable_publish(
        actor=school.actor, version=version, takes_effect_on=FIRST_DAY
    )

    assert version.entries.get().is_published
    told = set(Notice.objects.values_list("person_id", flat=True))
    # The teacher, the two students of 5 «А» and the mother of one; nobody
    # of 5 «Ә», whose week has no lessons yet.
    assert told == {
        teacher.pk,
        people.student.user_id,
        people.child.user_id,
        people.parent.user_id,
    }
    assert result.notified == 4
    assert AuditEntry.objects.filter(action="timetable.version_publish").exists()


def test_a_later_timetable_leaves_the_earlier_one_in_effect_until_its_day(school):
    a, _b = school.classes
    line = school.line(a, "mathematics", 2)
    first = school.draft("First")
    place(school, first, line)
    services.timetable_publish(
        actor=school.actor, version=first, takes_effect_on=FIRST_DAY
    )
    second = services.version_create(
        actor=school.actor, year=school.year, copy_from=first, name="Second"
    )
    services.entry_move(actor=school.actor, entry=second.entries.get(), day=1, period=1)

    services.timetable_publish(
        actor=school.actor, version=second, takes_effect_on=A_MONDAY
    )

    school_id = school.school.pk
    assert selectors.version_in_effect(school_id=school_id, on_date=FIRST_DAY) == first
    assert selectors.version_in_effect(school_id=school_id, on_date=A_MONDAY) == second
    first.refresh_from_db()
    assert first.status == VersionStatus.PUBLISHED


def test_publishing_for_the_same_day_replaces_the_earlier_timetable(school):
    a, _b = school.classes
    line = school.line(a, "mathematics", 2)
    first = school.draft()
    place(school, first, line)
    services.timetable_publish(
        actor=school.actor, version=first, takes_effect_on=FIRST_DAY
    )
    second = services.version_create(
        actor=school.actor, year=school.year, copy_from=first
    )

    result = services.timetable_publish(
        actor=school.actor, version=second, takes_effect_on=FIRST_DAY
    )

    first.refresh_from_db()
    assert (result.replaced, first.status) == (first, VersionStatus.REPLACED)
    # Nothing changed for anybody, so nobody is told twice.
    assert result.notified == 0


def test_a_timetable_cannot_take_effect_before_the_latest_published_one(school):
    a, _b = school.classes
    first = school.draft()
    place(school, first, school.line(a, "mathematics", 2))
    services.timetable_publish(
        actor=school.actor, version=first, takes_effect_on=A_MONDAY
    )
    second = services.version_create(
        actor=school.actor, year=school.year, copy_from=first
    )

    with pytest.raises(ValidationError) as caught:
        services.timetable_publish(
            actor=school.actor, version=second, takes_effect_on=FIRST_DAY
        )

    assert "takes_effect_on" in caught.value.message_dict


def test_a_timetable_takes_effect_inside_its_school_year(school):
    with pytest.raises(ValidationError) as caught:
        services.timetable_publish(
            actor=school.actor,
            version=school.draft(),
            takes_effect_on=datetime.date(2030, 1, 1),
        )

    assert "inside the school year" in caught.value.message_dict["takes_effect_on"][0]


# Substitutions


@pytest.fixture
def absence_world(school):
    """Ахметова teaches 5 «А» on Mondays, lesson 2, and is absent; who else
    could take it?"""
    a, b = school.classes
    absent = school.teacher("Ахметова", "mathematics")
    light = school.teacher("Бекова", "mathematics")
    heavy = school.teacher("Ғалиева", "mathematics")
    busy = school.teacher("Дәулетов", "mathematics")
    away = school.teacher("Ержанов", "mathematics")
    blocked = school.teacher("Жұмабаев", "mathematics")
    idle = school.teacher("Зейнолла", "mathematics")
    music = school.teacher("Ким", "music")
    version = school.draft()

    lesson = place(school, version, school.line(a, "mathematics", 3, absent), period=2)
    place(school, version, school.line(b, "history_of_kazakhstan", 1, light))
    geography = school.line(b, "geography", 2, heavy)
    place(school, version, geography, period=3)
    place(school, version, geography, day=1, period=3)
    place(school, version, school.line(b, "mathematics", 2, busy), period=2)
    services.timetable_publish(
        actor=school.actor, version=version, takes_effect_on=FIRST_DAY
    )
    services.absence_create(
        actor=school.actor, teacher=away, starts_on=A_MONDAY, ends_on=A_MONDAY
    )
    services.teacher_unavailability_set(
        actor=school.actor,
        year=school.year,
        teacher=blocked,
        slots=[(0, school.shift1, 2)],
    )
    absence = services.absence_create(
        actor=school.actor, teacher=absent, starts_on=A_MONDAY, ends_on=A_TUESDAY
    )
    lesson.entry.refresh_from_db()
    return {
        "absence": absence,
        "entry": TimetableEntry.objects.select_related(
            "version", "load", "school_class", "subgroup"
        ).get(pk=lesson.entry.pk),
        "light": light,
        "heavy": heavy,
        "idle": idle,
        "music": music,
        "busy": busy,
    }


def test_substitutes_are_qualified_free_in_the_shift_and_least_loaded_first(
    school, absence_world
):
    qualified, others = selectors.substitute_proposals(
        actor=school.actor, entry=absence_world["entry"], day=A_MONDAY
    )

    # Бекова and Ғалиева teach in the first shift that Monday, Бекова less;
    # Зейнолла has no lesson that day; Дәулетов is busy, Ержанов away,
    # Жұмабаев unavailable at that time.
    assert [p.teacher for p in qualified] == [
        absence_world["light"],
        absence_world["heavy"],
        absence_world["idle"],
    ]
    assert [(p.week_hours, p.in_shift) for p in qualified] == [
        (1, True),
        (2, True),
        (0, False),
    ]
    assert absence_world["music"] in [p.teacher for p in others]


def test_the_absence_lists_the_teacher_lessons_on_its_school_days(
    school, absence_world
):
    lessons = selectors.absence_lessons(absence=absence_world["absence"])

    assert [(item.day, item.entry.pk) for item in lessons] == [
        (A_MONDAY, absence_world["entry"].pk)
    ]


def test_a_chosen_substitute_is_recorded_and_the_class_and_teachers_told(
    school, absence_world
):
    student = enrol(absence_world["entry"].school_class, 1)[0]
    substitute = absence_world["light"]

    change = services.lesson_change_set(
        actor=school.actor,
        entry=absence_world["entry"],
        on_date=A_MONDAY,
        substitute=substitute,
        absence=absence_world["absence"],
    )

    kinds = dict(Notice.objects.filter(change=change).values_list("person_id", "kind"))
    assert kinds == {
        student.pk: NoticeKind.LESSON_CHANGED,
        substitute.pk: NoticeKind.SUBSTITUTION,
    }
    # She is no longer free then.
    qualified, _others = selectors.substitute_proposals(
        actor=school.actor, entry=absence_world["entry"], day=A_MONDAY
    )
    assert substitute not in [p.teacher for p in qualified]


def test_a_busy_substitute_is_refused_on_the_field(school, absence_world):
    with pytest.raises(ValidationError) as caught:
        services.lesson_change_set(
            actor=school.actor,
            entry=absence_world["entry"],
            on_date=A_MONDAY,
            substitute=absence_world["busy"],
        )

    assert "teaches another lesson" in caught.value.message_dict["substitute"][0]


def test_a_change_on_a_day_the_lesson_is_not_held_is_refused(school, absence_world):
    with pytest.raises(ValidationError) as caught:
        services.lesson_change_set(
            actor=school.actor,
            entry=absence_world["entry"],
            on_date=A_TUESDAY,
            is_cancelled=True,
        )

    assert "on_date" in caught.value.message_dict


def test_a_lesson_on_a_holiday_cannot_be_changed(school, absence_world):
    autumn_monday = datetime.date(2025, 10, 27)

    with pytest.raises(ValidationError) as caught:
        services.lesson_change_set(
            actor=school.actor,
            entry=absence_world["entry"],
            on_date=autumn_monday,
            is_cancelled=True,
        )

    assert "holiday" in caught.value.message_dict["on_date"][0]


def test_a_lesson_cannot_move_for_a_day_into_a_busy_room(school, absence_world):
    taken = school.classes[1].home_room

    with pytest.raises(ValidationError) as caught:
        services.lesson_change_set(
            actor=school.actor,
            entry=absence_world["entry"],
            on_date=A_MONDAY,
            room=taken,
        )

    assert "holds another lesson" in caught.value.message_dict["room"][0]


def test_a_second_change_of_one_lesson_replaces_the_first(school, absence_world):
    entry = absence_world["entry"]
    services.lesson_change_set(
        actor=school.actor, entry=entry, on_date=A_MONDAY, is_cancelled=True
    )

    services.lesson_change_set(
        actor=school.actor,
        entry=entry,
        on_date=A_MONDAY,
        room=school.rooms["small"],
    )

    change = LessonChange.objects.get(entry=entry)
    assert (change.is_cancelled, change.room) == (False, school.rooms["small"])


# The calendar address


def test_renewing_the_calendar_address_makes_a_new_secret(school):
    actor = cast(school).student
    first = services.calendar_feed_renew(actor=actor).token

    second = services.calendar_feed_renew(actor=actor).token

    assert first != second
    assert len(second) >= 40


def test_heads_have_no_personal_calendar_address(school):
    with pytest.raises(PermissionDenied):
        services.calendar_feed_renew(actor=school.actor)
