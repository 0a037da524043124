"""`solve`: the entry point of the timetable generator."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sabaq.timetable.solver.compile import compile_problem
from sabaq.timetable.solver.diagnose import Explanation, diagnose
from sabaq.timetable.solver.problem import Placement, Problem
from sabaq.timetable.solver.rooms import assign_rooms
from sabaq.timetable.solver.search import Progress, Search

logger = logging.getLogger(__name__)

Status = Literal["optimal", "feasible", "infeasible", "unknown"]


@dataclass
class Result:
    """The best week found and how it was reached.

    `status` is "optimal" when the week's preferences reach the proven lower
    bound (a perfect week, usually), "feasible" for a complete week that may
    still be improved, "infeasible" when no week exists (`explanations` says
    why when it can), and "unknown" when the time ran out, or the search was
    cancelled, before any complete week. Times are seconds since the call.
    """

    status: Status
    placements: list[Placement] = field(default_factory=list)
    teacher_gaps: int | None = None
    same_day_pairs: int | None = None
    late_hard: int | None = None
    uneven_days: int | None = None
    objective: int | None = None
    lower_bound: int | None = None  # on teacher gaps, proven
    explanations: list[Explanation] = field(default_factory=list)
    cancelled: bool = False
    elapsed: float = 0.0
    first_week_at: float | None = None
    zero_gaps_at: float | None = None
    perfect_at: float | None = None
    # (seconds, teacher gaps, same-day pairs) at each better week.
    timeline: list[tuple[float, int, int]] = field(default_factory=list)
    # Per neighbourhood kind: steps tried, steps that improved the week, idle
    # periods removed, CPU seconds spent.
    steps: dict[str, tuple[int, int, int, float]] = field(default_factory=dict)

    @property
    def perfect(self) -> bool:
        return self.teacher_gaps == 0 and self.same_day_pairs == 0


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    """Find a week for `problem`, as good as `time_limit` seconds allow.

    `on_progress` is called from the calling thread with the best week so far
    (at most every half second, and at once on reaching zero idle periods).
    `should_stop` is polled about fifty times a second; when it returns True
    the search stops within a moment and the best week so far is returned.
    The search stops early when the week is provably optimal.
    """
    started = time.monotonic()
    explanations = diagnose(problem)
    if explanations:
        logger.info("timetable impossible: %s reasons found", len(explanations))
        return Result(
            status="infeasible",
            explanations=explanations,
            elapsed=time.monotonic() - started,
        )

    cm = compile_problem(problem)
    search = Search(
        cm,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        on_progress=on_progress,
        should_stop=should_stop,
        started=started,
    )
    outcome = search.run()
    result = Result(
        status="unknown",
        cancelled=outcome.cancelled,
        lower_bound=outcome.lower_bound,
        first_week_at=outcome.first_week_at,
        zero_gaps_at=outcome.zero_gaps_at,
        perfect_at=outcome.perfect_at,
        timeline=outcome.timeline,
        steps=outcome.steps,
    )
    if outcome.proven_infeasible:
        result.status = "infeasible"
    if outcome.week is not None and outcome.score is not None:
        score = outcome.score
        result.placements = assign_rooms(cm, outcome.week)
        result.teacher_gaps = score.teacher_gaps
        result.same_day_pairs = score.same_day_pairs
        result.late_hard = score.late_hard
        result.uneven_days = score.uneven_days
        result.objective = score.objective
        bound = problem.weights.teacher_gaps * (outcome.lower_bound or 0)
        result.status = "optimal" if score.objective <= bound else "feasible"
    result.elapsed = time.monotonic() - started

    return result
