"""CP-SAT models of the week, whole or a neighbourhood of a known week.

One builder serves the first search and every improvement step. It frees the
lessons of some classes on some days (all of them, for the first search) and
keeps the rest of the known week as constants. Variables exist only where a
free lesson could actually go, so a neighbourhood of a large school builds in
milliseconds.

The variables are `y[u, (day, period)]`: unit `u` is held at that slot. The
occurrences of a course are interchangeable, so they share one variable per
slot and no symmetry between occurrences exists. Three structures carry the
rules:

* An audience's day is a prefix of its shift: position `i` of the shift is
  busy exactly when one of its units is there, and busy(i) >= busy(i + 1).
* A teacher's gaps on a day are the free periods with a lesson both before
  and after; "before" and "after" are monotone chains over the day.
* Rooms are counted, not chosen: each room family (see `compile`) holds at
  most as many lessons at a time as it has free rooms.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from sabaq.timetable.solver.compile import Compiled
from sabaq.timetable.solver.problem import Slot
from sabaq.timetable.solver.week import Week, gaps_of

# A 0/1 quantity known before the search (an int) or decided by it.
Bit = int | cp_model.IntVar


@dataclass(frozen=True)
class Neighbourhood:
    """Which lessons are free: those of `classes` held on `days` or at
    `slots` (None: all). Free lessons may move anywhere inside that region."""

    classes: frozenset[int] | None = None
    days: frozenset[int] | None = None
    slots: frozenset[Slot] | None = None

    def region(self, cm: Compiled) -> frozenset[Slot]:
        if self.slots is not None:
            return self.slots
        days = self.days if self.days is not None else range(cm.n_days)
        return frozenset(
            (d, p) for d in days for p in range(cm.problem.periods_per_day)
        )


@dataclass
class Options:
    # Count teacher gaps in the objective; with `zero_gaps` forbid them.
    gaps: bool = True
    zero_gaps: bool = False
    # Count same-day pairs; with `hard_spread` forbid them.
    spread: bool = True
    hard_spread: bool = False
    # For improvement steps: "better" asks for a strictly better week than
    # the known one, "not_worse" for one at least as good.
    bound: str | None = None
    hint: bool = True
    # Teacher-days (teacher, day) that must stay free of gaps.
    protected: frozenset[tuple[int, int]] = frozenset()


@dataclass
class SubModel:
    model: cp_model.CpModel
    free_units: list[int]
    y: dict[tuple[int, Slot], cp_model.IntVar]
    fixed: dict[int, list[Slot]]  # free units' occurrences kept as they are
    objective: cp_model.LinearExprT = 0
    # The objective's value at the known week (None for a first search).
    current: int | None = None
    current_slots: dict[int, tuple[Slot, ...]] = field(default_factory=dict)

    def extract(self, values, week: Week | None, n_units: int) -> Week:
        """The week with the free units where `values` (a solver) puts them."""
        by_unit: dict[int, list[Slot]] = {
            u: list(self.fixed[u]) for u in self.free_units
        }
        for (u, slot), var in self.y.items():
            if values.value(var):
                by_unit[u].append(slot)
        if week is None:
            week = Week(tuple(() for _ in range(n_units)))

        return week.replace({u: tuple(slots) for u, slots in by_unit.items()})


@dataclass
class _Fixed:
    """What the kept part of the week occupies on the days the region meets."""

    audience: dict[tuple[int, Slot], int] = field(default_factory=dict)
    teacher: dict[tuple[int, Slot], int] = field(default_factory=dict)
    family: dict[tuple[int, Slot], int] = field(default_factory=dict)
    daily_load: dict[tuple[int, int], int] = field(default_factory=dict)


def build(
    cm: Compiled,
    week: Week | None,
    hood: Neighbourhood,
    options: Options,
) -> SubModel:
    """A model where the lessons of `hood` are free and the rest is `week`."""
    whole = hood == Neighbourhood()
    if week is None and not whole:
        raise ValueError("a neighbourhood needs a week to keep the rest of")
    region = hood.region(cm)
    days = frozenset(d for d, _p in region)
    free_units = [
        u.index
        for u in cm.units
        if (hood.classes is None or u.classes <= hood.classes)
        and (
            whole
            or len(week.slots[u.index]) < u.count  # a partial week: place the rest
            or any(s in region for s in week.slots[u.index])
        )
    ]
    model = cp_model.CpModel()
    fixed, occupied = _fixed_part(cm, week, free_units, region, days)
    y = _create_variables(cm, model, week, free_units, occupied, region, options)
    sub = SubModel(model=model, free_units=free_units, y=y, fixed=fixed)
    if week is not None:
        sub.current_slots = {u: week.slots[u] for u in free_units}

    by_unit_day: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]]
    by_unit_day = defaultdict(list)
    for (u, (day, period)), var in y.items():
        by_unit_day[u, day].append((period, var))

    _add_counts(cm, sub, by_unit_day, days)
    pairs, pairs_now = _add_spread(cm, sub, by_unit_day, days, options)
    free_audiences = sorted({a for u in free_units for a in cm.units[u].audiences})
    _add_audiences(cm, sub, occupied, free_audiences, days)
    gaps, gaps_now = _add_teachers(cm, sub, occupied, options, week)
    _add_rooms(cm, sub, occupied)
    late, late_now = _late_hard_terms(cm, sub, week)
    uneven, uneven_now = _uneven_terms(cm, sub, week, occupied, free_audiences, days)

    weights = cm.problem.weights
    terms = [(weights.teacher_gaps, g) for g in gaps]
    terms += [(weights.same_day, p) for p in pairs]
    terms += [(weights.late_hard, x) for x in late]
    terms += [(weights.uneven_days, x) for x in uneven]
    terms = [(w, x) for w, x in terms if w and not _is(x, 0)]
    if week is not None:
        sub.current = (
            weights.teacher_gaps * gaps_now
            + weights.same_day * pairs_now
            + weights.late_hard * late_now
            + weights.uneven_days * uneven_now
        )
    if terms:
        sub.objective = sum(w * x for w, x in terms)
        model.minimize(sub.objective)
        if options.bound is not None and sub.current is not None:
            slack = 0 if options.bound == "not_worse" else 1
            model.add(sub.objective <= sub.current - slack)

    return sub


def _fixed_part(
    cm, week, free_units, region, days
) -> tuple[dict[int, list[Slot]], _Fixed]:
    """Free units' kept occurrences, and what every kept lesson occupies on
    the days the region meets."""
    free = set(free_units)
    kept: dict[int, list[Slot]] = {}
    audience: dict = defaultdict(int)
    teacher: dict = defaultdict(int)
    family: dict = defaultdict(int)
    daily: dict = defaultdict(int)
    for unit in cm.units:
        u = unit.index
        current = week.slots[u] if week is not None else ()
        if u in free:
            kept[u] = [s for s in current if s not in region]
            kept[u] += [s for s in unit.locked if s in region]
            constant = [s for s in kept[u] if s[0] in days]
        else:
            constant = [s for s in current if s[0] in days]
        for slot in constant:
            for a in unit.audiences:
                audience[a, slot] += 1
                daily[a, slot[0]] += 1
            for t in unit.teachers:
                teacher[t, slot] += 1
            for f, k in unit.families:
                family[f, slot] += k
    occupied = _Fixed(
        audience=audience, teacher=teacher, family=family, daily_load=daily
    )

    return kept, occupied


def _create_variables(cm, model, week, free_units, occupied, region, options):
    """One bit per free unit and region slot it could still take."""
    y: dict[tuple[int, Slot], cp_model.IntVar] = {}
    families = cm.room_families
    for u in free_units:
        unit = cm.units[u]
        current = set(week.slots[u]) if week is not None else set()
        for slot in unit.slots:
            if slot not in region or slot in unit.locked:
                continue
            if any((a, slot) in occupied.audience for a in unit.audiences):
                continue
            if any((t, slot) in occupied.teacher for t in unit.teachers):
                continue
            if any(
                occupied.family.get((f, slot), 0) + k > families[f].capacity(slot)
                for f, k in unit.families
            ):
                continue
            var = model.new_bool_var(f"y{u}_{slot[0]}_{slot[1]}")
            y[u, slot] = var
            if options.hint and week is not None:
                model.add_hint(var, slot in current)
    return y


def _add_counts(cm, sub, by_unit_day, days) -> None:
    """Each free unit keeps its weekly count."""
    for u in sub.free_units:
        needed = cm.units[u].count - len(sub.fixed[u])
        variables = [var for d in days for _p, var in by_unit_day.get((u, d), ())]
        if len(variables) < needed or needed < 0:
            sub.model.add_bool_or([])  # cannot be held often enough: infeasible
        elif variables:
            sub.model.add(sum(variables) == needed)


def _add_spread(cm, sub, by_unit_day, days, options) -> list:
    """Same-day pairs of each free unit on the free days, and double lessons."""
    model = sub.model
    pairs = []
    now = 0
    for u in sub.free_units:
        unit = cm.units[u]
        doubles_left = unit.doubles - _kept_doubles(sub.fixed[u], days)
        double_days = []
        for d in sorted(days):
            entries = by_unit_day.get((u, d), [])
            if not entries:
                continue
            locked_here = sum(1 for s in sub.fixed[u] if s[0] == d)
            count = locked_here + sum(var for _p, var in entries)
            if len(entries) + locked_here > unit.max_per_day:
                model.add(count <= unit.max_per_day)
            double: Bit = 0
            if doubles_left > 0:
                double = model.new_bool_var("")
                double_days.append(double)
                _add_double(model, entries, sub.fixed[u], d, double)
            if not unit.spread or not options.spread:
                continue
            if len(entries) + locked_here <= 1:
                continue
            if options.hard_spread:
                model.add(count <= 1 + double)
                continue
            # At most two a day (max_per_day) makes the pairs n - 1 for n >= 1;
            # a third lesson would add two more.
            pair = model.new_int_var(0, 3, "")
            model.add(pair >= count - 1 - double)
            if unit.max_per_day > 2:
                model.add(pair >= 3 * count - 6 - double)
            pairs.append(pair)
            held = sum(1 for s in sub.current_slots.get(u, ()) if s[0] == d)
            now += max(0, held * (held - 1) // 2 - (1 if doubles_left > 0 else 0))
        if double_days:
            model.add(sum(double_days) == max(doubles_left, 0))
    return pairs, now


def _kept_doubles(kept: list[Slot], days) -> int:
    """Double lessons among the kept occurrences outside the free days."""
    by_day: dict[int, list[int]] = defaultdict(list)
    for d, p in kept:
        if d not in days:
            by_day[d].append(p)
    count = 0
    for periods in by_day.values():
        periods.sort()
        if any(b - a == 1 for a, b in zip(periods, periods[1:], strict=False)):
            count += 1
    return count


def _add_double(model, entries, kept, day, double) -> None:
    """On a double-lesson day the unit is held twice, back to back."""
    at: dict[int, Bit] = {p: var for p, var in entries}
    for d, p in kept:
        if d == day:
            at[p] = 1
    model.add(sum(at.values()) >= 2).only_enforce_if(double)
    for p, var in entries:
        neighbours = [at[q] for q in (p - 1, p + 1) if q in at]
        if any(isinstance(x, int) for x in neighbours):
            continue
        model.add_bool_or([*neighbours, ~var, ~double])


def _add_audiences(cm, sub, occupied, free_audiences, days) -> None:
    """Each audience's day is the first k periods of its shift, k <= max."""
    model = sub.model
    at: dict[tuple[int, Slot], list] = defaultdict(list)
    for (u, slot), var in sub.y.items():
        for a in cm.units[u].audiences:
            at[a, slot].append(var)
    for a, d in sorted({(a, slot[0]) for a, slot in at}):
        audience = cm.audiences[a]
        previous: Bit | None = None
        for period in audience.periods[: audience.max_per_day]:
            slot = (d, period)
            busy = _as_bit(
                model, occupied.audience.get((a, slot), 0), at.get((a, slot), [])
            )
            if previous is not None:
                _add_geq(model, previous, busy)
            previous = busy


