"""A proven lower bound on the teachers' idle periods.

Each teacher is looked at alone: only their own lessons, where those may be
held and at most so many a day. Whatever the rest of the school does, the
teacher has at least the idle periods of this relaxation, so the sum over the
teachers bounds the week's total from below. It is usually zero; it is not
where a teacher's unavailable slots or two shifts force idle periods.
"""

from collections import defaultdict

from ortools.sat.python import cp_model

from sabaq.timetable.solver.compile import Compiled
from sabaq.timetable.solver.model import _gap_bits

# Per teacher; a teacher whose model is not solved in time adds its bound so far.
TEACHER_TIME_LIMIT = 0.5


def gap_lower_bound(cm: Compiled) -> int:
    return sum(teacher_gap_lower_bound(cm, t) for t in range(len(cm.teacher_units)))


def teacher_gap_lower_bound(cm: Compiled, t: int) -> int:
    units = [cm.units[u] for u in cm.teacher_units[t]]
    if not units or _clearly_gap_free(cm, t):
        return 0

    model = cp_model.CpModel()
    at: dict[tuple[int, int], list] = defaultdict(list)
    for unit in units:
        by_day = defaultdict(list)
        for slot in unit.slots:
            var = model.new_bool_var("")
            at[slot].append(var)
            by_day[slot[0]].append(var)
        model.add(sum(v for vs in by_day.values() for v in vs) == unit.count)
        for day_vars in by_day.values():
            model.add(sum(day_vars) <= unit.max_per_day)

    gaps = []
    for d in range(cm.n_days):
        busy = []
        for p in range(cm.problem.periods_per_day):
            terms = at.get((d, p), [])
            if not terms:
                busy.append(0)
                continue
            bit = model.new_bool_var("")
            model.add(sum(terms) == bit)
            busy.append(bit)
        gaps += _gap_bits(model, busy)
    model.minimize(sum(gaps))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = TEACHER_TIME_LIMIT
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return 0  # diagnose() reports why; no bound to give here

    return max(0, round(solver.best_objective_bound))


def _clearly_gap_free(cm: Compiled, t: int) -> bool:
    """All the teacher's lessons may go to the same slots, which form one
    stretch each day, with room for all of them: a gap-free week exists."""
    units = [cm.units[u] for u in cm.teacher_units[t]]
    slots = set(units[0].slots)
    if any(set(u.slots) != slots for u in units[1:]):
        return False
    if sum(u.count for u in units) > len(slots):
        return False
    for d in range(cm.n_days):
        periods = sorted(p for day, p in slots if day == d)
        if periods and periods[-1] - periods[0] + 1 != len(periods):
            return False
    return True
