"""The search: a first complete week, then adaptive large-neighbourhood steps.

1. The whole school is solved once, without preferences, for a first complete
   week (no subject twice a day when that is possible).
2. Then each worker thread repeatedly frees a small part of the best week
   around a teacher's idle period (a *neighbourhood*) and lets CP-SAT re-solve
   that part for fewer idle periods. Five kinds of neighbourhood take turns:

   * `cross`: every lesson held at a few slots (the idle one among them) may
     swap slots, across all classes: cheap, good early on;
   * `vertical`: the classes the teacher teaches that day, on that day and one
     other, may be rearranged completely;
   * `wide`: the same with the classes one step further (their other teachers);
   * `day`: a whole shift of a whole day is re-ordered (days kept);
   * `two_days`: a whole shift of two days, days swapped as well.

   Each kind keeps a running rate of idle periods removed per CPU second and
   is chosen in proportion to it, so the mix follows what works on the school
   at hand. Two threads share the best week: CP-SAT releases the GIL while it
   solves, and a result built on an older week is merged only if the merged
   week still keeps every rule.
3. The search stops at the time limit, when asked to, or when the week reaches
   the proven lower bound.
"""

import logging
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from sabaq.timetable.solver.bounds import gap_lower_bound
from sabaq.timetable.solver.compile import Compiled
from sabaq.timetable.solver.model import Neighbourhood, Options, build
from sabaq.timetable.solver.problem import Placement, Slot
from sabaq.timetable.solver.rooms import assign_rooms
from sabaq.timetable.solver.week import (
    Score,
    Week,
    broken_rules,
    score_week,
    teacher_busy,
    unit_day_counts,
)

logger = logging.getLogger(__name__)

# How often the caller hears about a better week, at most.
PROGRESS_INTERVAL = 0.5

# Every kind of neighbourhood gets at least this share of the time, so that a
# kind that pays off only later (whole days, near the end) is noticed.
TIME_SHARE_FLOOR = 0.08


@dataclass
class Progress:
    """What the search has reached so far; `placements` is the best week."""

    elapsed: float
    phase: str  # "first week" or "improving"
    teacher_gaps: int
    same_day_pairs: int
    objective: int
    lower_bound: int | None
    placements: list[Placement]


@dataclass
class _Kind:
    """A kind of neighbourhood and how well it has been doing."""

    name: str
    time_limit: float
    rate: float  # idle periods removed per CPU second (moving average)
    tries: int = 0
    wins: int = 0
    gained: int = 0
    seconds: float = 0.0


@dataclass
class Outcome:
    """What the search hands back to `solve`."""

    week: Week | None
    score: Score | None
    proven_infeasible: bool = False
    cancelled: bool = False
    lower_bound: int | None = None
    first_week_at: float | None = None
    zero_gaps_at: float | None = None
    perfect_at: float | None = None
    timeline: list[tuple[float, int, int]] = field(default_factory=list)
    steps: dict[str, tuple[int, int, int, float]] = field(default_factory=dict)


