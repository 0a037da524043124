"""Clashes in a timetable week, found in memory.

Nothing here touches the database. `selectors.week_of` loads a version once
(a fixed handful of queries) into a `Week`, which indexes its lessons by
teacher, room, class and load line for each day; `check_lesson` then answers
"what is wrong with this lesson?" from a few dictionary look-ups, so one edit
of a large school is checked in well under a millisecond, and `check_week`
lists every clash of the version.

Two lessons meet at the same time when they share the day, the shift and the
lesson number, or when they are in different shifts whose bells overlap (the
fifth lesson of the first shift and the first of the second shift, say).

Subgroups of one class split for one subject meet in parallel freely. Groups
of different subjects may meet together only when no student is in both. A
whole-class lesson leaves no room for any group of the class.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sabaq.schools.models import RoomKind

# Clash kinds. Each comes with a sentence in `Week.explain`.
TEACHER_BUSY = "teacher_busy"
TEACHER_UNAVAILABLE = "teacher_unavailable"
CLASS_BUSY = "class_busy"
GROUP_BUSY = "group_busy"
STUDENTS_BUSY = "students_busy"
ROOM_BUSY = "room_busy"
ROOM_KIND = "room_kind"
ROOM_SMALL = "room_small"
ROOM_CLOSED = "room_closed"
OUTSIDE_SHIFT = "outside_shift"
OUTSIDE_BELLS = "outside_bells"
HOURS_OVER = "hours_over"
HOURS_UNDER = "hours_under"

SOFT_KINDS = frozenset({ROOM_SMALL, HOURS_OVER, HOURS_UNDER})
"""Clashes a timetable may be published with: warnings, not errors."""

PAIR_KINDS = frozenset({TEACHER_BUSY, CLASS_BUSY, GROUP_BUSY, STUDENTS_BUSY, ROOM_BUSY})


@dataclass(frozen=True, slots=True)
class Bell:
    """When a lesson number of a shift starts and ends, in minutes of the day."""

    start: int
    end: int

    def overlaps(self, other: "Bell") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(slots=True)
class Lesson:
    """A timetable entry as plain data."""

    id: int
    line_id: int
    class_id: int
    subgroup_id: int | None
    subject_id: int
    teacher_id: int | None
    room_id: int | None
    day: int
    shift_id: int
    period: int


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the curriculum load."""

    id: int
    class_id: int
    subgroup_id: int | None
    subject_id: int
    teacher_id: int | None
    hours: int
    room_kind: str = ""
    room_id: int | None = None


@dataclass(frozen=True, slots=True)
class ClassInfo:
    id: int
    label: str
    grade: int
    shift_id: int
    size: int
    home_room_id: int | None = None


@dataclass(frozen=True, slots=True)
class GroupInfo:
    id: int
    class_id: int
    subject_id: int
    number: int
    members: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class RoomInfo:
    id: int
    label: str
    kind: str
    capacity: int
    active: bool = True


@dataclass(frozen=True, slots=True)
class Clash:
    """Something wrong with a lesson, or with a line of the load.

    `lesson_id` is the lesson the clash is about; `other_id` the lesson it
    clashes with, if any; `line_id` the load line, for hour counts.
    """

    kind: str
    lesson_id: int | None = None
    other_id: int | None = None
    line_id: int | None = None
    count: int = 0

    @property
    def is_hard(self) -> bool:
        return self.kind not in SOFT_KINDS


