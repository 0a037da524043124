"""Server time of checking one timetable edit in a large two-shift school.

Builds a throw-away test database (SQLite, or PostgreSQL when DATABASE_URL is
set), makes a school of 55 classes in two shifts with its whole curriculum
load (`sabaq.timetable.tests.factories.big_school`), fills a draft from the
load, then measures, over many random edits:

* check: moving one lesson in memory and checking it (`conflicts.check_lesson`),
  the work the editor does for each edit once the week is loaded;
* near + check: loading the part of the week that can clash with one
  lesson (`selectors.week_near`) and checking it, as each edit does;
* edit service: `services.entry_move` as the editor calls it (write, load
  the part around the lesson, check), each inside a transaction that is
  rolled back;
* whole week: loading the version's whole week (`selectors.week_of`), as
  the editor page and publishing do, and listing every clash
  (`conflicts.check_week`);

and prints the median and 95th percentile in milliseconds, of wall-clock
time and of this process's CPU time (on a shared, busy machine the first
includes waiting for a processor; the second is the work itself), with the
class week page's time and number of queries.

    .venv/bin/python bench/timetable_edit.py [--classes 55] [--repeat 200]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402 (the path and settings must be set first)

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)


class Timer:
    """Collects wall-clock and CPU milliseconds of repeated runs."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self):
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall.append((time.perf_counter() - self._wall) * 1000)
        self.cpu.append((time.process_time() - self._cpu) * 1000)

    def print(self) -> None:
        def median_p95(values: list[float]) -> tuple[float, float]:
            values = sorted(values)
            return statistics.median(values), values[
                max(0, int(len(values) * 0.95) - 1)
            ]

        wall, cpu = median_p95(self.wall), median_p95(self.cpu)
        print(
            f"{self.label:<20} {wall[0]:>9.3f} {wall[1]:>9.3f} "
            f"{cpu[0]:>9.3f} {cpu[1]:>9.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--classes", type=int, default=55)
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    setup_test_environment()
    if connection.vendor != "sqlite":
        # A database of its own, so that a test run on the same server is safe.
        connection.settings_dict["TEST"]["NAME"] = "test_sabaq_bench_timetable"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(args) -> None:
    from sabaq.accounts.models import Role
    from sabaq.accounts.selectors import SESSION_KEY
    from sabaq.core.tests.factories import MembershipFactory, OrganisationFactory
    from sabaq.orgs.models import OrganisationKind
    from sabaq.timetable import conflicts, selectors, services
    from sabaq.timetable.tests.factories import A_MONDAY, big_school

    region = OrganisationFactory(kind=OrganisationKind.REGION)
    district = OrganisationFactory(kind=OrganisationKind.DISTRICT, parent=region)
    school = OrganisationFactory(parent=district)
    actor = MembershipFactory(organisation=school, role=Role.DEPUTY_HEAD)

    started = time.perf_counter()
    built = big_school(
        actor, class_count=args.classes, students_per_class=args.students
    )
    version = built.draft()
    print(f"database: {connection.vendor}")
    print(f"school built in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    placed = services.timetable_fill(actor=actor, version=version)
    fill_seconds = time.perf_counter() - started
    week = selectors.week_of(version)
    hours = sum(line.hours for line in week.lines.values())
    all_clashes = conflicts.check_week(week)
    print(
        f"{len(week.classes)} classes, {len(week.lines)} load lines, "
        f"{len(week.teachers)} teachers, {len(week.rooms)} rooms; "
        f"{placed} of {hours} lessons placed by the greedy fill in "
        f"{fill_seconds:.1f} s; {len(conflicts.hard_clashes(all_clashes))} "
        "hard clashes"
    )

    rng = random.Random(7)
    lesson_ids = sorted(week.lessons)
    slots = sorted(week.bells)
    days = list(selectors.SCHOOL_DAYS)
    print(f"{args.repeat} edits; milliseconds")
    print(f"{'':<20} {'wall':>9} {'':>9} {'CPU':>9}")
    print(f"{'':<20} {'median':>9} {'p95':>9} {'median':>9} {'p95':>9}")

    # 1. The check alone, on the week in memory.
    timer = Timer("check one edit")
    for _ in range(args.repeat):
        lesson = week.lessons[rng.choice(lesson_ids)]
        shift_id, period = rng.choice(slots)
        values = {name: getattr(lesson, name) for name in lesson.__slots__}
        moved = conflicts.Lesson(
            **{
                **values,
                "day": rng.choice(days),
                "shift_id": shift_id,
                "period": period,
            }
        )
        with timer:
            week.replace(moved)
            conflicts.check_lesson(week, moved.id)
        week.replace(lesson)
    timer.print()

    # 2. Loading the part of the week around one lesson, then checking it.
    entries = list(
        version.entries.select_related(
            "version__year", "shift", "load__subject", "teacher", "room"
        )
    )
    timer = Timer("near + check")
    for _ in range(args.repeat):
        entry = rng.choice(entries)
        with timer:
            near = selectors.week_near(version, entries=[entry])
            conflicts.check_lesson(near, entry.pk)
    timer.print()

    # 3. The edit service, rolled back each time.
    shifts = {built.shift1.pk: built.shift1, built.shift2.pk: built.shift2}
    timer = Timer("edit service")
    queries = 0
    for _ in range(min(args.repeat, 50)):
        entry = rng.choice(entries)
        shift_id, period = rng.choice(slots)
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured, timer:
                services.entry_move(
                    actor=actor,
                    entry=entry,
                    day=rng.choice(days),
                    period=period,
                    shift=shifts[shift_id],
                )
            queries = len(captured.captured_queries)
            transaction.set_rollback(True)
        entry.refresh_from_db()
    timer.print()
    print(f"{'':<20} {queries:>9} queries an edit")

    # 4. The whole week and every clash, as the editor page lists them.
    timer = Timer("load whole week")
    for _ in range(20):
        with timer:
            selectors.week_of(version)
    timer.print()
    timer = Timer("check whole week")
    for _ in range(20):
        with timer:
            conflicts.check_week(week)
    timer.print()

    # 5. The published class week page.
    if not conflicts.hard_clashes(all_clashes):
        services.timetable_publish(
            actor=actor, version=version, takes_effect_on=built.year.starts_on
        )
    client = Client()
    client.force_login(actor.user, backend="sabaq.accounts.backends.LoginOrIINBackend")
    session = client.session
    session[SESSION_KEY] = actor.pk
    session.save()
    url = f"/school/timetable/classes/{built.classes[0].pk}/?week={A_MONDAY}"
    client.get(url)
    timer = Timer("class week page")
    for _ in range(20):
        with CaptureQueriesContext(connection) as captured, timer:
            response = client.get(url)
        assert response.status_code == 200
    timer.print()
    print(f"{'':<20} {len(captured.captured_queries):>9} queries a page")


if __name__ == "__main__":
    main()
