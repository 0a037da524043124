"""Objects of a school for the permission walk, made through the services.

On the school frame of the schools app's samples (a class split for
English), the first call adds a load line, publishes a timetable from the
first day of the year, starts a draft from it, records an absence with a
cancelled lesson and gives a student a calendar address; later calls find
them.
"""

from dataclasses import dataclass

from sabaq.schools.tests.samples import _class
from sabaq.timetable import services
from sabaq.timetable.models import (
    CalendarFeed,
    LessonChange,
    LoadLine,
    TimetableEntry,
    TimetableVersion,
    VersionStatus,
)
from sabaq.timetable.tests.factories import A_MONDAY, FIRST_DAY, subject

_DEPUTY = {"urban": "deputy", "rural": "rural_deputy"}
_TEACHER = {"urban": "class_teacher", "rural": "rural_teacher"}
_STUDENT = {"urban": "student_aruzhan", "rural": "student_yerasyl"}


@dataclass
class Sample:
    line: LoadLine
    published: TimetableVersion
    draft: TimetableVersion
    entry: TimetableEntry
    change: LessonChange
    feed: CalendarFeed


def _sample(demo, school) -> Sample:
    school_class = _class(demo, school)
    year = school_class.year
    published = TimetableVersion.objects.filter(
        year=year, status=VersionStatus.PUBLISHED
    ).first()
    if published is None:
        _build(demo, school, school_class)
        published = TimetableVersion.objects.get(
            year=year, status=VersionStatus.PUBLISHED
        )

    entry = published.entries.order_by("day", "period").first()
    return Sample(
        line=entry.load,
        published=published,
        draft=TimetableVersion.objects.filter(
            year=year, status=VersionStatus.DRAFT
        ).first(),
        entry=entry,
        change=LessonChange.objects.get(entry__version=published),
        feed=CalendarFeed.objects.get(membership=demo.membership(_STUDENT[school])),
    )


def _build(demo, school, school_class) -> None:
    actor = demo.membership(_DEPUTY[school])
    teacher = demo.people[_TEACHER[school]]
    line = services.load_line_create(
        actor=actor,
        school_class=school_class,
        subject=subject("mathematics"),
        hours=2,
        teacher=teacher,
    )
    version = services.version_create(actor=actor, year=school_class.year)
    monday = services.entry_place(
        actor=actor, version=version, line=line, day=0, period=1
    ).entry
    services.entry_place(actor=actor, version=version, line=line, day=2, period=2)
    services.timetable_publish(actor=actor, version=version, takes_effect_on=FIRST_DAY)
    services.version_create(actor=actor, year=school_class.year, copy_from=version)
    absence = services.absence_create(
        actor=actor, teacher=teacher, starts_on=A_MONDAY, ends_on=A_MONDAY
    )
    services.lesson_change_set(
        actor=actor,
        entry=monday,
        on_date=A_MONDAY,
        is_cancelled=True,
        absence=absence,
    )
    services.calendar_feed_renew(actor=demo.membership(_STUDENT[school]))


URL_KWARGS = {
    "line_id": lambda demo, school: _sample(demo, school).line.pk,
    "version_id": lambda demo, school: _sample(demo, school).draft.pk,
    "entry_id": lambda demo, school: _sample(demo, school).entry.pk,
    "absence_id": lambda demo, school: _sample(demo, school).change.absence_id,
    "change_id": lambda demo, school: _sample(demo, school).change.pk,
    "token": lambda demo, school: _sample(demo, school).feed.token,
    "timetable:teacher_week": {
        "teacher_id": lambda demo, school: demo.people[_TEACHER[school]].pk
    },
    "timetable:teacher_pdf": {
        "teacher_id": lambda demo, school: demo.people[_TEACHER[school]].pk
    },
    "timetable:availability": {
        "teacher_id": lambda demo, school: demo.people[_TEACHER[school]].pk
    },
    "api:timetable_teacher_week": {
        "teacher_id": lambda demo, school: demo.people[_TEACHER[school]].pk
    },
    "timetable:load_line_add": {
        "class_id": lambda demo, school: _sample(demo, school).line.school_class_id
    },
    "timetable:class_week": {
        "class_id": lambda demo, school: _sample(demo, school).line.school_class_id
    },
    "timetable:class_pdf": {
        "class_id": lambda demo, school: _sample(demo, school).line.school_class_id
    },
    "api:timetable_class_week": {
        "class_id": lambda demo, school: _sample(demo, school).line.school_class_id
    },
}
