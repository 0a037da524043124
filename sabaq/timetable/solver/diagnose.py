"""Reasons a week cannot exist, found before any search.

Each reason is data: a `code` and its `params`, so that the Django layer can
show it as a translated whole sentence; `message` is the English sentence for
logs and the command line. The checks are counting arguments a deputy head
can verify by hand ("teacher X has 38 lessons but is available in only 35
periods"); they prove impossibility, but passing them does not prove that a
week exists.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sabaq.timetable.solver.problem import Lesson, Problem, Slot

MESSAGES = {
    "unknown_class": "Lesson {lesson} belongs to class {class_id}, which does not exist.",
    "unknown_teacher": "Lesson {lesson} is taught by {teacher}, who is not on the staff.",
    "unknown_room": "Lesson {lesson} may use room {room}, which does not exist.",
    "unknown_subgroup": "Lesson {lesson} is for subgroup {subgroup}, which class {class_id} does not have.",
    "unknown_shift": "Class {class_id} is in shift {shift}, which does not exist.",
    "no_rooms": "Lesson {lesson} has no room it may use.",
    "bad_count": "Lesson {lesson} is held {count} times a week; it must be at least once.",
    "group_counts_differ": "The lessons of parallel group {group} are held different numbers of times a week: {counts}.",
    "group_teacher_twice": "Teacher {teacher} teaches two lessons of parallel group {group}, which take place at the same time.",
    "group_audience_twice": "Parallel group {group} has two lessons for {audience}, who cannot attend both at once.",
    "group_shifts_differ": "Parallel group {group} joins classes of different shifts.",
    "lesson_without_slots": "Lesson {lesson} ({subject}, {class_id}) has no period in which its class, its teacher and one of its rooms are all free.",
    "lesson_too_few_slots": "Lesson {lesson} ({subject}, {class_id}) is held {count} times a week but can only take place in {available} periods.",
    "teacher_overloaded": "Teacher {teacher} has {load} lessons a week but is available in only {available} periods.",
    "class_overloaded": "{audience} has {load} lessons a week but its shift holds at most {capacity} ({days} days of {per_day}).",
    "rooms_overloaded": "Lessons needing a room of kind {kind} in shift {shift} take {load} periods a week, but there are only {capacity} ({rooms} rooms, {periods} periods).",
    "locked_unknown_lesson": "A locked entry names lesson {lesson}, which does not exist.",
    "locked_too_many": "Lesson {lesson} has {locked} locked entries but is held only {count} times a week.",
    "locked_outside": "Lesson {lesson} is locked on {day} at period {period}, where it cannot take place (outside its shift or day, or someone is unavailable).",
    "locked_clash": "{who} has two locked lessons at once on {day} at period {period}: {lessons}.",
    "locked_room_not_allowed": "Lesson {lesson} is locked in room {room}, which it may not use.",
}


@dataclass(frozen=True)
class Explanation:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)

    def __str__(self) -> str:
        return self.message


def diagnose(problem: Problem) -> list[Explanation]:
    """Every counting reason why no week can keep all the rules."""
    found = _references(problem)
    if found:
        return found  # the counts below rely on the references
    found += _parallel_groups(problem)
    found += _lessons(problem)
    found += _teachers(problem)
    found += _audiences(problem)
    found += _rooms(problem)
    found += _locked(problem)

    return found


def _references(problem: Problem) -> list[Explanation]:
    found = []
    classes = {c.id: c for c in problem.classes}
    teachers = {t.id for t in problem.teachers}
    rooms = {r.id for r in problem.rooms}
    shifts = {s.id for s in problem.shifts}
    for klass in problem.classes:
        if klass.shift not in shifts:
            found.append(
                Explanation(
                    "unknown_shift", {"class_id": klass.id, "shift": klass.shift}
                )
            )
    for lesson in problem.lessons:
        klass = classes.get(lesson.class_id)
        if klass is None:
            found.append(
                Explanation(
                    "unknown_class", {"lesson": lesson.id, "class_id": lesson.class_id}
                )
            )
        elif lesson.subgroup is not None and lesson.subgroup not in klass.subgroups:
            found.append(
                Explanation(
                    "unknown_subgroup",
                    {
                        "lesson": lesson.id,
                        "subgroup": lesson.subgroup,
                        "class_id": klass.id,
                    },
                )
            )
        if lesson.teacher not in teachers:
            found.append(
                Explanation(
                    "unknown_teacher", {"lesson": lesson.id, "teacher": lesson.teacher}
                )
            )
        for room in lesson.rooms:
            if room not in rooms:
                found.append(
                    Explanation("unknown_room", {"lesson": lesson.id, "room": room})
                )
        if not lesson.rooms:
            found.append(Explanation("no_rooms", {"lesson": lesson.id}))
        if lesson.count < 1:
            found.append(
                Explanation("bad_count", {"lesson": lesson.id, "count": lesson.count})
            )
    return found


def _parallel_groups(problem: Problem) -> list[Explanation]:
    found = []
    classes = {c.id: c for c in problem.classes}
    groups: dict[str, list[Lesson]] = defaultdict(list)
    for lesson in problem.lessons:
        if lesson.parallel_group:
            groups[lesson.parallel_group].append(lesson)
    for group, members in groups.items():
        counts = sorted({m.count for m in members})
        if len(counts) > 1:
            found.append(
                Explanation("group_counts_differ", {"group": group, "counts": counts})
            )
        for teacher, n in Counter(m.teacher for m in members).items():
            if n > 1:
                found.append(
                    Explanation(
                        "group_teacher_twice", {"group": group, "teacher": teacher}
                    )
                )
        seen: Counter[str] = Counter()
        for m in members:
            seen.update(_audiences_of(m, classes[m.class_id].subgroups))
        for audience, n in seen.items():
            if n > 1:
                found.append(
                    Explanation(
                        "group_audience_twice", {"group": group, "audience": audience}
                    )
                )
        if len({classes[m.class_id].shift for m in members}) > 1:
            found.append(Explanation("group_shifts_differ", {"group": group}))
    return found


def _audiences_of(lesson: Lesson, subgroups: tuple[str, ...]) -> list[str]:
    if lesson.subgroup is not None:
        return [lesson.subgroup]
    return list(subgroups) or [lesson.class_id]


def _lesson_slots(problem: Problem, lesson: Lesson) -> set[Slot]:
    """Where a lesson may be held, taken alone."""
    klass = next(c for c in problem.classes if c.id == lesson.class_id)
    teacher = next(t for t in problem.teachers if t.id == lesson.teacher)
    shift = next(s for s in problem.shifts if s.id == klass.shift)
    rooms = [r for r in problem.rooms if r.id in lesson.rooms]
    periods = shift.periods[: klass.max_lessons_per_day]
    return {
        (d, p)
        for d in range(len(problem.days))
        for p in periods
        if (d, p) not in klass.unavailable
        and (d, p) not in teacher.unavailable
        and any((d, p) not in r.unavailable for r in rooms)
    }


def _lessons(problem: Problem) -> list[Explanation]:
    found = []
    for lesson in problem.lessons:
        slots = _lesson_slots(problem, lesson)
        params = {
            "lesson": lesson.id,
            "subject": lesson.subject,
            "class_id": lesson.class_id,
            "count": lesson.count,
            "available": len(slots),
        }
        if not slots:
            found.append(Explanation("lesson_without_slots", params))
        elif len(slots) < lesson.count:
            found.append(Explanation("lesson_too_few_slots", params))
    return found


def _teachers(problem: Problem) -> list[Explanation]:
    """A teacher's lessons (a parallel group counts once per member) against
    the periods in which the teacher can teach any of them."""
    found = []
    by_teacher: dict[str, list[Lesson]] = defaultdict(list)
    for lesson in problem.lessons:
        by_teacher[lesson.teacher].append(lesson)
    for teacher in problem.teachers:
        lessons = by_teacher.get(teacher.id, [])
        load = sum(lesson.count for lesson in lessons)
        available = (
            set().union(*(_lesson_slots(problem, x) for x in lessons))
            if lessons
            else set()
        )
        if load > len(available):
            found.append(
                Explanation(
                    "teacher_overloaded",
                    {
                        "teacher": teacher.name or teacher.id,
                        "load": load,
                        "available": len(available),
                    },
                )
            )
    return found


def _audiences(problem: Problem) -> list[Explanation]:
    """A class's or subgroup's weekly lessons against its shift's capacity:
    days times min(max lessons a day, periods in the shift), less the slots
    in which the class is unavailable."""
    found = []
    shifts = {s.id: s for s in problem.shifts}
    load: Counter[str] = Counter()
    for lesson in problem.lessons:
        klass = next(c for c in problem.classes if c.id == lesson.class_id)
        for audience in _audiences_of(lesson, klass.subgroups):
            load[audience] += lesson.count
    for klass in problem.classes:
        shift = shifts[klass.shift]
        per_day = min(klass.max_lessons_per_day, len(shift.periods))
        days = len(problem.days)
        # A day's lessons start at the first period, so an unavailable slot
        # shortens that day to the periods before it.
        capacity = 0
        for d in range(days):
            usable = 0
            for p in shift.periods[:per_day]:
                if (d, p) in klass.unavailable:
                    break
                usable += 1
            capacity += usable
        for audience in klass.subgroups or (klass.id,):
            if load[audience] > capacity:
                found.append(
                    Explanation(
                        "class_overloaded",
                        {
                            "audience": audience,
                            "load": load[audience],
                            "capacity": capacity,
                            "days": days,
                            "per_day": per_day,
                        },
                    )
                )
    return found


def _rooms(problem: Problem) -> list[Explanation]:
    """Per shift and room kind, the lessons that can only use rooms of that
    kind against the rooms' periods in that shift."""
    found = []
    kind_of = {r.id: r.kind for r in problem.rooms}
    classes = {c.id: c for c in problem.classes}
    shifts = {s.id: s for s in problem.shifts}
    demand: Counter[tuple[int, str]] = Counter()
    for lesson in problem.lessons:
        kinds = {kind_of[r] for r in lesson.rooms}
        if len(kinds) == 1:
            demand[classes[lesson.class_id].shift, kinds.pop()] += lesson.count
    for (shift_id, kind), load in sorted(demand.items()):
        rooms = [r for r in problem.rooms if r.kind == kind]
        periods = [
            (d, p) for d in range(len(problem.days)) for p in shifts[shift_id].periods
        ]
        capacity = sum(
            1 for r in rooms for slot in periods if slot not in r.unavailable
        )
        if load > capacity:
            found.append(
                Explanation(
                    "rooms_overloaded",
                    {
                        "kind": kind,
                        "shift": shift_id,
                        "load": load,
                        "capacity": capacity,
                        "rooms": len(rooms),
                        "periods": len(periods),
                    },
                )
            )
    return found