@dataclass
class Week:
    """A version's lessons with everything needed to judge them.

    `bells` maps (shift id, lesson number) to its times; `unavailable` holds
    (teacher id, day, shift id, lesson number) slots a teacher cannot teach.
    """

    lines: Mapping[int, Line]
    classes: Mapping[int, ClassInfo]
    groups: Mapping[int, GroupInfo]
    rooms: Mapping[int, RoomInfo]
    shift_numbers: Mapping[int, int]
    bells: Mapping[tuple[int, int], Bell]
    unavailable: Iterable[tuple[int, int, int, int]] = ()
    teachers: Mapping[int, str] = field(default_factory=dict)
    subjects: Mapping[int, str] = field(default_factory=dict)
    lessons: dict[int, Lesson] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_teacher: dict[tuple[int, int], set[int]] = defaultdict(set)
        self._by_room: dict[tuple[int, int], set[int]] = defaultdict(set)
        self._by_class: dict[tuple[int, int], set[int]] = defaultdict(set)
        self._by_line: dict[int, set[int]] = defaultdict(set)
        self._unavailable: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(
            list
        )
        for teacher_id, day, shift_id, period in self.unavailable:
            self._unavailable[(teacher_id, day)].append((shift_id, period))
        lessons = list(self.lessons.values())
        self.lessons = {}
        for lesson in lessons:
            self.add(lesson)

    # Keeping the indexes

    def add(self, lesson: Lesson) -> None:
        self.lessons[lesson.id] = lesson
        if lesson.teacher_id is not None:
            self._by_teacher[(lesson.teacher_id, lesson.day)].add(lesson.id)
        if lesson.room_id is not None:
            self._by_room[(lesson.room_id, lesson.day)].add(lesson.id)
        self._by_class[(lesson.class_id, lesson.day)].add(lesson.id)
        self._by_line[lesson.line_id].add(lesson.id)

    def remove(self, lesson_id: int) -> Lesson:
        lesson = self.lessons.pop(lesson_id)
        if lesson.teacher_id is not None:
            self._by_teacher[(lesson.teacher_id, lesson.day)].discard(lesson_id)
        if lesson.room_id is not None:
            self._by_room[(lesson.room_id, lesson.day)].discard(lesson_id)
        self._by_class[(lesson.class_id, lesson.day)].discard(lesson_id)
        self._by_line[lesson.line_id].discard(lesson_id)
        return lesson

    def replace(self, lesson: Lesson) -> None:
        """Put a changed lesson in place of the one with its id."""
        if lesson.id in self.lessons:
            self.remove(lesson.id)
        self.add(lesson)

    # Questions about lessons

    def placed(self, line_id: int) -> int:
        return len(self._by_line.get(line_id, ()))

    def lessons_of_line(self, line_id: int) -> list[Lesson]:
        return [self.lessons[i] for i in self._by_line.get(line_id, ())]

    def of_class(self, class_id: int, day: int) -> list[Lesson]:
        return [self.lessons[i] for i in self._by_class.get((class_id, day), ())]

    def of_teacher(self, teacher_id: int, day: int) -> list[Lesson]:
        return [self.lessons[i] for i in self._by_teacher.get((teacher_id, day), ())]

    def of_room(self, room_id: int, day: int) -> list[Lesson]:
        return [self.lessons[i] for i in self._by_room.get((room_id, day), ())]

    def bell(self, shift_id: int, period: int) -> Bell | None:
        return self.bells.get((shift_id, period))

    def at_same_time(
        self, shift_a: int, period_a: int, shift_b: int, period_b: int
    ) -> bool:
        """Whether two lesson slots of one day overlap in time."""
        if shift_a == shift_b:
            return period_a == period_b
        bell_a = self.bells.get((shift_a, period_a))
        bell_b = self.bells.get((shift_b, period_b))
        return bell_a is not None and bell_b is not None and bell_a.overlaps(bell_b)

    def meet_together(self, a: Lesson, b: Lesson) -> bool:
        return a.day == b.day and self.at_same_time(
            a.shift_id, a.period, b.shift_id, b.period
        )

    def audience_size(self, lesson: Lesson | Line) -> int:
        if lesson.subgroup_id is not None:
            group = self.groups.get(lesson.subgroup_id)
            return len(group.members) if group else 0
        info = self.classes.get(lesson.class_id)
        return info.size if info else 0

    def audience_clash(self, a: Lesson, b: Lesson) -> tuple[str, int] | None:
        """Whether two lessons of one class at one time leave someone in two
        places: the kind of clash and the number of students caught."""
        if a.subgroup_id is None or b.subgroup_id is None:
            return CLASS_BUSY, 0
        if a.subgroup_id == b.subgroup_id:
            return GROUP_BUSY, 0
        group_a = self.groups.get(a.subgroup_id)
        group_b = self.groups.get(b.subgroup_id)
        if group_a is None or group_b is None:
            return None
        if group_a.subject_id == group_b.subject_id:
            return None
        shared = len(group_a.members & group_b.members)

        return (STUDENTS_BUSY, shared) if shared else None


