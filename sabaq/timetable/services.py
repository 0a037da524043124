"""Writes about timetables: the curriculum load, drafts and their lessons,
publication, teachers' unavailable times, absences and one-day changes,
notices and calendar feeds.

Only the school's director and deputy heads change the load and the
timetable. Every edit of a draft is checked at once against the whole week
(`conflicts`), and the clashes come back with the result: a draft may hold
them while the deputy head works, but a timetable with a hard clash is never
published.
"""

import datetime
import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sabaq.accounts.models import (
    SCHOOL_ADMIN_ROLES,
    STAFF_ROLES,
    Membership,
    Role,
    User,
)
from sabaq.core.services import audit_actions_register, audit_record, snapshot
from sabaq.people.models import Enrolment, Guardianship
from sabaq.schools import calendar
from sabaq.schools.models import (
    Room,
    RoomKind,
    SchoolClass,
    SchoolSubject,
    SchoolYear,
    Shift,
    Subgroup,
    SubgroupMember,
    Subject,
)
from sabaq.timetable import conflicts, selectors
from sabaq.timetable.models import (
    DEFAULT_MAX_WEEKLY_HOURS,
    MAX_HOURS,
    MAX_PERIOD,
    CalendarFeed,
    GradeLoadLimit,
    LessonChange,
    LoadLine,
    Notice,
    NoticeKind,
    TeacherAbsence,
    TeacherUnavailability,
    TimetableEntry,
    TimetableVersion,
    VersionStatus,
)

logger = logging.getLogger(__name__)

audit_actions_register(
    {
        "timetable.limits_set": gettext_lazy("Weekly load limits changed"),
        "timetable.load_line_create": gettext_lazy("Curriculum load line added"),
        "timetable.load_line_update": gettext_lazy("Curriculum load line changed"),
        "timetable.load_line_remove": gettext_lazy("Curriculum load line removed"),
        "timetable.version_create": gettext_lazy("Timetable draft created"),
        "timetable.version_remove": gettext_lazy("Timetable draft removed"),
        "timetable.version_fill": gettext_lazy("Timetable draft filled from the load"),
        "timetable.version_publish": gettext_lazy("Timetable published"),
        "timetable.entry_place": gettext_lazy("Lesson placed in a draft"),
        "timetable.entry_move": gettext_lazy("Lesson moved in a draft"),
        "timetable.entry_swap": gettext_lazy("Two lessons swapped in a draft"),
        "timetable.entry_remove": gettext_lazy("Lesson removed from a draft"),
        "timetable.unavailability_set": gettext_lazy(
            "Times a teacher is unavailable changed"
        ),
        "timetable.absence_create": gettext_lazy("Teacher's absence recorded"),
        "timetable.absence_remove": gettext_lazy("Teacher's absence removed"),
        "timetable.lesson_change_set": gettext_lazy("Lesson changed for one day"),
        "timetable.lesson_change_remove": gettext_lazy(
            "One-day change of a lesson withdrawn"
        ),
        "timetable.calendar_feed_renew": gettext_lazy("Calendar address renewed"),
    }
)

LINE_FIELDS = ["hours", "teacher", "room_kind", "room"]
ENTRY_FIELDS = ["day", "shift", "period", "room"]
CHANGE_FIELDS = ["substitute", "room", "is_cancelled", "note"]
MAX_LIMIT = MAX_HOURS * 2


class _Keep:
    """Marks an argument left as it is (a room not given to `entry_move`)."""


KEEP = _Keep()


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _check_school_admin(actor: Membership, school_id: int) -> None:
    if actor.role not in SCHOOL_ADMIN_ROLES or actor.organisation_id != school_id:
        raise PermissionDenied


def _check_year_open(year: SchoolYear) -> None:
    if year.is_closed:
        raise ValidationError(
            _(
                "The school year %(year)s is closed: its timetable can be read "
                "but no longer changed."
            )
            % {"year": year},
            code="year_closed",
        )


def _check_draft(actor: Membership, version: TimetableVersion) -> None:
    _check_school_admin(actor, version.year.school_id)
    _check_year_open(version.year)
    if not version.is_draft:
        raise ValidationError(
            _(
                "%(version)s is published and can no longer be changed; make "
                "a new draft from it instead."
            )
            % {"version": version},
            code="published",
        )


def _is_staff_of(school_id: int, person: User) -> bool:
    return Membership.objects.filter(
        user=person, organisation_id=school_id, role__in=STAFF_ROLES, is_active=True
    ).exists()


# Weekly load limits


@transaction.atomic
def grade_load_limits_set(
    *, actor: Membership, year: SchoolYear, limits: Mapping[int, int | None]
) -> dict[int, int]:
    """Set a year's largest weekly load per grade; None goes back to the
    state standard's figure."""
    _check_school_admin(actor, year.school_id)
    _check_year_open(year)
    errors: dict[str, list[str]] = {}
    for grade, hours in limits.items():
        if grade not in DEFAULT_MAX_WEEKLY_HOURS:
            raise ValidationError(_("Grades run from 0 to 12."))
        if hours is not None and not 1 <= hours <= MAX_LIMIT:
            errors[f"grade_{grade}"] = [
                _("Enter a number of hours from 1 to %(most)d.") % {"most": MAX_LIMIT}
            ]
    if errors:
        raise ValidationError(errors)

    before = selectors.grade_limits(year=year)
    for grade, hours in limits.items():
        if hours is None or hours == DEFAULT_MAX_WEEKLY_HOURS[grade]:
            GradeLoadLimit.objects.filter(year=year, grade=grade).delete()
        else:
            GradeLoadLimit.objects.update_or_create(
                year=year, grade=grade, defaults={"max_hours": hours}
            )
    after = selectors.grade_limits(year=year)
    audit_record(
        actor=actor.user,
        action="timetable.limits_set",
        school=actor.organisation,
        target=year,
        before={str(grade): hours for grade, hours in before.items()},
        after={str(grade): hours for grade, hours in after.items()},
    )

    return after


