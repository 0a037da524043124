"""Index-based view of a `Problem`, the form the model builders work on.

Three simplifications make the model much smaller than the problem:

* A parallel group becomes one *unit* with several lessons, teachers and
  rooms: its members share their times, so they share their variables.
* Audiences (a class, or each of its subgroups) that attend exactly the same
  units have identical rules, so only one of them is kept.
* Rooms are not variables. A week has a room for every lesson exactly when,
  in every slot, every family of room sets asks for no more rooms than the
  family's union holds (Hall's theorem); `RoomFamily` lists the families that
  need checking, and `rooms.assign_rooms` finds the rooms afterwards.
"""

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field

from sabaq.timetable.solver.problem import Problem, Slot

# Non-nested room sets of one component are checked family by family; beyond
# this many sets the number of families explodes.
MAX_ENUMERATED_ROOM_SETS = 10


@dataclass
class Unit:
    index: int
    lessons: tuple[int, ...]  # indices into problem.lessons
    teachers: tuple[int, ...]
    audiences: tuple[int, ...]
    count: int
    slots: tuple[Slot, ...]  # where it may be held
    locked: frozenset[Slot]  # where it must be held
    room_sets: tuple[int, ...]  # per member lesson, index into room_sets
    doubles: int
    hard: bool
    spread: bool  # same-day pairs count against the week
    max_per_day: int
    classes: frozenset[int] = frozenset()
    # (room family, how many rooms of it the unit takes at a time)
    families: tuple[tuple[int, int], ...] = ()


@dataclass
class Audience:
    ids: tuple[str, ...]  # the class or subgroups it stands for
    class_index: int
    periods: tuple[int, ...]  # its shift's periods
    max_per_day: int
    units: tuple[int, ...]


@dataclass
class RoomFamily:
    """A union of room sets whose demand must not exceed its free rooms."""

    room_sets: frozenset[int]
    rooms: frozenset[int]
    # Slots where some of its rooms are unavailable -> rooms still free.
    reduced: dict[Slot, int] = field(default_factory=dict)

    def capacity(self, slot: Slot) -> int:
        return self.reduced.get(slot, len(self.rooms))


@dataclass
class Compiled:
    problem: Problem
    n_days: int
    units: list[Unit]
    audiences: list[Audience]
    teacher_units: list[list[int]]  # per teacher, the units they teach
    room_sets: list[tuple[int, ...]]
    room_families: list[RoomFamily]
    # Room sets that need explicit room choices (large overlapping components).
    explicit_room_sets: frozenset[int] = frozenset()
    # Locked (lesson, slot) -> room, for lessons locked with a room.
    locked_rooms: dict[tuple[int, Slot], int] = field(default_factory=dict)
    # Per lesson, the index of its room set.
    lesson_room_set: list[int] = field(default_factory=list)

    def day_periods(self) -> list[int]:
        return list(range(self.problem.periods_per_day))