def _as_bit(model: cp_model.CpModel, constant: int, terms: list) -> Bit:
    """A 0/1 value equal to `constant + sum(terms)`; the sum may not exceed 1.

    Variables are only created where the constant part is free, so a
    constant of 1 comes with no terms.
    """
    if not terms:
        return min(constant, 1)
    if len(terms) == 1:
        return terms[0]
    bit = model.new_bool_var("")
    model.add(sum(terms) == bit)
    return bit


def _add_geq(model: cp_model.CpModel, a: Bit, b: Bit) -> None:
    if isinstance(a, int) and isinstance(b, int):
        if a < b:
            model.add_bool_or([])
    elif isinstance(a, int):
        if a == 0:
            model.add(b == 0)
    elif isinstance(b, int):
        if b == 1:
            model.add(a == 1)
    else:
        model.add_implication(b, a)


def _add_teachers(cm, sub, occupied, options, week) -> tuple[list, int]:
    """No teacher twice at once; gaps of the teacher-days the hood touches.

    Returns the gap terms and the gaps those teacher-days have now.
    """
    model = sub.model
    n_periods = cm.problem.periods_per_day
    at: dict[tuple[int, Slot], list] = defaultdict(list)
    for (u, slot), var in sub.y.items():
        for t in cm.units[u].teachers:
            at[t, slot].append(var)
    gaps: list = []
    touched = sorted({(t, slot[0]) for t, slot in at})
    for t, d in touched:
        busy: list[Bit] = []
        for p in range(n_periods):
            slot = (d, p)
            constant = occupied.teacher.get((t, slot), 0)
            busy.append(_as_bit(model, constant, at.get((t, slot), [])))
        if options.zero_gaps or (t, d) in options.protected:
            _forbid_gaps(model, busy)
        elif options.gaps:
            gaps += _gap_bits(model, busy)

    now = 0
    if week is not None and touched:
        wanted = set(touched)
        periods: dict[tuple[int, int], list[int]] = defaultdict(list)
        for unit in cm.units:
            for t in unit.teachers:
                for d, p in week.slots[unit.index]:
                    if (t, d) in wanted:
                        periods[t, d].append(p)
        now = sum(gaps_of(sorted(ps)) for ps in periods.values())
    return gaps, now