# Curriculum load


def _clean_line(
    *,
    school_class: SchoolClass,
    subject: Subject,
    subgroup: Subgroup | None,
    hours: int | None,
    teacher: User | None,
    room_kind: str,
    room: Room | None,
    exclude_pk: int | None = None,
) -> None:
    school_id = school_class.year.school_id
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if subject.school_id not in (None, school_id):
        raise PermissionDenied
    if not SchoolSubject.objects.filter(school_id=school_id, subject=subject).exists():
        add(
            "subject",
            _(
                "%(subject)s is not on the school's list of subjects; add it "
                "there first."
            )
            % {"subject": subject.name},
        )
    if subgroup is not None and (
        subgroup.school_class_id != school_class.pk or subgroup.subject_id != subject.pk
    ):
        add(
            "subgroup",
            _("Choose a group of %(class)s split for %(subject)s.")
            % {"class": school_class, "subject": subject.name},
        )
    if hours is None or not 1 <= hours <= MAX_HOURS:
        add(
            "hours",
            _("Enter the hours a week, from 1 to %(most)d.") % {"most": MAX_HOURS},
        )
    if teacher is not None and not _is_staff_of(school_id, teacher):
        add("teacher", _("Choose a teacher of this school."))
    if room_kind and room_kind not in RoomKind.values:
        add("room_kind", _("Choose a kind of room from the list."))
    if room is not None and room.school_id != school_id:
        raise PermissionDenied

    same = LoadLine.objects.filter(school_class=school_class, subject=subject)
    same = (
        same.filter(subgroup=subgroup)
        if subgroup is not None
        else same.filter(subgroup__isnull=True)
    )
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        add(
            "subject",
            _(
                "%(audience)s already has a line for %(subject)s; change its "
                "hours instead."
            )
            % {"audience": subgroup or school_class, "subject": subject.name},
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def load_line_create(
    *,
    actor: Membership,
    school_class: SchoolClass,
    subject: Subject,
    hours: int,
    teacher: User | None = None,
    subgroup: Subgroup | None = None,
    room_kind: str = "",
    room: Room | None = None,
) -> LoadLine:
    """Add a line to the load: the class (or a group of it) is taught a
    subject so many hours a week."""
    year = school_class.year
    _check_school_admin(actor, year.school_id)
    _check_year_open(year)
    if teacher is None and subgroup is not None:
        teacher = subgroup.teacher
    _clean_line(
        school_class=school_class,
        subject=subject,
        subgroup=subgroup,
        hours=hours,
        teacher=teacher,
        room_kind=room_kind,
        room=room,
    )

    line = LoadLine.objects.create(
        school_class=school_class,
        subgroup=subgroup,
        subject=subject,
        teacher=teacher,
        hours=hours,
        room_kind=room_kind,
        room=room,
    )
    audit_record(
        actor=actor.user,
        action="timetable.load_line_create",
        school=actor.organisation,
        target=line,
        after={"subject": subject.code, **snapshot(line, LINE_FIELDS)},
    )

    return line


@transaction.atomic
def load_line_update(
    *,
    actor: Membership,
    line: LoadLine,
    hours: int,
    teacher: User | None,
    room_kind: str = "",
    room: Room | None = None,
) -> LoadLine:
    """Change a line's hours, teacher or room; the line's lessons in drafts
    follow the new teacher, published timetables keep theirs."""
    year = line.school_class.year
    _check_school_admin(actor, year.school_id)
    _check_year_open(year)
    _clean_line(
        school_class=line.school_class,
        subject=line.subject,
        subgroup=line.subgroup,
        hours=hours,
        teacher=teacher,
        room_kind=room_kind,
        room=room,
        exclude_pk=line.pk,
    )

    before = snapshot(line, LINE_FIELDS)
    line.hours = hours
    line.teacher = teacher
    line.room_kind = room_kind
    line.room = room
    line.save(update_fields=LINE_FIELDS)
    TimetableEntry.objects.filter(
        load=line, version__status=VersionStatus.DRAFT
    ).update(teacher=teacher)
    audit_record(
        actor=actor.user,
        action="timetable.load_line_update",
        school=actor.organisation,
        target=line,
        before=before,
        after=snapshot(line, LINE_FIELDS),
    )

    return line


@transaction.atomic
def load_line_remove(*, actor: Membership, line: LoadLine) -> None:
    """Remove a line and its lessons from drafts; a line taught in a
    published timetable stays."""
    year = line.school_class.year
    _check_school_admin(actor, year.school_id)
    _check_year_open(year)
    if line.entries.exclude(version__status=VersionStatus.DRAFT).exists():
        raise ValidationError(
            _(
                "%(line)s is in a published timetable, so it stays in the "
                "load; a new draft can leave it out."
            )
            % {"line": line}
        )

    audit_record(
        actor=actor.user,
        action="timetable.load_line_remove",
        school=actor.organisation,
        target=line,
        before={"subject": line.subject.code, **snapshot(line, LINE_FIELDS)},
    )
    line.entries.all().delete()
    line.delete()


# Versions


@transaction.atomic
def version_create(
    *,
    actor: Membership,
    year: SchoolYear,
    name: str = "",
    copy_from: TimetableVersion | None = None,
) -> TimetableVersion:
    """Start a draft, empty or as a copy of another version's lessons."""
    _check_school_admin(actor, year.school_id)
    _check_year_open(year)
    if copy_from is not None and copy_from.year_id != year.pk:
        raise ValidationError(
            {"copy_from": _("Choose a timetable of the same school year.")}
        )
    name = name.strip()
    if len(name) > 80:
        raise ValidationError({"name": _("Keep the name under 80 characters.")})
    if not name:
        count = TimetableVersion.objects.filter(year=year).count()
        name = _("Draft %(number)d") % {"number": count + 1}

    version = TimetableVersion.objects.create(
        year=year, name=name, based_on=copy_from, created_by=actor.user
    )
    copied = 0
    if copy_from is not None:
        entries = [
            TimetableEntry(
                version=version,
                load_id=entry.load_id,
                school_class_id=entry.school_class_id,
                subgroup_id=entry.subgroup_id,
                teacher_id=entry.load.teacher_id,
                room_id=entry.room_id,
                day=entry.day,
                shift_id=entry.shift_id,
                period=entry.period,
            )
            for entry in copy_from.entries.select_related("load")
        ]
        TimetableEntry.objects.bulk_create(entries)
        copied = len(entries)
    audit_record(
        actor=actor.user,
        action="timetable.version_create",
        school=actor.organisation,
        target=version,
        after={
            "name": version.name,
            "copy_from": copy_from.pk if copy_from else None,
            "entries": copied,
        },
    )

    return version


@transaction.atomic
def version_remove(*, actor: Membership, version: TimetableVersion) -> None:
    _check_draft(actor, version)
    audit_record(
        actor=actor.user,
        action="timetable.version_remove",
        school=actor.organisation,
        target=version,
        before={"name": version.name, "entries": version.entries.count()},
    )
    version.delete()


# Editing a draft


@dataclass
class EditResult:
    """What an edit did: the entry (None once removed), the part of the
    week around it after the edit (`selectors.week_near`), and the clashes
    of the lessons the edit touched."""

    entry: TimetableEntry | None
    week: conflicts.Week | None
    clashes: list[conflicts.Clash]


def lesson_of(entry: TimetableEntry, subject_id: int) -> conflicts.Lesson:
    return conflicts.Lesson(
        id=entry.pk,
        line_id=entry.load_id,
        class_id=entry.school_class_id,
        subgroup_id=entry.subgroup_id,
        subject_id=subject_id,
        teacher_id=entry.teacher_id,
        room_id=entry.room_id,
        day=entry.day,
        shift_id=entry.shift_id,
        period=entry.period,
    )


def _clean_slot(
    version: TimetableVersion, *, day: int, shift: Shift, period: int
) -> None:
    errors: dict[str, str] = {}
    if day not in calendar.WORKING_WEEKDAYS:
        errors["day"] = _("Choose a school day of the week.")
    if shift.school_id != version.year.school_id:
        raise PermissionDenied
    if not 1 <= period <= MAX_PERIOD:
        errors["period"] = _("Choose a lesson number from 1 to %(most)d.") % {
            "most": MAX_PERIOD
        }
    if errors:
        raise ValidationError(errors)


def _clean_room(version: TimetableVersion, room: Room | None) -> None:
    if room is not None and room.school_id != version.year.school_id:
        raise PermissionDenied


def _room_free(
    week: conflicts.Week, room_id: int, day: int, shift_id: int, period: int
) -> bool:
    return not any(
        week.at_same_time(shift_id, period, other.shift_id, other.period)
        for other in week.of_room(room_id, day)
    )


def room_suggest(
    week: conflicts.Week, line: conflicts.Line, day: int, shift_id: int, period: int
) -> int | None:
    """A free room that suits a line at a slot: its preferred room, the
    class's home room, then any room of the right kind and size."""
    size = week.audience_size(line)
    info = week.classes.get(line.class_id)

    def suits(room: conflicts.RoomInfo) -> bool:
        if not room.active or room.capacity < size:
            return False
        if line.room_kind:
            return room.kind == line.room_kind
        return True

    candidates: list[int] = []
    if line.room_id is not None:
        candidates.append(line.room_id)
    if info is not None and info.home_room_id is not None:
        candidates.append(info.home_room_id)
    wanted_kind = line.room_kind or RoomKind.CLASSROOM
    candidates += [
        room.id
        for room in sorted(week.rooms.values(), key=lambda r: (r.label, r.id))
        if room.kind == wanted_kind
    ]
    for room_id in candidates:
        room = week.rooms.get(room_id)
        if (
            room is not None
            and suits(room)
            and _room_free(week, room_id, day, shift_id, period)
        ):
            return room_id
    return None


@transaction.atomic
def entry_place(
    *,
    actor: Membership,
    version: TimetableVersion,
    line: LoadLine,
    day: int,
    period: int,
    shift: Shift | None = None,
    room: Room | _Keep | None = KEEP,
) -> EditResult:
    """Place one lesson of a load line in a draft.

    Without a room Sabaq picks a free one that suits the line; a room of
    None places the lesson without a room.
    """
    _check_draft(actor, version)
    if line.school_class.year_id != version.year_id:
        raise ValidationError(
            {"line": _("Choose a line of the load of this school year.")}
        )
    shift = shift or line.school_class.shift
    _clean_slot(version, day=day, shift=shift, period=period)

    probe = TimetableEntry(
        version=version,
        load=line,
        school_class_id=line.school_class_id,
        subgroup_id=line.subgroup_id,
        teacher=line.teacher,
        day=day,
        shift=shift,
        period=period,
    )
    week = selectors.week_near(version, entries=[probe], all_rooms=True)
    if isinstance(room, _Keep):
        line_data = week.lines[line.pk]
        room_id = room_suggest(week, line_data, day, shift.pk, period)
    else:
        _clean_room(version, room)
        room_id = room.pk if room is not None else None
    entry = TimetableEntry.objects.create(
        version=version,
        load=line,
        school_class_id=line.school_class_id,
        subgroup_id=line.subgroup_id,
        teacher_id=line.teacher_id,
        room_id=room_id,
        day=day,
        shift=shift,
        period=period,
    )
    week.add(lesson_of(entry, line.subject_id))
    clashes = conflicts.check_lesson(week, entry.pk)
    audit_record(
        actor=actor.user,
        action="timetable.entry_place",
        school=actor.organisation,
        target=entry,
        after={"line": line.pk, **snapshot(entry, ENTRY_FIELDS)},
    )

    return EditResult(entry=entry, week=week, clashes=clashes)


@transaction.atomic
def entry_move(
    *,
    actor: Membership,
    entry: TimetableEntry,
    day: int,
    period: int,
    shift: Shift | None = None,
    room: Room | _Keep | None = KEEP,
) -> EditResult:
    """Move a lesson of a draft to another slot, and to another room if one
    is given."""
    version = entry.version
    _check_draft(actor, version)
    shift = shift or entry.shift
    _clean_slot(version, day=day, shift=shift, period=period)
    if not isinstance(room, _Keep):
        _clean_room(version, room)

    before = snapshot(entry, ENTRY_FIELDS)
    entry.day = day
    entry.shift = shift
    entry.period = period
    if not isinstance(room, _Keep):
        entry.room = room
    entry.save(update_fields=ENTRY_FIELDS)
    week = selectors.week_near(version, entries=[entry])
    clashes = conflicts.check_lesson(week, entry.pk)
    audit_record(
        actor=actor.user,
        action="timetable.entry_move",
        school=actor.organisation,
        target=entry,
        before=before,
        after=snapshot(entry, ENTRY_FIELDS),
    )

    return EditResult(entry=entry, week=week, clashes=clashes)


@transaction.atomic
def entry_swap(
    *, actor: Membership, entry: TimetableEntry, other: TimetableEntry
) -> EditResult:
    """Exchange the slots of two lessons of one draft; each keeps its room."""
    version = entry.version
    _check_draft(actor, version)
    if other.version_id != version.pk or other.pk == entry.pk:
        raise ValidationError({"other": _("Choose another lesson of this draft.")})

    slots = [(e.day, e.shift_id, e.period) for e in (entry, other)]
    entry.day, entry.shift_id, entry.period = slots[1]
    other.day, other.shift_id, other.period = slots[0]
    for item in (entry, other):
        item.save(update_fields=["day", "shift", "period"])
    week = selectors.week_near(version, entries=[entry, other])
    clashes = conflicts.check_lesson(week, entry.pk) + conflicts.check_lesson(
        week, other.pk
    )
    audit_record(
        actor=actor.user,
        action="timetable.entry_swap",
        school=actor.organisation,
        target=entry,
        before={"entry": list(slots[0]), "other": list(slots[1])},
        after={"entry": list(slots[1]), "other": list(slots[0]), "id": other.pk},
    )

    return EditResult(entry=entry, week=week, clashes=clashes)


@transaction.atomic
def entry_remove(*, actor: Membership, entry: TimetableEntry) -> EditResult:
    version = entry.version
    _check_draft(actor, version)
    audit_record(
        actor=actor.user,
        action="timetable.entry_remove",
        school=actor.organisation,
        target=entry,
        before={"line": entry.load_id, **snapshot(entry, ENTRY_FIELDS)},
    )
    entry.delete()

    return EditResult(entry=None, week=None, clashes=[])


# Filling a draft from the load


def _fill_week(week: conflicts.Week, class_order: list[int]) -> list[conflicts.Lesson]:
    """Place every missing lesson of the load greedily, in a fixed order.

    Classes in order, each class's longest lines first; each lesson goes to
    the first slot of the class's shift, days with the fewest lessons of the
    line and of the class first, where it causes no hard clash. A group of a
    split class tries the slots of its sibling groups first, so the groups
    meet in parallel. Lessons that fit nowhere are left for the deputy head.
    """
    periods_of: dict[int, list[int]] = defaultdict(list)
    for shift_id, period in sorted(week.bells):
        periods_of[shift_id].append(period)
    days = list(selectors.SCHOOL_DAYS)
    lines_of: dict[int, list[conflicts.Line]] = defaultdict(list)
    for line in week.lines.values():
        lines_of[line.class_id].append(line)

    next_id = -1
    placed: list[conflicts.Lesson] = []
    for class_id in class_order:
        info = week.classes[class_id]
        periods = periods_of.get(info.shift_id, [])
        lines = sorted(
            lines_of.get(class_id, []),
            key=lambda line: (line.subgroup_id is not None, -line.hours, line.id),
        )
        for line in lines:
            for _lesson in range(line.hours - week.placed(line.id)):
                siblings = {
                    (lesson.day, lesson.period)
                    for day in days
                    for lesson in week.of_class(class_id, day)
                    if line.subgroup_id is not None
                    and lesson.subgroup_id is not None
                    and lesson.subject_id == line.subject_id
                    and lesson.line_id != line.id
                }
                mine = [lesson.day for lesson in week.lessons_of_line(line.id)]

                def order(slot, mine=mine, siblings=siblings, class_id=class_id):
                    day, period = slot
                    return (
                        (day, period) not in siblings,
                        mine.count(day),
                        len(week.of_class(class_id, day)),
                        period,
                        day,
                    )

                slots = sorted(
                    ((day, period) for day in days for period in periods), key=order
                )
                for day, period in slots:
                    lesson = conflicts.Lesson(
                        id=next_id,
                        line_id=line.id,
                        class_id=class_id,
                        subgroup_id=line.subgroup_id,
                        subject_id=line.subject_id,
                        teacher_id=line.teacher_id,
                        room_id=None,
                        day=day,
                        shift_id=info.shift_id,
                        period=period,
                    )
                    lesson.room_id = room_suggest(
                        week, line, day, info.shift_id, period
                    )
                    week.add(lesson)
                    clashes = conflicts.check_lesson(week, lesson.id)
                    if any(clash.is_hard for clash in clashes):
                        week.remove(lesson.id)
                        continue
                    placed.append(lesson)
                    next_id -= 1
                    break

    return placed


@transaction.atomic
def timetable_fill(*, actor: Membership, version: TimetableVersion) -> int:
    """Fill a draft from the load: place every lesson still missing where it
    clashes with nothing, the same way each time. Returns how many lessons
    were placed. The demo builds its timetable with this."""
    _check_draft(actor, version)
    week = selectors.week_of(version)
    classes = SchoolClass.objects.filter(pk__in=list(week.classes))
    order = [
        school_class.pk
        for school_class in sorted(classes, key=selectors.class_sort_key)
    ]
    placed = _fill_week(week, order)
    TimetableEntry.objects.bulk_create(
        [
            TimetableEntry(
                version=version,
                load_id=lesson.line_id,
                school_class_id=lesson.class_id,
                subgroup_id=lesson.subgroup_id,
                teacher_id=lesson.teacher_id,
                room_id=lesson.room_id,
                day=lesson.day,
                shift_id=lesson.shift_id,
                period=lesson.period,
            )
            for lesson in placed
        ]
    )
    audit_record(
        actor=actor.user,
        action="timetable.version_fill",
        school=actor.organisation,
        target=version,
        after={"placed": len(placed)},
    )

    return len(placed)


# Publishing


@dataclass
class PublishResult:
    version: TimetableVersion
    replaced: TimetableVersion | None
    notified: int


def _week_signatures(
    version: TimetableVersion | None,
) -> tuple[dict[int, set], dict[int, set]]:
    """Each class's and each teacher's lessons of a version, comparable."""
    by_class: dict[int, set] = defaultdict(set)
    by_teacher: dict[int, set] = defaultdict(set)
    if version is None:
        return by_class, by_teacher
    rows = TimetableEntry.objects.filter(version=version).values_list(
        "school_class_id",
        "subgroup_id",
        "load__subject_id",
        "teacher_id",
        "room_id",
        "day",
        "shift_id",
        "period",
    )
    for class_id, group_id, subject_id, teacher_id, room_id, day, shift, period in rows:
        slot = (day, shift, period, subject_id, group_id, room_id)
        by_class[class_id].add((*slot, teacher_id))
        if teacher_id is not None:
            by_teacher[teacher_id].add((*slot, class_id))
    return by_class, by_teacher


def _students_and_guardians(
    school_id: int, class_ids: Iterable[int], day: datetime.date
) -> set[int]:
    class_ids = list(class_ids)
    if not class_ids:
        return set()
    students = set(
        Enrolment.objects.filter(school_class_id__in=class_ids, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values_list("student_id", flat=True)
    )
    return students | _guardians_here(school_id, students)


def _guardians_here(school_id: int, students: set[int]) -> set[int]:
    """Guardians of the students who have a parent's role in the school."""
    if not students:
        return set()
    return set(
        Guardianship.objects.filter(
            child_id__in=students,
            guardian__memberships__organisation_id=school_id,
            guardian__memberships__role=Role.PARENT,
            guardian__memberships__is_active=True,
        ).values_list("guardian_id", flat=True)
    )


@transaction.atomic
def timetable_publish(
    *,
    actor: Membership,
    version: TimetableVersion,
    takes_effect_on: datetime.date | None,
) -> PublishResult:
    """Publish a draft from a day on, and tell everyone whose week changed.

    Refused while a hard clash remains. A version already published for the
    same day is replaced; earlier versions stay in effect until this one
    takes over and stay readable after.
    """
    _check_draft(actor, version)
    year = version.year
    if takes_effect_on is None or not year.starts_on <= takes_effect_on <= year.ends_on:
        raise ValidationError(
            {
                "takes_effect_on": _(
                    "Choose a day inside the school year, %(first)s to %(last)s."
                )
                % {"first": _day(year.starts_on), "last": _day(year.ends_on)}
            }
        )
    latest = (
        TimetableVersion.objects.select_for_update()
        .filter(year=year, status=VersionStatus.PUBLISHED)
        .order_by("-takes_effect_on")
        .first()
    )
    if (
        latest is not None
        and latest.takes_effect_on is not None
        and takes_effect_on < latest.takes_effect_on
    ):
        raise ValidationError(
            {
                "takes_effect_on": _(
                    "%(version)s is published from %(date)s; a new timetable "
                    "can take effect on that day or later."
                )
                % {"version": latest, "date": _day(latest.takes_effect_on)}
            }
        )

    week = selectors.week_of(version, on_date=takes_effect_on)
    hard = conflicts.hard_clashes(conflicts.check_week(week))
    if hard:
        raise ValidationError(
            ngettext(
                "The timetable has %(count)d clash that must be resolved before "
                "it is published.",
                "The timetable has %(count)d clashes that must be resolved before "
                "it is published.",
                len(hard),
            )
            % {"count": len(hard)},
            code="clashes",
        )

    # The week people had until now: the latest published version, which
    # this one follows or replaces.
    previous = latest
    replaced = None
    if latest is not None and latest.takes_effect_on == takes_effect_on:
        replaced = latest
        replaced.status = VersionStatus.REPLACED
        replaced.save(update_fields=["status"])

    version.status = VersionStatus.PUBLISHED
    version.takes_effect_on = takes_effect_on
    version.published_at = timezone.now()
    version.published_by = actor.user
    version.save(
        update_fields=["status", "takes_effect_on", "published_at", "published_by"]
    )
    version.entries.update(is_published=True)

    notified = _notify_week_changes(
        school_id=year.school_id,
        version=version,
        previous=previous,
        day=takes_effect_on,
    )
    audit_record(
        actor=actor.user,
        action="timetable.version_publish",
        school=actor.organisation,
        target=version,
        after={
            "takes_effect_on": str(takes_effect_on),
            "replaced": replaced.pk if replaced else None,
            "notified": notified,
        },
    )
    logger.info(
        "Timetable version %s of school %s published from %s",
        version.pk,
        year.school_id,
        takes_effect_on,
    )

    return PublishResult(version=version, replaced=replaced, notified=notified)


def _notify_week_changes(
    *,
    school_id: int,
    version: TimetableVersion,
    previous: TimetableVersion | None,
    day: datetime.date,
) -> int:
    # TODO: A change to one group's lessons tells every student of the class
    # (and their parents); telling only the group's members needs the
    # comparison per group rather than per class.
    new_classes, new_teachers = _week_signatures(version)
    old_classes, old_teachers = _week_signatures(previous)
    classes = {
        class_id
        for class_id in set(new_classes) | set(old_classes)
        if new_classes.get(class_id, set()) != old_classes.get(class_id, set())
    }
    teachers = {
        teacher_id
        for teacher_id in set(new_teachers) | set(old_teachers)
        if new_teachers.get(teacher_id, set()) != old_teachers.get(teacher_id, set())
    }
    people = teachers | _students_and_guardians(school_id, classes, day)
    Notice.objects.bulk_create(
        [
            Notice(
                school_id=school_id,
                person_id=person_id,
                kind=NoticeKind.WEEK_CHANGED,
                version=version,
            )
            for person_id in sorted(people)
        ]
    )

    return len(people)


# Teachers' unavailable times


@transaction.atomic
def teacher_unavailability_set(
    *,
    actor: Membership,
    year: SchoolYear,
    teacher: User,
    slots: Iterable[tuple[int, Shift, int]],
) -> int:
    """Set the slots of the week (day, shift, lesson number) in which a
    teacher cannot teach; the others become free."""
    _check_school_admin(actor, year.school_id)
    _check_year_open(year)
    if not _is_staff_of(year.school_id, teacher):
        raise ValidationError({"teacher": _("Choose a teacher of this school.")})
    wanted = set()
    for day, shift, period in slots:
        if shift.school_id != year.school_id:
            raise PermissionDenied
        if day not in calendar.WORKING_WEEKDAYS or not 1 <= period <= MAX_PERIOD:
            raise ValidationError(_("Choose lesson slots of the school week."))
        wanted.add((day, shift.pk, period))

    before = selectors.teacher_unavailable_slots(year=year, teacher=teacher)
    TeacherUnavailability.objects.filter(year=year, teacher=teacher).delete()
    TeacherUnavailability.objects.bulk_create(
        [
            TeacherUnavailability(
                year=year, teacher=teacher, day=day, shift_id=shift_id, period=period
            )
            for day, shift_id, period in sorted(wanted)
        ]
    )
    audit_record(
        actor=actor.user,
        action="timetable.unavailability_set",
        school=actor.organisation,
        target=teacher,
        before={"slots": sorted(list(slot) for slot in before)},
        after={"slots": sorted(list(slot) for slot in wanted)},
    )

    return len(wanted)


# Absences and one-day changes


@transaction.atomic
def absence_create(
    *,
    actor: Membership,
    teacher: User,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    note: str = "",
) -> TeacherAbsence:
    """Record that a teacher is away from one day to another."""
    school_id = actor.organisation_pk
    _check_school_admin(actor, school_id)
    errors: dict[str, str] = {}
    if not _is_staff_of(school_id, teacher):
        errors["teacher"] = _("Choose a teacher of this school.")
    if starts_on is None:
        errors["starts_on"] = _("Enter the first day of the absence.")
    if ends_on is None:
        errors["ends_on"] = _("Enter the last day of the absence.")
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first.")
    elif starts_on is not None and (ends_on - starts_on).days > 366:
        errors["ends_on"] = _("An absence is recorded for a year at most.")
    if len(note) > 200:
        errors["note"] = _("Keep the note under 200 characters.")
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None  # checked above
    assert ends_on is not None

    absence = TeacherAbsence.objects.create(
        school_id=school_id,
        teacher=teacher,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
        created_by=actor.user,
    )
    audit_record(
        actor=actor.user,
        action="timetable.absence_create",
        school=actor.organisation,
        target=absence,
        after=snapshot(absence, ["teacher", "starts_on", "ends_on", "note"]),
    )

    return absence


@transaction.atomic
def absence_remove(*, actor: Membership, absence: TeacherAbsence) -> None:
    """Remove an absence with the substitutions made for it."""
    _check_school_admin(actor, absence.school_id)
    audit_record(
        actor=actor.user,
        action="timetable.absence_remove",
        school=actor.organisation,
        target=absence,
        before={
            **snapshot(absence, ["teacher", "starts_on", "ends_on", "note"]),
            "changes": absence.changes.count(),
        },
    )
    absence.changes.all().delete()
    absence.delete()


def _lesson_times(entry: TimetableEntry) -> tuple[int, int] | None:
    bells = selectors.bells_of(school_id=entry.version.year.school_id)
    bell = bells.get((entry.shift_id, entry.period))
    return (bell.start, bell.end) if bell else None


def _clean_change(
    *,
    entry: TimetableEntry,
    on_date: datetime.date | None,
    substitute: User | None,
    room: Room | None,
    is_cancelled: bool,
    note: str,
) -> None:
    version = entry.version
    school_id = version.year.school_id
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if on_date is None:
        raise ValidationError({"on_date": _("Enter the date of the lesson.")})
    in_effect = selectors.version_in_effect(school_id=school_id, on_date=on_date)
    if (
        in_effect is None
        or in_effect.pk != version.pk
        or on_date.weekday() != entry.day
    ):
        raise ValidationError(
            {
                "on_date": _(
                    "This lesson is not in the timetable of %(date)s; choose a "
                    "date on which it is held."
                )
                % {"date": _day(on_date)}
            }
        )
    reason = calendar.day_off_reason(version.year, on_date, entry.school_class.grade)
    if reason:
        raise ValidationError({"on_date": reason})
    if not is_cancelled and substitute is None and room is None:
        raise ValidationError(
            _("Choose a substitute or a room for the day, or cancel the lesson.")
        )
    if is_cancelled and (substitute is not None or room is not None):
        add(
            "is_cancelled",
            _("A cancelled lesson has neither a substitute nor a room."),
        )
    if len(note) > 200:
        add("note", _("Keep the note under 200 characters."))

    bells = selectors.bells_of(school_id=school_id)

    def together(shift_id: int, period: int) -> bool:
        if shift_id == entry.shift_id:
            return period == entry.period
        mine = bells.get((entry.shift_id, entry.period))
        theirs = bells.get((shift_id, period))
        return mine is not None and theirs is not None and mine.overlaps(theirs)

    changes_that_day = list(
        LessonChange.objects.filter(on_date=on_date, entry__version=version)
        .exclude(entry=entry)
        .values_list(
            "entry_id", "substitute_id", "room_id", "is_cancelled",
            "entry__shift_id", "entry__period",
        )
    )  # fmt: skip
    cancelled = {row[0] for row in changes_that_day if row[3]}
    moved_out = {row[0] for row in changes_that_day if row[2] is not None}

    if substitute is not None:
        if not _is_staff_of(school_id, substitute):
            add("substitute", _("Choose a teacher of this school."))
        elif substitute.pk == entry.teacher_id:
            add("substitute", _("Choose someone other than the lesson's own teacher."))
        elif substitute.pk in selectors.teachers_absent_on(
            school_id=school_id, day=on_date
        ):
            add(
                "substitute",
                _("%(teacher)s is absent on %(date)s.")
                % {"teacher": substitute.short_name, "date": _day(on_date)},
            )
        else:
            own = TimetableEntry.objects.filter(
                version=version, teacher=substitute, day=entry.day
            ).values_list("pk", "shift_id", "period")
            busy = any(
                together(shift_id, period) and pk not in cancelled
                for pk, shift_id, period in own
            ) or any(
                row[1] == substitute.pk and together(row[4], row[5])
                for row in changes_that_day
            )
            if busy:
                add(
                    "substitute",
                    _("%(teacher)s teaches another lesson at that time.")
                    % {"teacher": substitute.short_name},
                )
    if room is not None:
        if room.school_id != school_id:
            raise PermissionDenied
        if not room.is_active:
            add("room", _("Room %(room)s is not in use.") % {"room": room.name})
        held = (
            TimetableEntry.objects.filter(version=version, room=room, day=entry.day)
            .exclude(pk=entry.pk)
            .values_list("pk", "shift_id", "period")
        )
        taken = any(
            together(shift_id, period) and pk not in cancelled and pk not in moved_out
            for pk, shift_id, period in held
        ) or any(
            row[2] == room.pk and together(row[4], row[5]) for row in changes_that_day
        )
        if taken:
            add(
                "room",
                _("Room %(room)s holds another lesson at that time.")
                % {"room": room.name},
            )
    if errors:
        raise ValidationError(errors)


def _audience_people(entry: TimetableEntry, day: datetime.date) -> set[int]:
    """Students of a lesson on a day, and their guardians in the school."""
    school_id = entry.version.year.school_id
    if entry.subgroup_id is not None:
        students = set(
            SubgroupMember.objects.filter(
                subgroup_id=entry.subgroup_id, starts_on__lte=day
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .values_list("student_id", flat=True)
        )
        return students | _guardians_here(school_id, students)
    return _students_and_guardians(school_id, [entry.school_class_id], day)


@transaction.atomic
def lesson_change_set(
    *,
    actor: Membership,
    entry: TimetableEntry,
    on_date: datetime.date | None,
    substitute: User | None = None,
    room: Room | None = None,
    is_cancelled: bool = False,
    note: str = "",
    absence: TeacherAbsence | None = None,
) -> LessonChange:
    """Change one dated lesson: give it a substitute, another room, or cancel
    it. A second change of the same lesson replaces the first. The class,
    its parents and the teachers concerned are told."""
    school_id = entry.version.year.school_id
    _check_school_admin(actor, school_id)
    if absence is not None and absence.school_id != school_id:
        raise PermissionDenied
    note = note.strip()
    _clean_change(
        entry=entry,
        on_date=on_date,
        substitute=substitute,
        room=room,
        is_cancelled=is_cancelled,
        note=note,
    )
    assert on_date is not None  # checked above

    change = LessonChange.objects.filter(entry=entry, on_date=on_date).first()
    before = snapshot(change, CHANGE_FIELDS) if change else None
    if change is None:
        change = LessonChange(entry=entry, on_date=on_date, created_by=actor.user)
    change.substitute = substitute
    change.room = room
    change.is_cancelled = is_cancelled
    change.note = note
    if absence is not None or change.absence_id is None:
        change.absence = absence
    change.save()

    change.notices.all().delete()
    people = _audience_people(entry, on_date)
    if entry.teacher_id is not None and (
        absence is None or absence.teacher_id != entry.teacher_id
    ):
        people.add(entry.teacher_id)
    notices = [
        Notice(
            school_id=school_id,
            person_id=person_id,
            kind=NoticeKind.LESSON_CHANGED,
            change=change,
        )
        for person_id in sorted(people - {substitute.pk if substitute else 0})
    ]
    if substitute is not None:
        notices.append(
            Notice(
                school_id=school_id,
                person_id=substitute.pk,
                kind=NoticeKind.SUBSTITUTION,
                change=change,
            )
        )
    Notice.objects.bulk_create(notices)
    audit_record(
        actor=actor.user,
        action="timetable.lesson_change_set",
        school=actor.organisation,
        target=change,
        before=before,
        after={
            "entry": entry.pk,
            "on_date": str(on_date),
            **snapshot(change, CHANGE_FIELDS),
        },
    )

    return change


@transaction.atomic
def lesson_change_remove(*, actor: Membership, change: LessonChange) -> None:
    """Withdraw a one-day change: the lesson is held as the timetable says."""
    _check_school_admin(actor, change.entry.version.year.school_id)
    audit_record(
        actor=actor.user,
        action="timetable.lesson_change_remove",
        school=actor.organisation,
        target=change,
        before={
            "entry": change.entry_id,
            "on_date": str(change.on_date),
            **snapshot(change, CHANGE_FIELDS),
        },
    )
    change.delete()


# Notices and the calendar feed


@transaction.atomic
def notices_mark_read(*, actor: Membership) -> int:
    return Notice.objects.filter(
        person_id=actor.user_id, school_id=actor.organisation_pk, read_at__isnull=True
    ).update(read_at=timezone.now())


FEED_ROLES = frozenset({Role.TEACHER, Role.STUDENT, Role.PARENT})


@transaction.atomic
def calendar_feed_renew(*, actor: Membership) -> CalendarFeed:
    """Give the person's role a new secret calendar address; the old one
    stops working at once."""
    if actor.role not in FEED_ROLES or actor.organisation_id is None:
        raise PermissionDenied

    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(
        membership=actor, defaults={"token": token}
    )
    audit_record(
        actor=actor.user,
        action="timetable.calendar_feed_renew",
        school=actor.organisation,
        target=feed,
        after={"created": created},
    )

    return feed
