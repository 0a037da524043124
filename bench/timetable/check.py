"""Independent checker of a school week against the benchmark's rules.

Written from `shared/bench/timetable/README.md` alone: it shares no code with
Sabaq's generator, so a bug in the generator cannot hide itself here. It reads
an instance (`kz_X.json`) and a solution (`{"assignments": [{"lesson", "day",
"period", "room"}, ...]}`), lists every broken hard rule, and computes the two
soft figures: teacher gaps and same-day pairs.

    .venv/bin/python bench/timetable/check.py kz_L.json solution.json
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class Report:
    violations: list[str] = field(default_factory=list)
    teacher_gaps: int = 0
    same_day_pairs: int = 0
    max_teacher_gaps: int = 0  # the worst teacher's weekly gaps

    @property
    def ok(self) -> bool:
        return not self.violations


def check(instance: dict, solution: dict) -> Report:
    """Check `solution` against every hard rule of `instance`."""
    report = Report()
    bad = report.violations.append

    days = len(instance["days"])
    periods = instance["periods_per_day"]
    lessons = {le["id"]: le for le in instance["lessons"]}
    classes = {c["id"]: c for c in instance["classes"]}
    teachers = {t["id"]: t for t in instance["teachers"]}
    rooms = {r["id"] for r in instance["rooms"]}
    shift_periods = {s["id"]: list(s["periods"]) for s in instance["shifts"]}

    # Which (day, period) each lesson occupies, occurrence by occurrence.
    held: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for entry in solution["assignments"]:
        lesson_id = entry["lesson"]
        if lesson_id not in lessons:
            bad(f"unknown lesson {lesson_id}")
            continue
        day, period, room = entry["day"], entry["period"], entry.get("room")
        if not (0 <= day < days and 0 <= period < periods):
            bad(f"{lesson_id}: slot ({day}, {period}) is outside the week")
            continue
        held[lesson_id].append((day, period))

        # allowed_rooms
        if room not in rooms or room not in lessons[lesson_id]["rooms"]:
            bad(f"{lesson_id}: room {room} is not one of its rooms")

    # lesson_counts
    for lesson_id, lesson in lessons.items():
        times = held.get(lesson_id, [])
        if len(times) != lesson["count"]:
            bad(f"{lesson_id}: held {len(times)} times, needs {lesson['count']}")
        for slot, n in Counter(times).items():
            if n > 1:
                bad(f"{lesson_id}: held {n} times at {slot}")

    # teacher_no_overlap and room_no_overlap
    teacher_at: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    room_at: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for entry in solution["assignments"]:
        lesson = lessons.get(entry["lesson"])
        if lesson is None:
            continue
        slot = (entry["day"], entry["period"])
        teacher_at[(lesson["teacher"], *slot)].append(lesson["id"])
        room_at[(entry.get("room"), *slot)].append(lesson["id"])
    for (teacher, day, period), ids in teacher_at.items():
        if len(ids) > 1:
            bad(f"teacher {teacher} has {ids} at day {day} period {period}")
    for (room, day, period), ids in room_at.items():
        if len(ids) > 1:
            bad(f"room {room} has {ids} at day {day} period {period}")

    # class_no_overlap: a whole-class lesson occupies every subgroup.
    audience_at: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for lesson_id, times in held.items():
        lesson = lessons[lesson_id]
        klass = classes[lesson["class"]]
        if lesson["subgroup"] is not None:
            audiences = [lesson["subgroup"]]
        else:
            audiences = list(klass["subgroups"]) or [klass["id"]]
        for audience in audiences:
            for day, period in times:
                audience_at[(audience, day, period)].append(lesson_id)
    for (audience, day, period), ids in audience_at.items():
        if len(ids) > 1:
            bad(f"audience {audience} has {ids} at day {day} period {period}")

    # teacher_unavailable
    for lesson_id, times in held.items():
        teacher = teachers[lessons[lesson_id]["teacher"]]
        blocked = {tuple(slot) for slot in teacher["unavailable"]}
        for slot in times:
            if slot in blocked:
                bad(f"{lesson_id}: teacher {teacher['id']} is unavailable at {slot}")

    # parallel_groups_simultaneous
    groups: dict[str, list[str]] = defaultdict(list)
    for lesson in lessons.values():
        if lesson["parallel_group"]:
            groups[lesson["parallel_group"]].append(lesson["id"])
    for group, ids in groups.items():
        slot_sets = {frozenset(held.get(i, [])) for i in ids}
        if len(slot_sets) > 1:
            bad(f"parallel group {group}: {ids} are not held at the same times")

    # class_within_shift, class_no_gaps_from_shift_start, class_max_lessons_per_day
    for (audience, day, period), ids in list(audience_at.items()):
        klass = classes[lessons[ids[0]]["class"]]
        if period not in shift_periods[klass["shift"]]:
            bad(f"{ids[0]}: period {period} is outside the shift of {klass['id']}")
    by_audience_day: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for (audience, day, period), ids in audience_at.items():
        by_audience_day[(lessons[ids[0]]["class"], audience, day)].add(period)
    for (class_id, audience, day), busy in by_audience_day.items():
        klass = classes[class_id]
        prefix = shift_periods[klass["shift"]][: len(busy)]
        if busy != set(prefix):
            bad(
                f"audience {audience} on day {day} is busy at {sorted(busy)}, "
                f"not the first {len(busy)} periods of its shift"
            )
        if len(busy) > klass["max_lessons_per_day"]:
            bad(
                f"audience {audience} has {len(busy)} lessons on day {day}, "
                f"more than {klass['max_lessons_per_day']}"
            )

    # Soft: teacher gaps, per teacher and day.
    busy_by_teacher_day: dict[tuple[str, int], set[int]] = defaultdict(set)
    for teacher, day, period in teacher_at:
        busy_by_teacher_day[(teacher, day)].add(period)
    per_teacher: Counter[str] = Counter()
    for (teacher, _day), busy in busy_by_teacher_day.items():
        per_teacher[teacher] += max(busy) - min(busy) + 1 - len(busy)
    report.teacher_gaps = sum(per_teacher.values())
    report.max_teacher_gaps = max(per_teacher.values(), default=0)

    # Soft: pairs of occurrences of one lesson on the same day.
    for lesson_id, times in held.items():
        if lessons[lesson_id]["count"] > days:
            continue
        for n in Counter(day for day, _period in times).values():
            report.same_day_pairs += n * (n - 1) // 2

    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("solution")
    args = parser.parse_args()

    with open(args.instance, encoding="utf-8") as f:
        instance = json.load(f)
    with open(args.solution, encoding="utf-8") as f:
        solution = json.load(f)
    report = check(instance, solution)

    for violation in report.violations:
        print("VIOLATION", violation)
    print(
        f"violations={len(report.violations)} teacher_gaps={report.teacher_gaps} "
        f"same_day_pairs={report.same_day_pairs} "
        f"max_teacher_gaps={report.max_teacher_gaps}"
    )
    sys.exit(1 if report.violations else 0)


if __name__ == "__main__":
    main()