def _gap_bits(model: cp_model.CpModel, busy: list[Bit]) -> list[Bit]:
    """Bits that are 1 at idle periods between two lessons (at least)."""
    n = len(busy)
    before: list[Bit] = [0] * n
    after: list[Bit] = [0] * n
    for p in range(1, n):
        before[p] = _or_chain(model, before[p - 1], busy[p - 1])
    for p in range(n - 2, -1, -1):
        after[p] = _or_chain(model, after[p + 1], busy[p + 1])

    gaps: list[Bit] = []
    for p in range(1, n - 1):
        if _is(busy[p], 1) or _is(before[p], 0) or _is(after[p], 0):
            continue
        if all(isinstance(x, int) for x in (busy[p], before[p], after[p])):
            gaps.append(1)  # a gap among kept lessons
            continue
        gap = model.new_bool_var("")
        # Minimisation pushes `gap` down, so a lower bound is enough.
        model.add(gap >= before[p] + after[p] - 1 - busy[p])
        gaps.append(gap)
    return gaps


def _is(bit: Bit, value: int) -> bool:
    return isinstance(bit, int) and bit == value


def _or_chain(model: cp_model.CpModel, a: Bit, b: Bit) -> Bit:
    """A bit at least `a or b` (the objective keeps it from being more)."""
    if isinstance(a, int) and isinstance(b, int):
        return max(a, b)
    if isinstance(a, int):
        return 1 if a else b
    if isinstance(b, int):
        return 1 if b else a
    bit = model.new_bool_var("")
    model.add_implication(a, bit)
    model.add_implication(b, bit)
    return bit


