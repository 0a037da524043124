"""Rooms for a week whose times are known: a matching per slot.

The models only count rooms per family (Hall's condition), which guarantees
that this matching exists; it is found here with augmenting paths.
"""

from collections import defaultdict

from sabaq.timetable.solver.compile import Compiled
from sabaq.timetable.solver.problem import Placement, Slot
from sabaq.timetable.solver.week import Week


class RoomsNotFound(Exception):
    """No room matching exists for a slot (the week breaks a room rule)."""


def assign_rooms(cm: Compiled, week: Week) -> list[Placement]:
    """One placement per lesson occurrence, each with a room."""
    problem = cm.problem
    wanted: dict[Slot, list[int]] = defaultdict(list)  # slot -> lesson indices
    for unit, slots in zip(cm.units, week.slots, strict=True):
        for slot in slots:
            wanted[slot].extend(unit.lessons)

    placements = []
    for slot, lessons in sorted(wanted.items()):
        rooms = _match(cm, slot, lessons)
        for lesson in lessons:
            placements.append(
                Placement(
                    lesson=problem.lessons[lesson].id,
                    day=slot[0],
                    period=slot[1],
                    room=problem.rooms[rooms[lesson]].id,
                )
            )

    return placements


def _match(cm: Compiled, slot: Slot, lessons: list[int]) -> dict[int, int]:
    """Lesson -> room at one slot: locked rooms first, then augmenting paths."""
    problem = cm.problem
    owner: dict[int, int] = {}  # room -> lesson
    choice: dict[int, int] = {}  # lesson -> room
    options: dict[int, list[int]] = {}
    for lesson in lessons:
        locked = cm.locked_rooms.get((lesson, slot))
        if locked is not None:
            if locked in owner:
                raise RoomsNotFound(f"two lessons locked in one room at {slot}")
            owner[locked] = lesson
            choice[lesson] = locked
            continue
        options[lesson] = [
            r
            for r in cm.room_sets[cm.lesson_room_set[lesson]]
            if slot not in problem.rooms[r].unavailable
        ]

    def augment(lesson: int, seen: set[int]) -> bool:
        for r in options[lesson]:
            if r in seen:
                continue
            seen.add(r)
            holder = owner.get(r)
            if holder is None or (holder in options and augment(holder, seen)):
                owner[r] = lesson
                choice[lesson] = r
                return True
        return False

    # Lessons with fewer choices go first: most slots then need no search.
    for lesson in sorted(options, key=lambda x: len(options[x])):
        if not augment(lesson, set()):
            raise RoomsNotFound(f"no room for lesson {lesson} at {slot}")

    return choice
