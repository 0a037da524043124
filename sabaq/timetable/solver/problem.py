"""The school week to be timetabled, as plain data.

A `Problem` mirrors the benchmark instance format of
`shared/bench/timetable/README.md`: days, global periods, shifts, rooms with
kinds, teachers and their unavailable slots, classes with subgroups, and the
weekly courses ("lessons", each held `count` times a week). The Django layer
builds a `Problem` from its models; the benchmark builds one from JSON with
`load_instance`.

Days and periods are 0-based indices. A period is global: in a two-shift
school with seven periods per shift, the second shift runs from period 7 to
period 13.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

Slot = tuple[int, int]  # (day, period)


@dataclass(frozen=True)
class Shift:
    id: int
    periods: tuple[int, ...]  # global periods, in the order they are taught


@dataclass(frozen=True)
class Room:
    id: str
    kind: str = "classroom"
    unavailable: frozenset[Slot] = frozenset()


@dataclass(frozen=True)
class Teacher:
    id: str
    name: str = ""
    unavailable: frozenset[Slot] = frozenset()


@dataclass(frozen=True)
class SchoolClass:
    id: str
    shift: int
    max_lessons_per_day: int
    subgroups: tuple[str, ...] = ()
    grade: int = 0
    unavailable: frozenset[Slot] = frozenset()


@dataclass(frozen=True)
class Lesson:
    """A weekly course: one teacher teaching one subject to a class or subgroup.

    `doubles` asks for that many back-to-back pairs (a double lesson) on some
    days; those pairs are not counted as "the same subject twice a day".
    `hard` marks a demanding subject that should stay out of the last periods.
    Members of one `parallel_group` are taught at the same times (the two
    halves of a class split for English, say).
    """

    id: str
    class_id: str
    subject: str
    teacher: str
    count: int
    rooms: tuple[str, ...]
    subgroup: str | None = None
    parallel_group: str | None = None
    doubles: int = 0
    hard: bool = False


@dataclass(frozen=True)
class Placement:
    """One weekly occurrence of a lesson: a timetable entry."""

    lesson: str
    day: int
    period: int
    room: str | None = None


@dataclass(frozen=True)
class Weights:
    """How much each preference counts in the solver's objective.

    The benchmark weights teacher gaps and same-day pairs equally; the other
    two preferences are off unless a school asks for them.
    """

    teacher_gaps: int = 1
    same_day: int = 1
    late_hard: int = 0
    uneven_days: int = 0


@dataclass(frozen=True)
class Problem:
    name: str
    days: tuple[str, ...]
    periods_per_day: int
    shifts: tuple[Shift, ...]
    rooms: tuple[Room, ...]
    teachers: tuple[Teacher, ...]
    classes: tuple[SchoolClass, ...]
    lessons: tuple[Lesson, ...]
    locked: tuple[Placement, ...] = ()
    weights: Weights = field(default_factory=Weights)
    # A hard subject in one of the last `late_periods` periods of its shift
    # counts against the `late_hard` preference.
    late_periods: int = 2


def _slots(pairs: list[list[int]]) -> frozenset[Slot]:
    return frozenset((int(day), int(period)) for day, period in pairs)


def problem_from_dict(data: dict) -> Problem:
    """Build a `Problem` from the benchmark's JSON structure."""
    soft = data.get("soft_constraints", {})
    weights = Weights(
        teacher_gaps=int(soft.get("teacher_gaps", 1)),
        same_day=int(soft.get("subject_same_day_pairs", 1)),
        late_hard=int(soft.get("hard_subject_late", 0)),
        uneven_days=int(soft.get("uneven_daily_load", 0)),
    )

    return Problem(
        name=data["name"],
        days=tuple(data["days"]),
        periods_per_day=int(data["periods_per_day"]),
        shifts=tuple(
            Shift(id=int(s["id"]), periods=tuple(s["periods"])) for s in data["shifts"]
        ),
        rooms=tuple(
            Room(
                id=r["id"],
                kind=r.get("kind", "classroom"),
                unavailable=_slots(r.get("unavailable", [])),
            )
            for r in data["rooms"]
        ),
        teachers=tuple(
            Teacher(
                id=t["id"],
                name=t.get("name", ""),
                unavailable=_slots(t.get("unavailable", [])),
            )
            for t in data["teachers"]
        ),
        classes=tuple(
            SchoolClass(
                id=c["id"],
                shift=int(c["shift"]),
                max_lessons_per_day=int(c["max_lessons_per_day"]),
                subgroups=tuple(c.get("subgroups", ())),
                grade=int(c.get("grade", 0)),
                unavailable=_slots(c.get("unavailable", [])),
            )
            for c in data["classes"]
        ),
        lessons=tuple(
            Lesson(
                id=le["id"],
                class_id=le["class"],
                subject=le["subject"],
                teacher=le["teacher"],
                count=int(le["count"]),
                rooms=tuple(le["rooms"]),
                subgroup=le.get("subgroup"),
                parallel_group=le.get("parallel_group"),
                doubles=int(le.get("doubles", 0)),
                hard=bool(le.get("hard", False)),
            )
            for le in data["lessons"]
        ),
        locked=tuple(
            Placement(
                lesson=p["lesson"],
                day=int(p["day"]),
                period=int(p["period"]),
                room=p.get("room"),
            )
            for p in data.get("locked", ())
        ),
        weights=weights,
    )


def load_instance(path: str | Path) -> Problem:
    """Read a benchmark instance (`kz_S.json` and the like)."""
    with open(path, encoding="utf-8") as f:
        return problem_from_dict(json.load(f))