def _locked(problem: Problem) -> list[Explanation]:
    found = []
    lessons = {x.id: x for x in problem.lessons}
    classes = {c.id: c for c in problem.classes}
    per_lesson: Counter[str] = Counter()
    who_at: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    audience_days: dict[tuple[str, int], set[int]] = defaultdict(set)
    for placement in problem.locked:
        lesson = lessons.get(placement.lesson)
        day_name = _day_name(problem, placement.day)
        if lesson is None:
            found.append(
                Explanation("locked_unknown_lesson", {"lesson": placement.lesson})
            )
            continue
        per_lesson[lesson.id] += 1
        slot = (placement.day, placement.period)
        if slot not in _lesson_slots(problem, lesson):
            found.append(
                Explanation(
                    "locked_outside",
                    {
                        "lesson": lesson.id,
                        "day": day_name,
                        "period": placement.period + 1,
                    },
                )
            )
        if placement.room is not None and placement.room not in lesson.rooms:
            found.append(
                Explanation(
                    "locked_room_not_allowed",
                    {"lesson": lesson.id, "room": placement.room},
                )
            )
        who = [f"Teacher {lesson.teacher}"]
        for audience in _audiences_of(lesson, classes[lesson.class_id].subgroups):
            who.append(audience)
            audience_days[audience, placement.day].add(placement.period)
        if placement.room is not None:
            who.append(f"Room {placement.room}")
        for name in who:
            who_at[name, placement.day, placement.period].append(lesson.id)

    for lesson_id, n in per_lesson.items():
        if n > lessons[lesson_id].count:
            found.append(
                Explanation(
                    "locked_too_many",
                    {
                        "lesson": lesson_id,
                        "locked": n,
                        "count": lessons[lesson_id].count,
                    },
                )
            )
    for (name, day, period), ids in who_at.items():
        distinct = sorted(set(ids))
        if len(ids) > 1 and not _one_parallel_group(lessons, distinct):
            found.append(
                Explanation(
                    "locked_clash",
                    {
                        "who": name,
                        "day": _day_name(problem, day),
                        "period": period + 1,
                        "lessons": ", ".join(distinct),
                    },
                )
            )
    return found


def _one_parallel_group(lessons: dict[str, Lesson], ids: list[str]) -> bool:
    groups = {lessons[i].parallel_group for i in ids}
    return len(ids) == 1 or (len(groups) == 1 and None not in groups)


def _day_name(problem: Problem, day: int) -> str:
    return problem.days[day] if 0 <= day < len(problem.days) else str(day)