# Checking


def _pair_clashes(week: Week, lesson: Lesson, *, higher_only: bool) -> list[Clash]:
    found: list[Clash] = []

    def others(index: set[int] | None):
        for other_id in index or ():
            if other_id == lesson.id or (higher_only and other_id < lesson.id):
                continue
            other = week.lessons[other_id]
            if week.meet_together(lesson, other):
                yield other

    if lesson.teacher_id is not None:
        teacher_key = (lesson.teacher_id, lesson.day)
        for other in others(week._by_teacher.get(teacher_key)):
            found.append(Clash(TEACHER_BUSY, lesson.id, other.id))
    if lesson.room_id is not None:
        for other in others(week._by_room.get((lesson.room_id, lesson.day))):
            found.append(Clash(ROOM_BUSY, lesson.id, other.id))
    for other in others(week._by_class.get((lesson.class_id, lesson.day))):
        clash = week.audience_clash(lesson, other)
        if clash is not None:
            kind, count = clash
            found.append(Clash(kind, lesson.id, other.id, count=count))

    return found


def _single_clashes(week: Week, lesson: Lesson) -> list[Clash]:
    found: list[Clash] = []
    info = week.classes.get(lesson.class_id)
    if info is not None and info.shift_id != lesson.shift_id:
        found.append(Clash(OUTSIDE_SHIFT, lesson.id))
    if (lesson.shift_id, lesson.period) not in week.bells:
        found.append(Clash(OUTSIDE_BELLS, lesson.id))

    if lesson.teacher_id is not None:
        for shift_id, period in week._unavailable.get(
            (lesson.teacher_id, lesson.day), ()
        ):
            if week.at_same_time(lesson.shift_id, lesson.period, shift_id, period):
                found.append(Clash(TEACHER_UNAVAILABLE, lesson.id))
                break

    room = week.rooms.get(lesson.room_id) if lesson.room_id is not None else None
    if room is not None:
        line = week.lines.get(lesson.line_id)
        if not room.active:
            found.append(Clash(ROOM_CLOSED, lesson.id))
        if line is not None and line.room_kind and room.kind != line.room_kind:
            found.append(Clash(ROOM_KIND, lesson.id))
        size = week.audience_size(lesson)
        if size > room.capacity:
            found.append(Clash(ROOM_SMALL, lesson.id, count=size))

    return found


def _hours_clash(week: Week, line: Line, *, under: bool) -> Clash | None:
    placed = week.placed(line.id)
    if placed > line.hours:
        return Clash(HOURS_OVER, line_id=line.id, count=placed)
    if under and placed < line.hours:
        return Clash(HOURS_UNDER, line_id=line.id, count=placed)
    return None


def check_lesson(week: Week, lesson_id: int) -> list[Clash]:
    """Every clash of one lesson, and too many hours of its load line.

    Used after each edit: it looks only at the lessons of the same day that
    share the teacher, the room or the class.
    """
    lesson = week.lessons[lesson_id]
    found = _single_clashes(week, lesson) + _pair_clashes(
        week, lesson, higher_only=False
    )
    line = week.lines.get(lesson.line_id)
    if line is not None:
        hours = _hours_clash(week, line, under=False)
        if hours is not None:
            found.append(hours)

    return found