def _forbid_gaps(model: cp_model.CpModel, busy: list[Bit]) -> None:
    """A teacher's lessons of a day form one block: at most one start."""
    starts: list = []
    previous: Bit = 0
    for bit in busy:
        if _is(bit, 0) or _is(previous, 1):
            pass  # no block starts here
        elif _is(previous, 0):
            starts.append(bit)
        elif _is(bit, 1):
            starts.append(~previous)
        else:
            start = model.new_bool_var("")
            model.add(start >= bit - previous)
            starts.append(start)
        previous = bit
    constants = sum(1 for x in starts if isinstance(x, int))
    variables = [x for x in starts if not isinstance(x, int)]
    if constants > 1:
        model.add_bool_or([])
    elif constants == 1:
        for x in variables:
            model.add(x == 0)
    elif len(variables) > 1:
        model.add_at_most_one(variables)


def _add_rooms(cm, sub, occupied) -> None:
    """No room family holds more lessons at once than it has free rooms."""
    model = sub.model
    users: dict[tuple[int, Slot], list[tuple[int, int]]] = defaultdict(list)
    for (u, slot), _var in sub.y.items():
        for f, k in cm.units[u].families:
            users[f, slot].append((u, k))

    for (f, slot), demand in users.items():
        capacity = cm.room_families[f].capacity(slot)
        capacity -= occupied.family.get((f, slot), 0)
        if sum(k for _u, k in demand) <= capacity:
            continue
        if capacity >= 1 and _one_at_a_time(cm, demand):
            continue
        model.add(sum(k * sub.y[u, slot] for u, k in demand) <= capacity)