class Search:
    def __init__(
        self,
        cm: Compiled,
        *,
        time_limit: float,
        seed: int,
        workers: int,
        on_progress: Callable[[Progress], None] | None,
        should_stop: Callable[[], bool] | None,
        started: float,
    ) -> None:
        self.cm = cm
        self.time_limit = time_limit
        self.seed = seed
        self.workers = max(1, workers)
        self.on_progress = on_progress
        self.should_stop = should_stop or (lambda: False)
        self.started = started

        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.active: set[cp_model.CpSolver] = set()
        self.week: Week | None = None
        self.score: Score | None = None
        self.version = 0
        self.hard_spread = False
        self.bound_objective: int | None = None
        self.outcome = Outcome(week=None, score=None)
        self.kinds = {
            "cross": _Kind("cross", 0.2, 8.0),
            "vertical": _Kind("vertical", 0.5, 8.0),
            "wide": _Kind("wide", 1.0, 4.0),
            "day": _Kind("day", 2.0, 4.0),
            "two_days": _Kind("two_days", 4.0, 1.0),
        }
        self._shift_classes = defaultdict(set)
        for c, klass in enumerate(cm.problem.classes):
            self._shift_classes[klass.shift].add(c)

    # The main thread: start the work, watch the clock, report progress.

    def run(self) -> Outcome:
        first = threading.Thread(target=self._first_week, daemon=True)
        first.start()
        self._watch(lambda: not first.is_alive())
        first.join()
        if self.week is None or self.stop.is_set():
            self.outcome.cancelled = self.should_stop()
            return self._finish()

        self.outcome.lower_bound = gap_lower_bound(self.cm)
        self.bound_objective = self.cm.problem.weights.teacher_gaps * (
            self.outcome.lower_bound
        )
        threads = [
            threading.Thread(target=self._improve, args=(i,), daemon=True)
            for i in range(self.workers)
        ]
        for thread in threads:
            thread.start()
        self._watch(lambda: not any(t.is_alive() for t in threads))
        self.stop.set()
        for thread in threads:
            thread.join()

        return self._finish()

    def _watch(self, done: Callable[[], bool]) -> None:
        """Wait for `done`, stopping the search on time, on request, at the
        lower bound; pass progress on from the caller's thread."""
        reported = -1
        last_report = 0.0
        while not done():
            time.sleep(0.02)
            if self._elapsed() >= self.time_limit or self.should_stop():
                self.outcome.cancelled = self.should_stop()
                self._stop_all()
            elif self._reached_bound():
                self._stop_all()
            if self.on_progress is None or self.version == reported:
                continue
            milestone = self.score is not None and self.score.teacher_gaps == 0
            if milestone or time.monotonic() - last_report >= PROGRESS_INTERVAL:
                reported = self.version
                last_report = time.monotonic()
                self._report()

        if self.on_progress is not None and self.version != reported:
            self._report()

    def _report(self) -> None:
        with self.lock:
            week, score = self.week, self.score
        if week is None or score is None or self.on_progress is None:
            return
        self.on_progress(
            Progress(
                elapsed=self._elapsed(),
                phase="improving" if self.outcome.timeline[1:] else "first week",
                teacher_gaps=score.teacher_gaps,
                same_day_pairs=score.same_day_pairs,
                objective=score.objective,
                lower_bound=self.outcome.lower_bound,
                placements=assign_rooms(self.cm, week),
            )
        )

    def _stop_all(self) -> None:
        self.stop.set()
        with self.lock:
            for solver in self.active:
                solver.stop_search()

    def _reached_bound(self) -> bool:
        score = self.score
        if score is None or self.bound_objective is None:
            return False
        return score.objective <= self.bound_objective

    def _elapsed(self) -> float:
        return time.monotonic() - self.started

    def _finish(self) -> Outcome:
        self.outcome.week = self.week
        self.outcome.score = self.score
        self.outcome.steps = {
            k.name: (k.tries, k.wins, k.gained, round(k.seconds, 1))
            for k in self.kinds.values()
        }
        return self.outcome

    # Step 1: the first complete week.

    def _first_week(self) -> None:
        """Solve the whole school for any week; no gap preferences yet."""
        attempts = [Options(gaps=False, hard_spread=True)]
        if self.cm.problem.weights.same_day:
            attempts.append(Options(gaps=False, spread=False))
        for i, options in enumerate(attempts):
            remaining = self.time_limit - self._elapsed()
            if i == 0 and len(attempts) > 1:
                # Forbidding same-day pairs may make a week hard to find; keep
                # time for the relaxed attempt.
                remaining = max(5.0, 0.4 * remaining)
            sub = build(self.cm, None, Neighbourhood(), options)
            solver = self._solver(remaining, self.workers, self.seed)
            status = self._solve(solver, sub.model)
            if self.stop.is_set():
                return
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self.hard_spread = options.hard_spread
                week = sub.extract(solver, None, len(self.cm.units))
                self._accept(week, score_week(self.cm, week))
                self.outcome.first_week_at = self._elapsed()
                logger.info(
                    "first week after %.1f s, %s idle periods",
                    self.outcome.first_week_at,
                    self.score.teacher_gaps if self.score else None,
                )
                return
            if status == cp_model.INFEASIBLE and i == len(attempts) - 1:
                self.outcome.proven_infeasible = True

    # Step 2: improvement steps.

    def _improve(self, worker: int) -> None:
        rng = random.Random(self.seed * 1009 + worker)
        while not self.stop.is_set():
            with self.lock:
                week, version, score = self.week, self.version, self.score
            assert week is not None and score is not None
            kind = self._choose_kind(rng, score)
            hood, options = self._neighbourhood(kind, week, score, rng)
            if hood is None:
                continue

            started = time.thread_time()
            sub = build(self.cm, week, hood, options)
            solver = self._solver(kind.time_limit, 1, rng.randrange(1 << 30))
            status = self._solve(solver, sub.model)
            gained = 0
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                new = sub.extract(solver, week, len(self.cm.units))
                gained = self._offer(new, version, sub.free_units)
            self._learn(kind, gained, time.thread_time() - started)

    def _choose_kind(self, rng: random.Random, score: Score) -> _Kind:
        """Share the time in favour of the kinds that remove the most idle
        periods per second lately; every kind keeps a small share."""
        kinds = list(self.kinds.values())
        if score.objective > 60:
            # Whole days are slow to improve while the week is far from good.
            kinds = [k for k in kinds if k.name != "two_days"]
        total = sum(max(k.rate, 0.0) for k in kinds) or 1.0
        weights = [
            max(k.rate / total, TIME_SHARE_FLOOR) / self._average_seconds(k)
            for k in kinds
        ]
        return rng.choices(kinds, weights)[0]

    def _average_seconds(self, kind: _Kind) -> float:
        return kind.seconds / kind.tries if kind.tries else kind.time_limit

    def _learn(self, kind: _Kind, gained: int, cpu: float) -> None:
        kind.tries += 1
        kind.wins += gained > 0
        kind.gained += gained
        kind.seconds += cpu
        rate = gained / max(cpu, 0.01)
        kind.rate = 0.9 * kind.rate + 0.1 * rate

    def _neighbourhood(
        self, kind: _Kind, week: Week, score: Score, rng: random.Random
    ) -> tuple[Neighbourhood | None, Options]:
        """A neighbourhood of `kind` around a teacher's idle period."""
        cm = self.cm
        options = Options(hard_spread=self.hard_spread, bound="not_worse")
        busy = teacher_busy(cm, week)
        idle = [key for key, p in busy.items() if p[-1] - p[0] + 1 > len(p)]
        if idle:
            t, d = rng.choice(idle)
            periods = busy[t, d]
            hole = rng.choice(
                [p for p in range(periods[0], periods[-1]) if p not in periods]
            )
            classes = self._classes_of(t, d, week)
        else:
            # No idle periods left: aim at the other preferences.
            d = rng.randrange(cm.n_days)
            hole = None
            classes = self._pair_classes(week, rng) or {
                rng.randrange(len(cm.problem.classes))
            }
        other_day = rng.choice([x for x in range(cm.n_days) if x != d] or [d])

        if kind.name == "cross":
            pool = self._shift_slots(classes)
            size = rng.choice((3, 4, 5))
            chosen = set(rng.sample(pool, min(size, len(pool))))
            if hole is not None:
                chosen.add((d, hole))
            return Neighbourhood(slots=frozenset(chosen)), options
        if kind.name in ("vertical", "wide"):
            if kind.name == "wide":
                classes = self._one_step_further(classes, d, week, rng, limit=8)
            hood = Neighbourhood(
                classes=frozenset(classes), days=frozenset({d, other_day})
            )
            return hood, options

        # Whole shifts: keep the teacher-days without idle periods as they are.
        shift = cm.problem.classes[rng.choice(sorted(classes))].shift
        protected = frozenset(
            key for key, p in busy.items() if p[-1] - p[0] + 1 == len(p)
        )
        options = Options(
            hard_spread=self.hard_spread, bound="better", protected=protected
        )
        days = {d} if kind.name == "day" else {d, other_day}
        return (
            Neighbourhood(
                classes=frozenset(self._shift_classes[shift]), days=frozenset(days)
            ),
            options,
        )

    def _classes_of(self, t: int, d: int, week: Week) -> set[int]:
        return {
            c
            for u in self.cm.teacher_units[t]
            if any(s[0] == d for s in week.slots[u])
            for c in self.cm.units[u].classes
        }

    def _one_step_further(
        self, classes: set[int], d: int, week: Week, rng: random.Random, limit: int
    ) -> set[int]:
        """Add the classes of the teachers who teach `classes` on day `d`."""
        teachers = {
            t
            for u in range(len(self.cm.units))
            if self.cm.units[u].classes & classes
            and any(s[0] == d for s in week.slots[u])
            for t in self.cm.units[u].teachers
        }
        more = set()
        for t in teachers:
            more |= self._classes_of(t, d, week)
        extra = sorted(more - classes)
        rng.shuffle(extra)
        return classes | set(extra[: max(0, limit - len(classes))])

    def _pair_classes(self, week: Week, rng: random.Random) -> set[int]:
        """The classes of a course held twice on some day, if any."""
        doubled = [
            u
            for u, slots in enumerate(week.slots)
            if self.cm.units[u].spread
            and any(n > 1 for n in unit_day_counts(slots).values())
        ]
        return set(self.cm.units[rng.choice(doubled)].classes) if doubled else set()

    def _shift_slots(self, classes: set[int]) -> list[Slot]:
        shifts = {self.cm.problem.classes[c].shift for c in classes}
        periods = sorted(
            {p for s in self.cm.problem.shifts if s.id in shifts for p in s.periods}
        )
        return [(d, p) for d in range(self.cm.n_days) for p in periods]

    def _offer(self, new: Week, base_version: int, changed: list[int]) -> int:
        """Make `new` the best week if it is at least as good; the gain."""
        with self.lock:
            assert self.week is not None and self.score is not None
            if base_version != self.version:
                new = self.week.replace({u: new.slots[u] for u in changed})
                if broken_rules(self.cm, new):
                    return 0
            score = score_week(self.cm, new)
            gained = self.score.objective - score.objective
            if gained < 0:
                return 0
            self._accept(new, score, locked=True)
            return gained

    def _accept(self, week: Week, score: Score, locked: bool = False) -> None:
        if not locked:
            self.lock.acquire()
        try:
            better = self.score is None or score.objective < self.score.objective
            self.week, self.score = week, score
            self.version += 1
            if better:
                at = self._elapsed()
                self.outcome.timeline.append(
                    (at, score.teacher_gaps, score.same_day_pairs)
                )
                if score.teacher_gaps == 0 and self.outcome.zero_gaps_at is None:
                    self.outcome.zero_gaps_at = at
                if score.perfect and self.outcome.perfect_at is None:
                    self.outcome.perfect_at = at
        finally:
            if not locked:
                self.lock.release()

    # CP-SAT plumbing.

    def _solver(self, time_limit: float, workers: int, seed: int) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        if workers == 1:
            # Small models: the LP costs more than it prunes.
            solver.parameters.linearization_level = 0
        return solver

    def _solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel):
        with self.lock:
            if self.stop.is_set():
                return cp_model.UNKNOWN
            self.active.add(solver)
        try:
            return solver.solve(model)
        finally:
            with self.lock:
                self.active.discard(solver)
