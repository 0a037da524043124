"""Sabaq's timetable generator: a pure-Python library on OR-Tools CP-SAT.

    problem = load_instance("kz_L.json")   # or a Problem built from models
    for reason in diagnose(problem):         # before any search
        print(reason.message)
    result = solve(problem, time_limit=60, on_progress=print)

See `problem` for the input, `api.solve` for the output and `search` for how
the week is found.
"""

from sabaq.timetable.solver.api import Result, solve
from sabaq.timetable.solver.diagnose import Explanation, diagnose
from sabaq.timetable.solver.problem import (
    Lesson,
    Placement,
    Problem,
    Room,
    SchoolClass,
    Shift,
    Teacher,
    Weights,
    load_instance,
    problem_from_dict,
)
from sabaq.timetable.solver.search import Progress

__all__ = [
    "Explanation",
    "Lesson",
    "Placement",
    "Problem",
    "Progress",
    "Result",
    "Room",
    "SchoolClass",
    "Shift",
    "Teacher",
    "Weights",
    "diagnose",
    "load_instance",
    "problem_from_dict",
    "solve",
]