def compile_problem(problem: Problem) -> Compiled:
    """Build units, audiences and room families. Assumes `diagnose` passed."""
    n_days = len(problem.days)
    lesson_index = {lesson.id: i for i, lesson in enumerate(problem.lessons)}
    teacher_index = {t.id: i for i, t in enumerate(problem.teachers)}
    class_index = {c.id: i for i, c in enumerate(problem.classes)}
    room_index = {r.id: i for i, r in enumerate(problem.rooms)}
    shift_periods = {s.id: s.periods for s in problem.shifts}

    # Members of a parallel group form one unit; other lessons stand alone.
    members: dict[str, list[int]] = defaultdict(list)
    for i, lesson in enumerate(problem.lessons):
        members[lesson.parallel_group or f"\0{lesson.id}"].append(i)

    room_sets: list[tuple[int, ...]] = []
    room_set_index: dict[tuple[int, ...], int] = {}

    def room_set_of(lesson_rooms: tuple[str, ...]) -> int:
        key = tuple(sorted(room_index[r] for r in lesson_rooms))
        if key not in room_set_index:
            room_set_index[key] = len(room_sets)
            room_sets.append(key)
        return room_set_index[key]

    locked_by_lesson: dict[int, set[Slot]] = defaultdict(set)
    locked_rooms: dict[tuple[int, Slot], int] = {}
    for placement in problem.locked:
        i = lesson_index[placement.lesson]
        slot = (placement.day, placement.period)
        locked_by_lesson[i].add(slot)
        if placement.room is not None:
            locked_rooms[(i, slot)] = room_index[placement.room]

    # Audiences: subgroups of a split class, or the class itself.
    audience_units: dict[tuple[int, str], list[int]] = defaultdict(list)
    units: list[Unit] = []
    for lesson_ids in members.values():
        lessons = [problem.lessons[i] for i in lesson_ids]
        u = len(units)
        unit_audiences: set[tuple[int, str]] = set()
        for lesson in lessons:
            klass = problem.classes[class_index[lesson.class_id]]
            if lesson.subgroup is not None:
                names: tuple[str, ...] = (lesson.subgroup,)
            else:
                names = klass.subgroups or (klass.id,)
            unit_audiences.update((class_index[klass.id], n) for n in names)
        for key in unit_audiences:
            audience_units[key].append(u)

        count = lessons[0].count
        slots = _allowed_slots(problem, lessons, shift_periods)
        days_used = len({day for day, _period in slots}) or 1
        units.append(
            Unit(
                index=u,
                lessons=tuple(lesson_ids),
                teachers=tuple(sorted({teacher_index[x.teacher] for x in lessons})),
                audiences=(),  # filled in below, after merging audiences
                count=count,
                slots=slots,
                locked=frozenset().union(*(locked_by_lesson[i] for i in lesson_ids)),
                room_sets=tuple(room_set_of(x.rooms) for x in lessons),
                doubles=max(x.doubles for x in lessons),
                hard=any(x.hard for x in lessons),
                spread=count <= n_days,
                max_per_day=(
                    2 if count <= n_days else max(2, math.ceil(count / days_used))
                ),
            )
        )

    # Merge audiences that attend the same units.
    audiences: list[Audience] = []
    by_units: dict[tuple[int, ...], int] = {}
    for (c, name), unit_list in sorted(audience_units.items()):
        key = tuple(sorted(unit_list))
        if key in by_units:
            a = audiences[by_units[key]]
            a.ids = (*a.ids, name)
            continue
        klass = problem.classes[c]
        periods = shift_periods[klass.shift]
        by_units[key] = len(audiences)
        audiences.append(
            Audience(
                ids=(name,),
                class_index=c,
                periods=periods,
                max_per_day=min(klass.max_lessons_per_day, len(periods)),
                units=key,
            )
        )
    unit_audiences_lists: dict[int, list[int]] = defaultdict(list)
    for a, audience in enumerate(audiences):
        for u in audience.units:
            unit_audiences_lists[u].append(a)
    for unit in units:
        unit.audiences = tuple(unit_audiences_lists[unit.index])

    teacher_units: list[list[int]] = [[] for _ in problem.teachers]
    for unit in units:
        for t in unit.teachers:
            teacher_units[t].append(unit.index)

    families, explicit = _room_families(room_sets)
    for family in families:
        blocked: dict[Slot, int] = defaultdict(int)
        for r in family.rooms:
            for slot in problem.rooms[r].unavailable:
                blocked[slot] += 1
        family.reduced = {slot: len(family.rooms) - n for slot, n in blocked.items()}
    for unit in units:
        unit.classes = frozenset(
            class_index[problem.lessons[i].class_id] for i in unit.lessons
        )
        unit.families = tuple(
            (f, k)
            for f, family in enumerate(families)
            if (k := sum(1 for rs in unit.room_sets if rs in family.room_sets))
        )
    lesson_room_set = [room_set_of(lesson.rooms) for lesson in problem.lessons]

    return Compiled(
        problem=problem,
        n_days=n_days,
        units=units,
        audiences=audiences,
        teacher_units=teacher_units,
        room_sets=room_sets,
        room_families=families,
        explicit_room_sets=explicit,
        locked_rooms=locked_rooms,
        lesson_room_set=lesson_room_set,
    )


def _allowed_slots(problem: Problem, lessons, shift_periods) -> tuple[Slot, ...]:
    """Slots inside every member's shift prefix where everybody is free."""
    class_by_id = {c.id: c for c in problem.classes}
    teacher_by_id = {t.id: t for t in problem.teachers}
    room_by_id = {r.id: r for r in problem.rooms}

    allowed: set[Slot] | None = None
    for lesson in lessons:
        klass = class_by_id[lesson.class_id]
        periods = shift_periods[klass.shift][: klass.max_lessons_per_day]
        blocked = klass.unavailable | teacher_by_id[lesson.teacher].unavailable
        mine = {
            (day, period)
            for day in range(len(problem.days))
            for period in periods
            if (day, period) not in blocked
            and any(
                (day, period) not in room_by_id[r].unavailable for r in lesson.rooms
            )
        }
        allowed = mine if allowed is None else allowed & mine

    return tuple(sorted(allowed or ()))


def _room_families(
    room_sets: list[tuple[int, ...]],
) -> tuple[list[RoomFamily], frozenset[int]]:
    """The families of room sets whose Hall condition has to be stated.

    Sets that share no room with any other set need one family each. In a
    nested (laminar) component a family per set, holding every set inside
    it, is enough. Other components are small in practice and are enumerated;
    a large one falls back to explicit room choices.
    """
    n = len(room_sets)
    as_sets = [frozenset(s) for s in room_sets]
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rooms_to_sets: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(as_sets):
        for r in s:
            rooms_to_sets[r].append(i)
    for sharing in rooms_to_sets.values():
        for other in sharing[1:]:
            parent[find(other)] = find(sharing[0])

    components: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        components[find(i)].append(i)

    families: list[RoomFamily] = []
    explicit: set[int] = set()
    for component in components.values():
        laminar = all(
            a <= b or b <= a or not (a & b)
            for a, b in itertools.combinations([as_sets[i] for i in component], 2)
        )
        if laminar:
            for i in component:
                inside = frozenset(j for j in component if as_sets[j] <= as_sets[i])
                families.append(RoomFamily(room_sets=inside, rooms=as_sets[i]))
        elif len(component) <= MAX_ENUMERATED_ROOM_SETS:
            for size in range(1, len(component) + 1):
                for chosen in itertools.combinations(component, size):
                    union = frozenset().union(*(as_sets[i] for i in chosen))
                    families.append(
                        RoomFamily(room_sets=frozenset(chosen), rooms=union)
                    )
        else:
            explicit.update(component)

    return families, frozenset(explicit)
