"""Run FET (`fet-cl`) on a benchmark instance and read its week back.

The instance's `.fet` file has the spread constraint at 95 % and no cap on
teacher gaps. `fet_variant` writes a copy with `ConstraintTeachersMaxGapsPerWeek`
(FET minimises nothing by itself: its user has to state the cap) and, for a
"perfect" week, the spread constraint at 100 %. `fet_run` runs fet-cl with a
time limit and a seed and maps FET's activities back to the instance's lesson
ids through `<name>.fet_activity_map.json`, so that the same independent
checker can judge FET's week and Sabaq's.
"""

import json
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

FET = "fet-cl"

_MAX_GAPS = """<ConstraintTeachersMaxGapsPerWeek>
\t<Weight_Percentage>100</Weight_Percentage>
\t<Max_Gaps>{gaps}</Max_Gaps>
\t<Active>true</Active>
\t<Comments>added by bench/timetable/fet.py</Comments>
</ConstraintTeachersMaxGapsPerWeek>
"""


@dataclass
class FetRun:
    success: bool
    seconds: float
    assignments: list[dict] = field(default_factory=list)
    log: str = ""


def fet_available() -> bool:
    return shutil.which(FET) is not None


def fet_variant(
    source: Path, target: Path, *, max_gaps: int | None, spread_weight: int = 95
) -> Path:
    """Write a copy of `source` with a teacher-gap cap and a spread weight."""
    text = source.read_text(encoding="utf-8")
    if spread_weight != 95:
        text = re.sub(
            r"(<ConstraintMinDaysBetweenActivities>\s*<Weight_Percentage>)95(<)",
            rf"\g<1>{spread_weight}\g<2>",
            text,
        )
    if max_gaps is not None:
        text = text.replace(
            "</Time_Constraints_List>",
            _MAX_GAPS.format(gaps=max_gaps) + "</Time_Constraints_List>",
            1,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")

    return target


def _seed_options(seed: int) -> list[str]:
    # FET takes six seed components; none of the two triples may be all zero.
    parts = [seed * 6 + i + 1 for i in range(6)]
    names = ["10", "11", "12", "20", "21", "22"]
    return [f"--randomseeds{n}={p}" for n, p in zip(names, parts, strict=True)]


def fet_run(
    fet_file: Path,
    activity_map: Path,
    outdir: Path,
    *,
    time_limit: int,
    seed: int,
) -> FetRun:
    """Run fet-cl once; on success, return the week as benchmark assignments."""
    if outdir.exists():
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True)
    command = [
        FET,
        f"--inputfile={fet_file}",
        f"--outputdir={outdir}",
        f"--timelimitseconds={time_limit}",
        "--htmllevel=0",
        "--writetimetablesdayshorizontal=false",
        "--writetimetablesdaysvertical=false",
        "--writetimetablestimehorizontal=false",
        "--writetimetablestimevertical=false",
        *_seed_options(seed),
    ]
    started = time.monotonic()
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=time_limit + 120, check=False
    )
    seconds = time.monotonic() - started
    log = completed.stdout + completed.stderr
    success = completed.returncode == 0 and "Simulation successful" in log
    if not success:
        return FetRun(success=False, seconds=seconds, log=log)

    activities = (
        outdir / "timetables" / fet_file.stem / f"{fet_file.stem}_activities.xml"
    )
    assignments = fet_assignments(fet_file, activities, activity_map)

    return FetRun(success=True, seconds=seconds, assignments=assignments, log=log)


def fet_assignments(fet_file: Path, activities: Path, activity_map: Path) -> list[dict]:
    """Map FET's `<name>_activities.xml` back to lesson occurrences."""
    source = ET.parse(fet_file).getroot()
    days = [d.findtext("Name") for d in source.find("Days_List").findall("Day")]
    hours = [h.findtext("Name") for h in source.find("Hours_List").findall("Hour")]

    with open(activity_map, encoding="utf-8") as f:
        lesson_of = {
            activity: lesson
            for lesson, activities_of_lesson in json.load(f).items()
            for activity in activities_of_lesson
        }

    assignments = []
    for node in ET.parse(activities).getroot().findall("Activity"):
        activity = int(node.findtext("Id"))
        assignments.append(
            {
                "lesson": lesson_of[activity],
                "day": days.index(node.findtext("Day")),
                "period": hours.index(node.findtext("Hour")),
                "room": node.findtext("Room"),
            }
        )

    return assignments