def _one_at_a_time(cm, demand: list[tuple[int, int]]) -> bool:
    """Whether the audience rules already keep these units to one at a time
    (a class's own home room, say), each needing one room."""
    if any(k != 1 for _u, k in demand):
        return False
    shared = set(cm.units[demand[0][0]].audiences)
    for u, _k in demand[1:]:
        shared &= set(cm.units[u].audiences)
    return bool(shared)


def _late_hard_terms(cm, sub, week) -> tuple[list, int]:
    """Hard subjects held in the last periods of their shift."""
    if not cm.problem.weights.late_hard:
        return [], 0
    n = cm.problem.late_periods
    late = (
        {p for shift in cm.problem.shifts for p in shift.periods[-n:]} if n else set()
    )
    keys = [(u, slot) for (u, slot) in sub.y if cm.units[u].hard and slot[1] in late]
    now = 0
    if week is not None:
        now = sum(1 for u, slot in keys if slot in week.slots[u])
    return [sub.y[k] for k in keys], now


def _uneven_terms(cm, sub, week, occupied, free_audiences, days) -> tuple[list, int]:
    """Per audience, its busiest day's load minus its lightest day's."""
    if not cm.problem.weights.uneven_days:
        return [], 0
    model, y = sub.model, sub.y
    terms = []
    now = 0
    for a in free_audiences:
        audience = cm.audiences[a]
        loads = []
        for d in range(cm.n_days):
            if d not in days:
                loads.append(
                    sum(
                        1
                        for u in audience.units
                        for s in (week.slots[u] if week else ())
                        if s[0] == d
                    )
                )
                continue
            fixed_load = occupied.daily_load.get((a, d), 0)
            free = [
                var
                for u in audience.units
                for p in audience.periods
                if (var := y.get((u, (d, p)))) is not None
            ]
            loads.append(fixed_load + sum(free))
        size = len(audience.periods)
        top = model.new_int_var(0, size, "")
        bottom = model.new_int_var(0, size, "")
        for load in loads:
            model.add(top >= load)
            model.add(bottom <= load)
        terms.append(top - bottom)
        if week is not None:
            held = [0] * cm.n_days
            for u in audience.units:
                for d, _p in week.slots[u]:
                    held[d] += 1
            now += max(held) - min(held)
    return terms, now
