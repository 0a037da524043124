"""A complete week in index form, and the figures it is judged by."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from sabaq.timetable.solver.compile import Compiled
from sabaq.timetable.solver.problem import Slot


@dataclass(frozen=True)
class Week:
    """For each unit (by index), the sorted slots it is held at."""

    slots: tuple[tuple[Slot, ...], ...]

    def replace(self, changes: dict[int, tuple[Slot, ...]]) -> "Week":
        merged = list(self.slots)
        for u, slots in changes.items():
            merged[u] = tuple(sorted(slots))
        return Week(tuple(merged))


@dataclass(frozen=True)
class Score:
    teacher_gaps: int
    same_day_pairs: int
    late_hard: int
    uneven_days: int
    objective: int

    @property
    def perfect(self) -> bool:
        return self.teacher_gaps == 0 and self.same_day_pairs == 0


def teacher_busy(cm: Compiled, week: Week) -> dict[tuple[int, int], list[int]]:
    """(teacher, day) -> the sorted periods the teacher teaches that day."""
    busy: dict[tuple[int, int], list[int]] = defaultdict(list)
    for unit, slots in zip(cm.units, week.slots, strict=True):
        for t in unit.teachers:
            for day, period in slots:
                busy[(t, day)].append(period)
    for periods in busy.values():
        periods.sort()
    return busy


def gaps_of(periods: list[int]) -> int:
    """Idle periods between a teacher's first and last lesson of a day."""
    if not periods:
        return 0
    return periods[-1] - periods[0] + 1 - len(periods)


def teacher_day_gaps(cm: Compiled, week: Week) -> dict[tuple[int, int], int]:
    return {key: gaps_of(p) for key, p in teacher_busy(cm, week).items()}


def unit_day_counts(slots: tuple[Slot, ...]) -> Counter[int]:
    return Counter(day for day, _period in slots)


def unit_pairs(cm: Compiled, u: int, slots: tuple[Slot, ...]) -> int:
    """Same-day pairs of one unit, not counting the double lessons it asked for."""
    unit = cm.units[u]
    if not unit.spread:
        return 0
    pairs = sum(n * (n - 1) // 2 for n in unit_day_counts(slots).values())
    return max(0, pairs - unit.doubles)


def late_hard_count(cm: Compiled, week: Week) -> int:
    late = _late_periods(cm)
    return sum(
        1
        for unit, slots in zip(cm.units, week.slots, strict=True)
        if unit.hard
        for _day, period in slots
        if period in late
    )


def _late_periods(cm: Compiled) -> set[int]:
    n = cm.problem.late_periods
    return (
        {p for shift in cm.problem.shifts for p in shift.periods[-n:]} if n else set()
    )


def uneven_days_count(cm: Compiled, week: Week) -> int:
    """Per audience, the busiest day's load minus the lightest day's."""
    total = 0
    for audience in cm.audiences:
        loads = Counter()
        for u in audience.units:
            for day, _period in week.slots[u]:
                loads[day] += 1
        values = [loads[d] for d in range(cm.n_days)]
        total += max(values) - min(values)
    return total


def score_week(cm: Compiled, week: Week) -> Score:
    weights = cm.problem.weights
    gaps = sum(teacher_day_gaps(cm, week).values())
    pairs = sum(unit_pairs(cm, u, s) for u, s in enumerate(week.slots))
    late = late_hard_count(cm, week) if weights.late_hard else 0
    uneven = uneven_days_count(cm, week) if weights.uneven_days else 0
    objective = (
        weights.teacher_gaps * gaps
        + weights.same_day * pairs
        + weights.late_hard * late
        + weights.uneven_days * uneven
    )

    return Score(
        teacher_gaps=gaps,
        same_day_pairs=pairs,
        late_hard=late,
        uneven_days=uneven,
        objective=objective,
    )


def broken_rules(cm: Compiled, week: Week) -> list[str]:
    """The hard rules `week` breaks, in the solver's own terms (empty: none).

    The search uses it when two improvement steps ran side by side and their
    results are combined; the benchmark's independent checker is the judge of
    the final week.
    """
    broken: list[str] = []
    audience_at: Counter[tuple[int, Slot]] = Counter()
    teacher_at: Counter[tuple[int, Slot]] = Counter()
    family_at: Counter[tuple[int, Slot]] = Counter()
    for unit, slots in zip(cm.units, week.slots, strict=True):
        if len(slots) != unit.count or len(set(slots)) != len(slots):
            broken.append(f"unit {unit.index} held {len(slots)} times")
        allowed = set(unit.slots)
        if not unit.locked <= set(slots):
            broken.append(f"unit {unit.index} left a locked slot")
        per_day = unit_day_counts(slots)
        if per_day and max(per_day.values()) > unit.max_per_day:
            broken.append(f"unit {unit.index} too often on one day")
        for slot in slots:
            if slot not in allowed:
                broken.append(f"unit {unit.index} at a forbidden slot {slot}")
            for a in unit.audiences:
                audience_at[a, slot] += 1
            for t in unit.teachers:
                teacher_at[t, slot] += 1
            for f, k in unit.families:
                family_at[f, slot] += k

    broken += [
        f"audience {a} twice at {s}" for (a, s), n in audience_at.items() if n > 1
    ]
    broken += [f"teacher {t} twice at {s}" for (t, s), n in teacher_at.items() if n > 1]
    broken += [
        f"room family {f} overfull at {s}"
        for (f, s), n in family_at.items()
        if n > cm.room_families[f].capacity(s)
    ]
    for a, audience in enumerate(cm.audiences):
        for d in range(cm.n_days):
            busy = [p for p in audience.periods if (a, (d, p)) in audience_at]
            if busy != list(audience.periods[: len(busy)]):
                broken.append(f"audience {a} has a gap on day {d}")

    return broken