def check_week(week: Week) -> list[Clash]:
    """Every clash of the week, each pair of lessons listed once, followed by
    the load lines with more or fewer hours placed than they ask for."""
    found: list[Clash] = []
    for lesson_id in sorted(week.lessons):
        lesson = week.lessons[lesson_id]
        found += _single_clashes(week, lesson)
        found += _pair_clashes(week, lesson, higher_only=True)
    for line in week.lines.values():
        hours = _hours_clash(week, line, under=True)
        if hours is not None:
            found.append(hours)

    return found


def hard_clashes(clashes: Iterable[Clash]) -> list[Clash]:
    return [clash for clash in clashes if clash.is_hard]


def flagged_lessons(clashes: Iterable[Clash]) -> dict[int, list[Clash]]:
    """The clashes of each lesson involved, both sides of each pair."""
    flagged: dict[int, list[Clash]] = defaultdict(list)
    for clash in clashes:
        if clash.lesson_id is not None:
            flagged[clash.lesson_id].append(clash)
        if clash.other_id is not None:
            flagged[clash.other_id].append(clash)
    return flagged


# Words


def _time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Explainer:
    """Turns clashes of a week into sentences in the active language."""

    def __init__(self, week: Week) -> None:
        self.week = week

    def audience(self, item: Lesson | Line) -> str:
        info = self.week.classes.get(item.class_id)
        label = info.label if info else "?"
        if item.subgroup_id is None:
            return label
        group = self.week.groups.get(item.subgroup_id)
        return _("%(class)s, group %(number)d") % {
            "class": label,
            "number": group.number if group else 0,
        }

    def subject(self, item: Lesson | Line) -> str:
        return self.week.subjects.get(item.subject_id, "?")

    def lesson(self, lesson: Lesson) -> str:
        """A lesson in a few words: «Mathematics, 5 «А»»."""
        return _("%(subject)s, %(audience)s") % {
            "subject": self.subject(lesson),
            "audience": self.audience(lesson),
        }

    def teacher(self, teacher_id: int | None) -> str:
        if teacher_id is None:
            return _("no teacher")
        return self.week.teachers.get(teacher_id, "?")

    def room(self, room_id: int | None) -> str:
        info = self.week.rooms.get(room_id) if room_id is not None else None
        return info.label if info else "?"

    def _other_time(self, lesson: Lesson, other: Lesson) -> dict[str, object] | None:
        if other.shift_id == lesson.shift_id:
            return None
        bell = self.week.bell(other.shift_id, other.period)
        return {
            "shift": self.week.shift_numbers.get(other.shift_id, 0),
            "start": _time(bell.start) if bell else "?",
            "end": _time(bell.end) if bell else "?",
        }

    def explain(self, clash: Clash) -> str:
        week = self.week
        lesson = week.lessons.get(clash.lesson_id) if clash.lesson_id else None
        other = week.lessons.get(clash.other_id) if clash.other_id else None
        line = week.lines.get(clash.line_id) if clash.line_id else None
        kind = clash.kind

        if kind in (HOURS_OVER, HOURS_UNDER) and line is not None:
            return ngettext(
                "%(placed)d lesson of %(subject)s is placed for %(audience)s; "
                "the load asks for %(hours)d a week.",
                "%(placed)d lessons of %(subject)s are placed for %(audience)s; "
                "the load asks for %(hours)d a week.",
                clash.count,
            ) % {
                "placed": clash.count,
                "subject": self.subject(line),
                "audience": self.audience(line),
                "hours": line.hours,
            }
        if lesson is None:
            return ""
        if other is not None:
            return self._explain_pair(kind, lesson, other, clash.count)

        if kind == OUTSIDE_SHIFT:
            info = week.classes.get(lesson.class_id)
            return _(
                "%(class)s studies in shift %(class_shift)d, but this lesson is "
                "in shift %(shift)d."
            ) % {
                "class": info.label if info else "?",
                "class_shift": week.shift_numbers.get(info.shift_id, 0) if info else 0,
                "shift": week.shift_numbers.get(lesson.shift_id, 0),
            }
        if kind == OUTSIDE_BELLS:
            return _(
                "Shift %(shift)d has no lesson %(period)d in its bell schedule."
            ) % {
                "shift": week.shift_numbers.get(lesson.shift_id, 0),
                "period": lesson.period,
            }
        if kind == TEACHER_UNAVAILABLE:
            return _("%(teacher)s is marked unavailable at this time.") % {
                "teacher": self.teacher(lesson.teacher_id)
            }
        if kind == ROOM_CLOSED:
            return _("Room %(room)s is not in use.") % {
                "room": self.room(lesson.room_id)
            }
        if kind == ROOM_KIND:
            line = week.lines.get(lesson.line_id)
            room = week.rooms.get(lesson.room_id) if lesson.room_id else None
            return _(
                "%(lesson)s needs a room of the kind «%(needed)s», but room "
                "%(room)s is of the kind «%(kind)s»."
            ) % {
                "lesson": self.lesson(lesson),
                "needed": RoomKind(line.room_kind).label if line else "?",
                "room": self.room(lesson.room_id),
                "kind": RoomKind(room.kind).label if room else "?",
            }
        if kind == ROOM_SMALL:
            room = week.rooms.get(lesson.room_id) if lesson.room_id else None
            return ngettext(
                "Room %(room)s seats %(seats)d, but %(audience)s has %(count)d "
                "student.",
                "Room %(room)s seats %(seats)d, but %(audience)s has %(count)d "
                "students.",
                clash.count,
            ) % {
                "room": self.room(lesson.room_id),
                "seats": room.capacity if room else 0,
                "audience": self.audience(lesson),
                "count": clash.count,
            }

        return kind

    def _explain_pair(
        self, kind: str, lesson: Lesson, other: Lesson, count: int
    ) -> str:
        values: dict[str, object] = {
            "lesson": self.lesson(lesson),
            "other": self.lesson(other),
        }
        elsewhere = self._other_time(lesson, other)
        if kind == TEACHER_BUSY:
            values["teacher"] = self.teacher(lesson.teacher_id)
            if elsewhere:
                return _(
                    "%(teacher)s also teaches %(other)s in shift %(shift)d from "
                    "%(start)s to %(end)s, which overlaps this lesson."
                ) % {**values, **elsewhere}
            return _("%(teacher)s also teaches %(other)s at this time.") % values
        if kind == ROOM_BUSY:
            values["room"] = self.room(lesson.room_id)
            if elsewhere:
                return _(
                    "Room %(room)s also holds %(other)s in shift %(shift)d from "
                    "%(start)s to %(end)s, which overlaps this lesson."
                ) % {**values, **elsewhere}
            return _("Room %(room)s also holds %(other)s at this time.") % values
        if kind == CLASS_BUSY:
            values["class"] = self.audience(lesson)
            if lesson.subgroup_id is None and other.subgroup_id is None:
                return _("%(class)s also has %(other)s at this time.") % values
            return (
                _(
                    "%(lesson)s and %(other)s meet at the same time, but the whole "
                    "class cannot be in a lesson while one of its groups is in another."
                )
                % values
            )
        if kind == GROUP_BUSY:
            values["group"] = self.audience(lesson)
            return _("%(group)s also has %(other)s at this time.") % values
        if kind == STUDENTS_BUSY:
            return ngettext(
                "%(count)d student is in the groups of both %(lesson)s and "
                "%(other)s, which meet at the same time.",
                "%(count)d students are in the groups of both %(lesson)s and "
                "%(other)s, which meet at the same time.",
                count,
            ) % {**values, "count": count}

        return kind
