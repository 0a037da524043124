"""Reads about timetables, always narrowed to the actor's school.

Three kinds of reads live here:

* the curriculum load and its totals (`load_summary`);
* a version loaded whole into memory for checking and editing (`week_of`),
  a fixed number of queries whatever the school's size;
* the published week of a class, teacher, room or student, dated, with the
  day's substitutions and cancellations (`dated_week`), again a fixed number
  of queries for one class, teacher or room.

An object of another school raises Http404, exactly like a missing one.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from sabaq.accounts.models import (
    SCHOOL_ADMIN_ROLES,
    STAFF_ROLES,
    Membership,
    Role,
    User,
)
from sabaq.people.models import Enrolment, Guardianship, StaffRecord
from sabaq.schools import calendar
from sabaq.schools.alphabet import alphabetical_key, person_key
from sabaq.schools.models import (
    Period,
    Room,
    SchoolClass,
    SchoolYear,
    Shift,
    Subgroup,
    SubgroupMember,
    Subject,
)
from sabaq.schools.selectors import current_year, day_in_year, school_years
from sabaq.timetable import conflicts
from sabaq.timetable.models import (
    DEFAULT_MAX_WEEKLY_HOURS,
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

SCHOOL_DAYS = tuple(sorted(calendar.WORKING_WEEKDAYS))
"""The days of the week a timetable has columns for (Monday is 0)."""


def _pk(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def _get(queryset: QuerySet, value: object):
    try:
        return queryset.get(pk=_pk(value))
    except queryset.model.DoesNotExist:
        raise Http404 from None


def is_school_admin(actor: Membership | None) -> bool:
    return actor is not None and actor.role in SCHOOL_ADMIN_ROLES


def day_name(day: int) -> str:
    return str(WEEKDAYS[day])


def class_sort_key(school_class) -> tuple:
    return (school_class.grade, alphabetical_key(school_class.letter))


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


# School years


def year_chosen(*, actor: Membership, year_id: object = None) -> SchoolYear | None:
    """The year named, else the current one (None when the school has none)."""
    if year_id:
        return _get(school_years(actor=actor), year_id)
    return current_year(actor=actor)


# Teachers


def school_staff(*, actor: Membership) -> QuerySet[User]:
    """People who may teach in the actor's school: teachers, deputy heads and
    directors with an active role."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(
            organisation_id=actor.organisation_pk,
            role__in=STAFF_ROLES,
            is_active=True,
        ).values("user_id")
    ).order_by("surname", "name", "patronymic")


def staff_member_get(*, actor: Membership, person_id: object) -> User:
    return _get(school_staff(actor=actor), person_id)


def staff_records_by_person(*, school_id: int) -> dict[int, StaffRecord]:
    """Each staff member's file here with the subjects they may teach."""
    records = StaffRecord.objects.filter(
        school_id=school_id, left_on__isnull=True
    ).prefetch_related(Prefetch("subjects", queryset=Subject.objects.only("pk")))
    return {record.person_id: record for record in records}


# Curriculum load


def grade_limits(*, year: SchoolYear) -> dict[int, int]:
    """The largest weekly load of each grade: the year's own figure, else the
    state standard's."""
    limits = dict(DEFAULT_MAX_WEEKLY_HOURS)
    for grade, hours in GradeLoadLimit.objects.filter(year=year).values_list(
        "grade", "max_hours"
    ):
        limits[grade] = hours
    return limits


def year_classes(*, year: SchoolYear) -> list[SchoolClass]:
    """The classes of a year in Kazakh order, with their shift and home room."""
    found = SchoolClass.objects.filter(year=year).select_related(
        "shift", "home_room", "year"
    )
    return sorted(found, key=class_sort_key)


def load_lines(*, actor: Membership, year: SchoolYear) -> QuerySet[LoadLine]:
    return LoadLine.objects.filter(
        school_class__year=year, school_class__year__school_id=actor.organisation_pk
    ).select_related(
        "school_class", "subgroup", "subject", "teacher", "room", "school_class__year"
    )


def load_line_get(*, actor: Membership, line_id: object) -> LoadLine:
    return _get(
        LoadLine.objects.filter(
            school_class__year__school_id=actor.organisation_pk
        ).select_related(
            "school_class",
            "school_class__year",
            "school_class__shift",
            "school_class__home_room",
            "subgroup",
            "subject",
            "teacher",
            "room",
        ),
        line_id,
    )


def weekly_hours(lines: Iterable[LoadLine]) -> int:
    """The hours a student of a class sits a week: whole-class lines, plus
    for each subject split into groups the largest group's hours (the groups
    meet in parallel, and each student is in one of them)."""
    whole = 0
    split: dict[int, int] = {}
    for line in lines:
        if line.subgroup_id is None:
            whole += line.hours
        else:
            split[line.subject_id] = max(split.get(line.subject_id, 0), line.hours)
    return whole + sum(split.values())


@dataclass
class ClassLoad:
    school_class: SchoolClass
    lines: list[LoadLine]
    hours: int
    limit: int

    @property
    def is_over(self) -> bool:
        return self.hours > self.limit


@dataclass
class TeacherLoad:
    teacher: User
    lines: list[LoadLine]
    hours: int
    rate: Decimal | None
    unqualified: list[LoadLine] = field(default_factory=list)
    """Lines of subjects that are not among those the teacher may teach."""

    @property
    def is_over(self) -> bool:
        return self.rate is not None and self.hours > self.rate

    @property
    def is_under(self) -> bool:
        return self.rate is not None and self.hours < self.rate


@dataclass
class LoadSummary:
    year: SchoolYear
    classes: list[ClassLoad]
    teachers: list[TeacherLoad]
    limits: dict[int, int]
    without_teacher: int


def load_summary(*, actor: Membership, year: SchoolYear) -> LoadSummary:
    """Every class's lines with its weekly total against its grade's maximum,
    and every teacher's total against their load rate."""
    limits = grade_limits(year=year)
    lines = sorted(
        load_lines(actor=actor, year=year),
        key=lambda line: (
            line.subject.name.casefold(),
            line.subgroup.number if line.subgroup is not None else 0,
        ),
    )
    by_class: dict[int, list[LoadLine]] = defaultdict(list)
    by_teacher: dict[int, list[LoadLine]] = defaultdict(list)
    for line in lines:
        by_class[line.school_class_id].append(line)
        if line.teacher_id is not None:
            by_teacher[line.teacher_id].append(line)

    classes = [
        ClassLoad(
            school_class=school_class,
            lines=by_class.get(school_class.pk, []),
            hours=weekly_hours(by_class.get(school_class.pk, [])),
            limit=limits.get(school_class.grade, 0),
        )
        for school_class in year_classes(year=year)
    ]

    records = staff_records_by_person(school_id=actor.organisation_pk)
    people = {person.pk: person for person in school_staff(actor=actor)}
    people.update(
        (line.teacher.pk, line.teacher) for line in lines if line.teacher is not None
    )
    teachers = []
    for person_id, person in people.items():
        taught = by_teacher.get(person_id, [])
        record = records.get(person_id)
        if not taught and record is None:
            continue
        allowed = {s.pk for s in record.subjects.all()} if record else set()
        teachers.append(
            TeacherLoad(
                teacher=person,
                lines=taught,
                hours=sum(line.hours for line in taught),
                rate=record.load_rate if record else None,
                unqualified=[line for line in taught if line.subject_id not in allowed],
            )
        )
    teachers.sort(key=lambda item: person_key(item.teacher))

    return LoadSummary(
        year=year,
        classes=classes,
        teachers=teachers,
        limits=limits,
        without_teacher=sum(1 for line in lines if line.teacher_id is None),
    )


# Versions


def versions(*, actor: Membership, year: SchoolYear) -> QuerySet[TimetableVersion]:
    """The versions of a year: all of them for the school's heads, the
    published ones for everybody else."""
    found = TimetableVersion.objects.filter(
        year=year, year__school_id=actor.organisation_pk
    ).select_related("year", "created_by", "published_by")
    if not is_school_admin(actor):
        found = found.exclude(status=VersionStatus.DRAFT)

    return found.annotate(entry_count=Count("entries")).order_by(
        "status", "-takes_effect_on", "-created_at", "-id"
    )


def version_get(*, actor: Membership, version_id: object) -> TimetableVersion:
    found = TimetableVersion.objects.filter(
        year__school_id=actor.organisation_pk
    ).select_related("year", "year__school")
    if not is_school_admin(actor):
        found = found.exclude(status=VersionStatus.DRAFT)
    return _get(found, version_id)


def published_versions(*, school_id: int) -> list[TimetableVersion]:
    """The school's published versions, latest effect date first."""
    return list(
        TimetableVersion.objects.filter(
            year__school_id=school_id, status=VersionStatus.PUBLISHED
        )
        .select_related("year")
        .order_by("-takes_effect_on")
    )


def version_on(
    published: Sequence[TimetableVersion], day: datetime.date
) -> TimetableVersion | None:
    """The version in effect on a day: the latest to take effect by then in
    the school year that holds the day."""
    for version in published:
        year = version.year
        if (
            year.starts_on <= day <= year.ends_on
            and version.takes_effect_on is not None
            and version.takes_effect_on <= day
        ):
            return version
    return None


def version_in_effect(
    *, school_id: int, on_date: datetime.date
) -> TimetableVersion | None:
    return version_on(published_versions(school_id=school_id), on_date)


# A version in memory


def bells_of(*, school_id: int) -> dict[tuple[int, int], conflicts.Bell]:
    return {
        (shift_id, number): conflicts.Bell(_minutes(start), _minutes(end))
        for shift_id, number, start, end in Period.objects.filter(
            shift__school_id=school_id
        )
        .order_by()
        .values_list("shift_id", "number", "starts_at", "ends_at")
    }


_LESSON_FIELDS = (
    "pk",
    "load_id",
    "school_class_id",
    "subgroup_id",
    "load__subject_id",
    "teacher_id",
    "room_id",
    "day",
    "shift_id",
    "period",
)
_LINE_FIELDS = (
    "pk",
    "school_class_id",
    "subgroup_id",
    "subject_id",
    "teacher_id",
    "hours",
    "room_kind",
    "room_id",
)


def _week(
    version: TimetableVersion,
    *,
    lessons: list[conflicts.Lesson],
    lines: QuerySet[LoadLine],
    classes: QuerySet[SchoolClass],
    groups: Q,
    rooms: QuerySet[Room],
    unavailable: QuerySet[TeacherUnavailability],
    day: datetime.date,
    known: "_Known | None" = None,
) -> conflicts.Week:
    """A `conflicts.Week` from querysets narrowed to what it must hold.

    Eight queries: lines, classes with their sizes on `day`, groups with
    their members, rooms, bells with their shifts, unavailable times,
    teachers' names and subjects' names; five when the lines and the names
    are `known` already.
    """
    school_id = version.year.school_id
    if known is not None:
        line_rows = known.lines
    else:
        line_rows = {
            row.id: row
            for row in (
                conflicts.Line(*values)
                for values in lines.order_by().values_list(*_LINE_FIELDS)
            )
        }
    enrolled = Q(enrolments__starts_on__lte=day) & (
        Q(enrolments__ends_on__isnull=True) | Q(enrolments__ends_on__gte=day)
    )
    class_rows = {}
    shift_numbers: dict[int, int] = {}
    for pk, grade, letter, shift_id, shift_number, home_room_id, size in (
        classes.annotate(
            size=Count("enrolments__student", filter=enrolled, distinct=True)
        )
        .order_by()
        .values_list(
            "pk", "grade", "letter", "shift_id", "shift__number", "home_room_id", "size"
        )
    ):
        class_rows[pk] = conflicts.ClassInfo(
            id=pk,
            label=str(SchoolClass(grade=grade, letter=letter)),
            grade=grade,
            shift_id=shift_id,
            size=size,
            home_room_id=home_room_id,
        )
        shift_numbers[shift_id] = shift_number

    group_data: dict[int, tuple[int, int, int]] = {}
    members: dict[int, set[int]] = defaultdict(set)
    for pk, class_id, subject_id, number, student_id, starts_on, ends_on in (
        Subgroup.objects.filter(groups)
        .order_by()
        .values_list(
            "pk",
            "school_class_id",
            "subject_id",
            "number",
            "members__student_id",
            "members__starts_on",
            "members__ends_on",
        )
    ):
        group_data[pk] = (class_id, subject_id, number)
        if (
            student_id is not None
            and starts_on <= day
            and (ends_on is None or ends_on >= day)
        ):
            members[pk].add(student_id)
    group_rows = {
        pk: conflicts.GroupInfo(
            id=pk,
            class_id=class_id,
            subject_id=subject_id,
            number=number,
            members=frozenset(members.get(pk, ())),
        )
        for pk, (class_id, subject_id, number) in group_data.items()
    }
    room_rows = {
        pk: conflicts.RoomInfo(
            id=pk, label=name, kind=kind, capacity=capacity, active=active
        )
        for pk, name, kind, capacity, active in rooms.order_by().values_list(
            "pk", "name", "kind", "capacity", "is_active"
        )
    }
    bells = {}
    for shift_id, shift_number, number, start, end in (
        Period.objects.filter(shift__school_id=school_id)
        .order_by()
        .values_list("shift_id", "shift__number", "number", "starts_at", "ends_at")
    ):
        bells[(shift_id, number)] = conflicts.Bell(_minutes(start), _minutes(end))
        shift_numbers[shift_id] = shift_number
    if known is not None:
        teachers, subjects = known.teachers, known.subjects
    else:
        teacher_ids = {row.teacher_id for row in line_rows.values() if row.teacher_id}
        teacher_ids |= {lesson.teacher_id for lesson in lessons if lesson.teacher_id}
        teachers = {person.pk: person.short_name for person in _people(teacher_ids)}
        subject_ids = {row.subject_id for row in line_rows.values()}
        subjects = {
            subject.pk: subject.name
            for subject in Subject.objects.filter(pk__in=subject_ids).order_by()
        }

    return conflicts.Week(
        lines=line_rows,
        classes=class_rows,
        groups=group_rows,
        rooms=room_rows,
        shift_numbers=shift_numbers,
        bells=bells,
        unavailable=list(
            unavailable.order_by().values_list(
                "teacher_id", "day", "shift_id", "period"
            )
        ),
        teachers=teachers,
        subjects=subjects,
        lessons={lesson.id: lesson for lesson in lessons},
    )


@dataclass
class _Known:
    """Load lines and names read with the lessons, so `_week` need not."""

    lines: dict[int, conflicts.Line] = field(default_factory=dict)
    teachers: dict[int, str] = field(default_factory=dict)
    subjects: dict[int, str] = field(default_factory=dict)

    def add_line(self, line: LoadLine) -> None:
        self.lines[line.pk] = conflicts.Line(
            line.pk,
            line.school_class_id,
            line.subgroup_id,
            line.subject_id,
            line.teacher_id,
            line.hours,
            line.room_kind,
            line.room_id,
        )
        self.subjects[line.subject_id] = line.subject.name


def entry_lesson(entry: TimetableEntry) -> conflicts.Lesson:
    """An entry, saved or not, as a `conflicts.Lesson` (its subject unknown)."""
    return conflicts.Lesson(
        id=entry.pk or 0,
        line_id=entry.load_id,
        class_id=entry.school_class_id,
        subgroup_id=entry.subgroup_id,
        subject_id=0,
        teacher_id=entry.teacher_id,
        room_id=entry.room_id,
        day=entry.day,
        shift_id=entry.shift_id,
        period=entry.period,
    )


def week_of(
    version: TimetableVersion, *, on_date: datetime.date | None = None
) -> conflicts.Week:
    """A version's whole week in memory, ready for `conflicts`.

    About a dozen queries whatever the size of the school. Class sizes and
    subgroup members are taken on `on_date`: the day the version takes
    effect, else today moved into the year.
    """
    year = version.year
    lessons = [
        conflicts.Lesson(*row)
        for row in TimetableEntry.objects.filter(version=version)
        .order_by()
        .values_list(*_LESSON_FIELDS)
    ]

    return _week(
        version,
        lessons=lessons,
        lines=LoadLine.objects.filter(school_class__year=year),
        classes=SchoolClass.objects.filter(year=year),
        groups=Q(school_class__year=year),
        rooms=Room.objects.filter(school_id=year.school_id),
        unavailable=TeacherUnavailability.objects.filter(year=year),
        day=on_date or version.takes_effect_on or day_in_year(year),
    )


def week_near(
    version: TimetableVersion,
    *,
    entries: Sequence[TimetableEntry],
    all_rooms: bool = False,
) -> conflicts.Week:
    """The part of a version's week that can clash with some entries.

    It holds the lessons of the same days that share a teacher, a room or a
    class with one of the entries (in any shift), every lesson of their load
    lines, and what those lessons need to be judged: `conflicts.check_lesson`
    gives the same answer on it as on the whole week, from a few small
    queries whatever the size of the school. The editor checks each edit
    with it. With `all_rooms`, it also holds every room of the school and
    the lessons held in a room on those days, to find a free room.
    """
    year = version.year
    near = Q(pk__in=[])
    for entry in entries:
        near |= Q(load_id=entry.load_id)
        near |= Q(day=entry.day, school_class_id=entry.school_class_id)
        if entry.teacher_id is not None:
            near |= Q(day=entry.day, teacher_id=entry.teacher_id)
        if entry.room_id is not None:
            near |= Q(day=entry.day, room_id=entry.room_id)
        if all_rooms:
            near |= Q(day=entry.day, room__isnull=False)
    # The lessons come with their lines and names in one query.
    known = _Known()
    lessons = []
    for row in (
        TimetableEntry.objects.filter(near, version=version)
        .order_by()
        .values_list(
            *_LESSON_FIELDS,
            *(f"load__{name}" for name in _LINE_FIELDS[1:]),
            "teacher__surname",
            "teacher__name",
            "load__subject__name_kk",
            "load__subject__name_ru",
            "load__subject__name_en",
        )
    ):
        lesson = conflicts.Lesson(*row[:10])
        lessons.append(lesson)
        known.lines[lesson.line_id] = conflicts.Line(lesson.line_id, *row[10:17])
        surname, name, *subject_names = row[17:]
        if lesson.teacher_id is not None:
            known.teachers[lesson.teacher_id] = str(
                User(surname=surname, name=name).short_name
            )
        known.subjects[lesson.subject_id] = Subject(
            name_kk=subject_names[0], name_ru=subject_names[1], name_en=subject_names[2]
        ).name
    for entry in entries:
        known.add_line(entry.load)
        if entry.teacher is not None:
            known.teachers[entry.teacher.pk] = entry.teacher.short_name
    every = [*lessons, *(entry_lesson(entry) for entry in entries)]
    class_ids = {item.class_id for item in every}
    group_ids = {item.subgroup_id for item in every if item.subgroup_id}
    room_ids = {item.room_id for item in every if item.room_id}
    teacher_ids = {item.teacher_id for item in every if item.teacher_id}
    days = {entry.day for entry in entries}

    return _week(
        version,
        known=known,
        lessons=lessons,
        lines=LoadLine.objects.none(),
        classes=SchoolClass.objects.filter(pk__in=class_ids),
        groups=Q(pk__in=group_ids),
        rooms=(
            Room.objects.filter(school_id=year.school_id)
            if all_rooms
            else Room.objects.filter(pk__in=room_ids)
        ),
        unavailable=TeacherUnavailability.objects.filter(
            year=year, teacher_id__in=teacher_ids, day__in=days
        ),
        day=version.takes_effect_on or day_in_year(year),
    )


def _people(ids: Iterable[int]) -> QuerySet[User]:
    return (
        User.objects.filter(pk__in=list(ids))
        .order_by()
        .only("pk", "surname", "name", "patronymic")
    )


# Grids


@dataclass
class Card:
    """A lesson as a grid cell shows it."""

    entry_id: int
    line_id: int
    class_id: int
    subject: str
    audience: str
    group: str
    teacher: str
    teacher_id: int | None
    room: str
    clashes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    substitute: str = ""
    room_today: str = ""
    is_cancelled: bool = False
    is_extra: bool = False
    """A lesson the person teaches for an absent colleague."""
    note: str = ""
    grade: int = 0


@dataclass
class Cell:
    day: int
    shift_id: int
    period: int
    cards: list[Card] = field(default_factory=list)
    day_name: str = ""
    closed: bool = False


@dataclass
class Row:
    shift_id: int
    shift_number: int
    period: int
    starts: str
    ends: str
    cells: list[Cell]


@dataclass
class Column:
    day: int
    name: str
    date: datetime.date | None = None
    closed: str = ""
    """Why there are no lessons on this date (a holiday), if so."""


@dataclass
class Grid:
    columns: list[Column]
    rows: list[Row]

    @property
    def is_empty(self) -> bool:
        return not any(cell.cards for row in self.rows for cell in row.cells)


def minutes_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def grid_build(
    *,
    cards: Iterable[tuple[int, int, int, Card]],
    bells: dict[tuple[int, int], conflicts.Bell],
    shift_numbers: dict[int, int],
    shift_ids: Iterable[int],
    columns: list[Column],
) -> Grid:
    """Lay cards out by lesson slot (rows) and day (columns).

    The rows are the bells of the shifts given, in time order; a card in a
    slot without a bell still gets a row, so nothing placed is hidden.
    """
    placed: dict[tuple[int, int, int], list[Card]] = defaultdict(list)
    slots = {key for key in bells if key[0] in set(shift_ids)}
    for day, shift_id, period, card in cards:
        placed[(day, shift_id, period)].append(card)
        slots.add((shift_id, period))

    def order(slot: tuple[int, int]):
        bell = bells.get(slot)
        return (bell.start if bell else 24 * 60, shift_numbers.get(slot[0], 0), slot[1])

    rows = []
    for shift_id, period in sorted(slots, key=order):
        bell = bells.get((shift_id, period))
        rows.append(
            Row(
                shift_id=shift_id,
                shift_number=shift_numbers.get(shift_id, 0),
                period=period,
                starts=minutes_text(bell.start) if bell else "",
                ends=minutes_text(bell.end) if bell else "",
                cells=[
                    Cell(
                        day=column.day,
                        day_name=column.name,
                        closed=bool(column.closed),
                        shift_id=shift_id,
                        period=period,
                        cards=sorted(
                            placed.get((column.day, shift_id, period), []),
                            key=lambda card: (card.subject, card.group, card.entry_id),
                        ),
                    )
                    for column in columns
                ],
            )
        )

    return Grid(columns=columns, rows=rows)


def plain_columns() -> list[Column]:
    return [Column(day=day, name=day_name(day)) for day in SCHOOL_DAYS]


# The editor


@dataclass
class TrayItem:
    """A load line with lessons still to place."""

    line_id: int
    subject: str
    audience: str
    teacher: str
    left: int
    hours: int


@dataclass
class EditorView:
    kind: str  # "class", "teacher" or "room"
    object_id: int
    title: str
    grid: Grid
    tray: list[TrayItem]


def _editor_card(
    week: conflicts.Week,
    explainer: conflicts.Explainer,
    lesson: conflicts.Lesson,
    flagged: dict[int, list[conflicts.Clash]],
) -> Card:
    group = week.groups.get(lesson.subgroup_id) if lesson.subgroup_id else None
    card = Card(
        entry_id=lesson.id,
        line_id=lesson.line_id,
        class_id=lesson.class_id,
        subject=explainer.subject(lesson),
        audience=explainer.audience(lesson),
        group=str(group.number) if group else "",
        teacher=explainer.teacher(lesson.teacher_id),
        teacher_id=lesson.teacher_id,
        room=explainer.room(lesson.room_id) if lesson.room_id else "",
    )
    for clash in flagged.get(lesson.id, ()):
        text = explainer.explain(clash)
        (card.clashes if clash.is_hard else card.warnings).append(text)
    return card


def editor_view(
    *,
    week: conflicts.Week,
    clashes: list[conflicts.Clash],
    kind: str,
    object_id: int,
) -> EditorView:
    """One class's, teacher's or room's week of a version, with clashes on
    the cards and the load lines still to place."""
    explainer = conflicts.Explainer(week)
    flagged = conflicts.flagged_lessons(clashes)
    if kind == "teacher":
        chosen = [
            lesson for lesson in week.lessons.values() if lesson.teacher_id == object_id
        ]
        lines = [line for line in week.lines.values() if line.teacher_id == object_id]
        shift_ids = set(week.shift_numbers)
        title = explainer.teacher(object_id)
    elif kind == "room":
        chosen = [
            lesson for lesson in week.lessons.values() if lesson.room_id == object_id
        ]
        lines = [line for line in week.lines.values() if line.room_id == object_id]
        shift_ids = set(week.shift_numbers)
        title = explainer.room(object_id)
    else:
        info = week.classes[object_id]
        chosen = [
            lesson for lesson in week.lessons.values() if lesson.class_id == object_id
        ]
        lines = [line for line in week.lines.values() if line.class_id == object_id]
        shift_ids = {info.shift_id}
        title = info.label

    grid = grid_build(
        cards=[
            (
                lesson.day,
                lesson.shift_id,
                lesson.period,
                _editor_card(week, explainer, lesson, flagged),
            )
            for lesson in chosen
        ],
        bells=dict(week.bells),
        shift_numbers=dict(week.shift_numbers),
        shift_ids=shift_ids,
        columns=plain_columns(),
    )
    tray = [
        TrayItem(
            line_id=line.id,
            subject=explainer.subject(line),
            audience=explainer.audience(line),
            teacher=explainer.teacher(line.teacher_id),
            left=line.hours - week.placed(line.id),
            hours=line.hours,
        )
        for line in lines
        if week.placed(line.id) < line.hours
    ]
    tray.sort(key=lambda item: (item.audience, item.subject))

    return EditorView(kind=kind, object_id=object_id, title=title, grid=grid, tray=tray)


@dataclass
class ClashRow:
    clash: conflicts.Clash
    message: str
    class_id: int | None
    """The class whose grid shows the lesson (or the load line)."""
    other_class_id: int | None = None
    """The class whose grid shows the lesson it clashes with."""


def clash_rows(week: conflicts.Week, clashes: list[conflicts.Clash]) -> list[ClashRow]:
    """Clashes as sentences, hard ones first, each with the classes whose
    grids show the lessons involved."""
    explainer = conflicts.Explainer(week)
    rows = []
    for clash in clashes:
        if clash.lesson_id is not None:
            class_id = week.lessons[clash.lesson_id].class_id
        elif clash.line_id is not None:
            class_id = week.lines[clash.line_id].class_id
        else:
            class_id = None
        other = week.lessons.get(clash.other_id) if clash.other_id else None
        rows.append(
            ClashRow(
                clash=clash,
                message=explainer.explain(clash),
                class_id=class_id,
                other_class_id=other.class_id if other else None,
            )
        )
    rows.sort(key=lambda row: (not row.clash.is_hard, row.clash.kind))
    return rows


def entry_get(*, actor: Membership, entry_id: object) -> TimetableEntry:
    """An entry of any version of the actor's school (editors only reach it)."""
    return _get(
        TimetableEntry.objects.filter(
            version__year__school_id=actor.organisation_pk
        ).select_related(
            "version",
            "version__year",
            "load",
            "load__subject",
            "school_class",
            "subgroup",
            "teacher",
            "room",
            "shift",
        ),
        entry_id,
    )


def teacher_unavailable_slots(
    *, year: SchoolYear, teacher: User
) -> set[tuple[int, int, int]]:
    return set(
        TeacherUnavailability.objects.filter(year=year, teacher=teacher).values_list(
            "day", "shift_id", "period"
        )
    )


def school_shifts(*, school_id: int) -> list[Shift]:
    return list(
        Shift.objects.filter(school_id=school_id)
        .prefetch_related(
            Prefetch("periods", queryset=Period.objects.order_by("number"))
        )
        .order_by("number")
    )


# Published weeks, dated


@dataclass
class DatedWeek:
    """A week of real dates as one class, teacher, room or student lives it."""

    monday: datetime.date
    grid: Grid
    versions: list[TimetableVersion]

    @property
    def previous(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)

    @property
    def version(self) -> TimetableVersion | None:
        return self.versions[0] if self.versions else None


def default_monday(*, school_id: int, today: datetime.date | None = None):
    """This week, when a timetable is in effect today; else the first week of
    the latest published timetable; else this week."""
    day = today or timezone.localdate()
    published = published_versions(school_id=school_id)
    if version_on(published, day) is None and published:
        return monday_of(published[0].takes_effect_on or day)
    return monday_of(day)


def parse_monday(value: str | None, *, school_id: int) -> datetime.date:
    if value:
        try:
            return monday_of(datetime.date.fromisoformat(value))
        except ValueError:
            pass
    return default_monday(school_id=school_id)


def year_of(years: Sequence[SchoolYear], day: datetime.date) -> SchoolYear | None:
    for year in years:
        if year.starts_on <= day <= year.ends_on:
            return year
    return None


ANY_GRADE = -1
"""A grade no holiday names: asking with it finds only whole-school holidays."""


def _entry_card(entry: TimetableEntry, *, with_class: bool = True) -> Card:
    audience = str(entry.school_class)
    group = str(entry.subgroup.number) if entry.subgroup is not None else ""
    return Card(
        entry_id=entry.pk,
        line_id=entry.load_id,
        class_id=entry.school_class_id,
        subject=entry.load.subject.name,
        audience=audience,
        group=group,
        teacher=entry.teacher.short_name if entry.teacher is not None else "",
        teacher_id=entry.teacher_id,
        room=entry.room.name if entry.room is not None else "",
        grade=entry.school_class.grade,
    )


def _with_change(card: Card, change: LessonChange | None) -> Card:
    if change is None:
        return card
    card.is_cancelled = change.is_cancelled
    card.substitute = (
        change.substitute.short_name if change.substitute is not None else ""
    )
    card.room_today = change.room.name if change.room is not None else ""
    card.note = change.note
    return card


_ENTRY_RELATIONS = (
    "load__subject",
    "school_class",
    "subgroup",
    "teacher",
    "room",
)


@dataclass
class DatedLesson:
    """A lesson on a date: its entry, the day's change if any, and whether
    the person teaches it for an absent colleague."""

    day: datetime.date
    entry: TimetableEntry
    change: LessonChange | None = None
    is_extra: bool = False


@dataclass
class DatedLessons:
    days: list[Column]
    lessons: list[DatedLesson]
    versions: list[TimetableVersion]
    years: list[SchoolYear]


def dated_lessons(
    *,
    school_id: int,
    first: datetime.date,
    last: datetime.date,
    entries: Q,
    grade: int | None = None,
    substitute: User | None = None,
) -> DatedLessons:
    """The lessons matching `entries` on the school days from `first` to
    `last`, each day from the version in effect that day, with the day's
    changes.

    `grade` decides which holidays close a day (a whole-school holiday
    always does); `substitute` adds the lessons that person teaches for
    absent colleagues. A fixed number of queries whatever the school's size
    or the number of days.
    """
    days = []
    day = first
    while day <= last:
        if day.weekday() in SCHOOL_DAYS:
            days.append(day)
        day += datetime.timedelta(days=1)
    published = published_versions(school_id=school_id)
    in_effect = {day: version_on(published, day) for day in days}
    version_ids = {version.pk for version in in_effect.values() if version}
    years = list(
        SchoolYear.objects.filter(school_id=school_id).prefetch_related(
            "quarters", "holidays", "lesson_lengths"
        )
    )

    found = list(
        TimetableEntry.objects.filter(entries, version_id__in=version_ids)
        .select_related(*_ENTRY_RELATIONS)
        .order_by("day", "period")
    )
    by_slot: dict[tuple[int, int], list[TimetableEntry]] = defaultdict(list)
    for entry in found:
        by_slot[(entry.version_id, entry.day)].append(entry)
    changes = {
        (change.entry_id, change.on_date): change
        for change in LessonChange.objects.filter(
            entry__in=[entry.pk for entry in found], on_date__range=(first, last)
        ).select_related("substitute", "room")
    }
    extra: list[LessonChange] = []
    if substitute is not None:
        extra = list(
            LessonChange.objects.filter(
                substitute=substitute,
                is_cancelled=False,
                on_date__range=(first, last),
                entry__version__year__school_id=school_id,
            ).select_related(
                "room", "substitute", *(f"entry__{name}" for name in _ENTRY_RELATIONS)
            )
        )

    columns = []
    lessons: list[DatedLesson] = []
    for day in days:
        year = year_of(years, day)
        version = in_effect[day]
        closed = ""
        if year is not None:
            asked = ANY_GRADE if grade is None else grade
            closed = calendar.day_off_reason(year, day, asked) or ""
        columns.append(
            Column(
                day=day.weekday(), name=day_name(day.weekday()), date=day, closed=closed
            )
        )
        if version is None or year is None or closed:
            continue
        for entry in by_slot.get((version.pk, day.weekday()), ()):
            if grade is None and not calendar.is_school_day(
                year, day, entry.school_class.grade
            ):
                continue
            lessons.append(DatedLesson(day, entry, changes.get((entry.pk, day))))
        lessons += [
            DatedLesson(day, change.entry, change, is_extra=True)
            for change in extra
            if change.on_date == day
        ]
    shown = [version for version in published if version.pk in version_ids]

    return DatedLessons(days=columns, lessons=lessons, versions=shown, years=years)


def lesson_card(lesson: DatedLesson) -> Card:
    card = _with_change(_entry_card(lesson.entry), lesson.change)
    card.is_extra = lesson.is_extra
    return card


def dated_week(
    *,
    school_id: int,
    monday: datetime.date,
    entries: Q,
    shift_ids: Iterable[int] | None = None,
    grade: int | None = None,
    substitute: User | None = None,
) -> DatedWeek:
    """The week from `monday` as a grid of dated lessons (see `dated_lessons`)."""
    found = dated_lessons(
        school_id=school_id,
        first=monday,
        last=monday + datetime.timedelta(days=SCHOOL_DAYS[-1]),
        entries=entries,
        grade=grade,
        substitute=substitute,
    )
    shift_numbers = dict(
        Shift.objects.filter(school_id=school_id).values_list("pk", "number")
    )
    grid = grid_build(
        cards=[
            (
                lesson.day.weekday(),
                lesson.entry.shift_id,
                lesson.entry.period,
                lesson_card(lesson),
            )
            for lesson in found.lessons
        ],
        bells=bells_of(school_id=school_id),
        shift_numbers=shift_numbers,
        shift_ids=shift_ids if shift_ids is not None else shift_numbers,
        columns=found.days,
    )

    return DatedWeek(monday=monday, grid=grid, versions=found.versions)


def pattern_grid(
    *,
    school_id: int,
    version: TimetableVersion | None,
    entries: Q,
    shift_ids: Iterable[int] | None = None,
) -> Grid:
    """A version's weekly timetable without dates, as it is printed."""
    found = []
    if version is not None:
        found = list(
            TimetableEntry.objects.filter(entries, version=version).select_related(
                *_ENTRY_RELATIONS
            )
        )
    shift_numbers = dict(
        Shift.objects.filter(school_id=school_id).values_list("pk", "number")
    )
    return grid_build(
        cards=[
            (entry.day, entry.shift_id, entry.period, _entry_card(entry))
            for entry in found
        ],
        bells=bells_of(school_id=school_id),
        shift_numbers=shift_numbers,
        shift_ids=shift_ids if shift_ids is not None else shift_numbers,
        columns=plain_columns(),
    )


def class_week(
    *, actor: Membership, school_class: SchoolClass, monday: datetime.date
) -> DatedWeek:
    return dated_week(
        school_id=actor.organisation_pk,
        monday=monday,
        entries=Q(school_class=school_class),
        shift_ids=[school_class.shift_id],
        grade=school_class.grade,
    )


def teacher_week(
    *, actor: Membership, teacher: User, monday: datetime.date
) -> DatedWeek:
    return dated_week(
        school_id=actor.organisation_pk,
        monday=monday,
        entries=Q(teacher=teacher),
        substitute=teacher,
    )


def room_week(*, actor: Membership, room: Room, monday: datetime.date) -> DatedWeek:
    return dated_week(
        school_id=actor.organisation_pk, monday=monday, entries=Q(room=room)
    )


def class_on(
    *, student: User, school_id: int, day: datetime.date
) -> SchoolClass | None:
    """The class of the school a student is enrolled in on a day."""
    enrolment = (
        Enrolment.objects.filter(
            student=student,
            school_class__year__school_id=school_id,
            starts_on__lte=day,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("school_class", "school_class__year", "school_class__shift")
        .order_by("-starts_on")
        .first()
    )
    return enrolment.school_class if enrolment else None


def student_scope(
    *, school_id: int, student: User, day: datetime.date
) -> tuple[SchoolClass | None, Q]:
    """A student's class on a day, and the entries they sit: the class's
    whole-class lessons and those of the groups they are in."""
    school_class = class_on(student=student, school_id=school_id, day=day)
    if school_class is None:
        return None, Q(pk__in=[])
    groups = SubgroupMember.objects.filter(
        student=student, subgroup__school_class=school_class, starts_on__lte=day
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    entries = Q(school_class=school_class) & (
        Q(subgroup__isnull=True) | Q(subgroup__in=groups.values("subgroup_id"))
    )
    return school_class, entries


def student_week(
    *, school_id: int, student: User, monday: datetime.date
) -> tuple[SchoolClass | None, DatedWeek]:
    """A student's week: their class's whole-class lessons and the lessons
    of their groups, with the day's changes."""
    friday = monday + datetime.timedelta(days=SCHOOL_DAYS[-1])
    school_class, entries = student_scope(
        school_id=school_id, student=student, day=friday
    )
    if school_class is None:
        school_class, entries = student_scope(
            school_id=school_id, student=student, day=monday
        )
    week = dated_week(
        school_id=school_id,
        monday=monday,
        entries=entries,
        shift_ids=[school_class.shift_id] if school_class else [],
        grade=school_class.grade if school_class else None,
    )
    return school_class, week


def children_of(*, actor: Membership) -> list[User]:
    """A parent's children who are students of the parent's school."""
    children = User.objects.filter(
        pk__in=Guardianship.objects.filter(guardian_id=actor.user_id).values(
            "child_id"
        ),
        memberships__organisation_id=actor.organisation_pk,
        memberships__role=Role.STUDENT,
        memberships__is_active=True,
    ).distinct()
    return sorted(children, key=person_key)


# Substitutions


def absences(*, actor: Membership) -> QuerySet[TeacherAbsence]:
    return (
        TeacherAbsence.objects.filter(school_id=actor.organisation_pk)
        .select_related("teacher", "created_by")
        .annotate(change_count=Count("changes"))
        .order_by("-starts_on", "-id")
    )


def absence_get(*, actor: Membership, absence_id: object) -> TeacherAbsence:
    return _get(absences(actor=actor), absence_id)


@dataclass
class AbsentLesson:
    """A dated lesson of an absent teacher with what has been decided."""

    day: datetime.date
    entry: TimetableEntry
    change: LessonChange | None


def absence_lessons(*, absence: TeacherAbsence) -> list[AbsentLesson]:
    """The absent teacher's lessons on school days of the absence."""
    school_id = absence.school_id
    published = published_versions(school_id=school_id)
    days = []
    day = absence.starts_on
    while day <= absence.ends_on:
        if day.weekday() in calendar.WORKING_WEEKDAYS:
            days.append(day)
        day += datetime.timedelta(days=1)
    in_effect = {day: version_on(published, day) for day in days}
    version_ids = {version.pk for version in in_effect.values() if version}
    entries = list(
        TimetableEntry.objects.filter(
            version_id__in=version_ids, teacher_id=absence.teacher_id
        )
        .select_related(*_ENTRY_RELATIONS, "shift", "version__year")
        .prefetch_related(
            Prefetch("version__year__quarters"), Prefetch("version__year__holidays")
        )
        .order_by("day", "shift__number", "period")
    )
    changes = {
        (change.entry_id, change.on_date): change
        for change in LessonChange.objects.filter(
            entry__in=entries, on_date__range=(absence.starts_on, absence.ends_on)
        ).select_related("substitute", "room")
    }
    found = []
    for day in days:
        version = in_effect[day]
        if version is None:
            continue
        for entry in entries:
            if entry.version_id != version.pk or entry.day != day.weekday():
                continue
            if not calendar.is_school_day(
                entry.version.year, day, entry.school_class.grade
            ):
                continue
            found.append(AbsentLesson(day, entry, changes.get((entry.pk, day))))

    return found


@dataclass
class Proposal:
    teacher: User
    week_hours: int
    day_lessons: int
    in_shift: bool
    """Already teaching in the lesson's shift that day (in the building)."""


def teachers_absent_on(*, school_id: int, day: datetime.date) -> set[int]:
    return set(
        TeacherAbsence.objects.filter(
            school_id=school_id, starts_on__lte=day, ends_on__gte=day
        ).values_list("teacher_id", flat=True)
    )


class SubstituteFinder:
    """Who could take an absent teacher's lessons on days from `first` to
    `last`, from data loaded once (a fixed number of queries).

    A candidate is a staff member with a file here, not absent that day, not
    marked unavailable at that time, and free at that time: no lesson of
    their own in any shift whose bells overlap, and no other substitution
    then. Qualified candidates may teach the lesson's subject
    (`StaffRecord.subjects`). Each list puts first those already teaching
    in the lesson's shift that day (they are in the building), then the
    least loaded (lessons a week in the timetable in effect, with the
    substitutions they take that week), then those with fewest lessons that
    day.
    """

    def __init__(
        self, *, actor: Membership, first: datetime.date, last: datetime.date
    ) -> None:
        school_id = actor.organisation_pk
        self.first = monday_of(first)
        self.last = monday_of(last) + datetime.timedelta(days=6)
        self.bells = bells_of(school_id=school_id)
        self.published = published_versions(school_id=school_id)
        self.records = staff_records_by_person(school_id=school_id)
        self.staff = {person.pk: person for person in school_staff(actor=actor)}

        dates = []
        date = self.first
        while date <= self.last:
            dates.append(date)
            date += datetime.timedelta(days=1)
        self.in_effect = {date: version_on(self.published, date) for date in dates}
        version_ids = {v.pk for v in self.in_effect.values() if v is not None}
        self.lessons: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
        for (
            version_id,
            teacher_id,
            day,
            shift_id,
            period,
        ) in TimetableEntry.objects.filter(
            version_id__in=version_ids, teacher__isnull=False
        ).values_list("version_id", "teacher_id", "day", "shift_id", "period"):
            self.lessons[version_id].append((teacher_id, day, shift_id, period))
        self.taken = list(
            LessonChange.objects.filter(
                on_date__range=(self.first, self.last),
                entry__version__year__school_id=school_id,
            ).values_list(
                "entry_id", "substitute_id", "on_date", "is_cancelled",
                "entry__shift_id", "entry__period",
            )
        )  # fmt: skip
        self.absences = list(
            TeacherAbsence.objects.filter(
                school_id=school_id, starts_on__lte=self.last, ends_on__gte=self.first
            ).values_list("teacher_id", "starts_on", "ends_on")
        )
        self.unavailable = list(
            TeacherUnavailability.objects.filter(year__school_id=school_id).values_list(
                "year_id", "teacher_id", "day", "shift_id", "period"
            )
        )

    def _overlaps(self, entry: TimetableEntry, shift_id: int, period: int) -> bool:
        if shift_id == entry.shift_id:
            return period == entry.period
        mine = self.bells.get((entry.shift_id, entry.period))
        theirs = self.bells.get((shift_id, period))
        return mine is not None and theirs is not None and mine.overlaps(theirs)

    def proposals(
        self, entry: TimetableEntry, day: datetime.date
    ) -> tuple[list[Proposal], list[Proposal]]:
        """Qualified candidates for a dated lesson, then other free ones."""
        version = self.in_effect.get(day)
        week = self.lessons.get(version.pk, []) if version else []
        week_start = monday_of(day)
        week_end = week_start + datetime.timedelta(days=6)

        hours: dict[int, int] = defaultdict(int)
        day_lessons: dict[int, int] = defaultdict(int)
        in_shift: set[int] = set()
        busy: set[int] = set()
        for teacher_id, weekday, shift_id, period in week:
            hours[teacher_id] += 1
            if weekday != day.weekday():
                continue
            day_lessons[teacher_id] += 1
            if shift_id == entry.shift_id:
                in_shift.add(teacher_id)
            if self._overlaps(entry, shift_id, period):
                busy.add(teacher_id)
        for _entry, teacher_id, on_date, cancelled, shift_id, period in self.taken:
            if teacher_id is None or cancelled or not week_start <= on_date <= week_end:
                continue
            hours[teacher_id] += 1
            if on_date == day:
                day_lessons[teacher_id] += 1
                if self._overlaps(entry, shift_id, period):
                    busy.add(teacher_id)
        for year_id, teacher_id, weekday, shift_id, period in self.unavailable:
            if (
                version is not None
                and year_id == version.year_id
                and weekday == day.weekday()
                and self._overlaps(entry, shift_id, period)
            ):
                busy.add(teacher_id)
        absent = {
            teacher_id
            for teacher_id, starts_on, ends_on in self.absences
            if starts_on <= day <= ends_on
        }

        qualified, others = [], []
        for person_id, person in self.staff.items():
            record = self.records.get(person_id)
            if (
                record is None
                or person_id == entry.teacher_id
                or person_id in absent
                or person_id in busy
            ):
                continue
            proposal = Proposal(
                teacher=person,
                week_hours=hours.get(person_id, 0),
                day_lessons=day_lessons.get(person_id, 0),
                in_shift=person_id in in_shift,
            )
            subjects = {subject.pk for subject in record.subjects.all()}
            if entry.load.subject_id in subjects:
                qualified.append(proposal)
            else:
                others.append(proposal)

        def order(proposal: Proposal):
            return (
                not proposal.in_shift,
                proposal.week_hours,
                proposal.day_lessons,
                person_key(proposal.teacher),
            )

        return sorted(qualified, key=order), sorted(others, key=order)


def substitute_proposals(
    *, actor: Membership, entry: TimetableEntry, day: datetime.date
) -> tuple[list[Proposal], list[Proposal]]:
    """Candidates for one dated lesson (see `SubstituteFinder`)."""
    return SubstituteFinder(actor=actor, first=day, last=day).proposals(entry, day)


def change_get(*, actor: Membership, change_id: object) -> LessonChange:
    return _get(
        LessonChange.objects.filter(
            entry__version__year__school_id=actor.organisation_pk
        ).select_related("entry", "entry__version", "substitute", "room", "absence"),
        change_id,
    )


def changes_on(*, actor: Membership, day: datetime.date) -> QuerySet[LessonChange]:
    """Every change of the school's lessons on one day."""
    return (
        LessonChange.objects.filter(
            entry__version__year__school_id=actor.organisation_pk, on_date=day
        )
        .select_related(
            "substitute",
            "room",
            "entry__shift",
            *(f"entry__{name}" for name in _ENTRY_RELATIONS),
        )
        .order_by("entry__shift__number", "entry__period", "entry__school_class__grade")
    )


# Notices and calendar feeds


def notices(*, actor: Membership, limit: int = 20) -> list[Notice]:
    return list(
        Notice.objects.filter(person_id=actor.user_id, school_id=actor.organisation_pk)
        .select_related(
            "version",
            "change",
            "change__substitute",
            "change__room",
            "change__entry",
            "change__entry__load__subject",
            "change__entry__school_class",
            "change__entry__subgroup",
            "change__entry__teacher",
        )
        .order_by("-created_at", "-id")[:limit]
    )


def _lesson_words(entry: TimetableEntry) -> str:
    audience = str(entry.school_class)
    if entry.subgroup is not None:
        audience = _("%(class)s, group %(number)d") % {
            "class": audience,
            "number": entry.subgroup.number,
        }
    return _("%(subject)s, %(audience)s") % {
        "subject": entry.load.subject.name,
        "audience": audience,
    }


def notice_text(notice: Notice) -> dict[str, object]:
    """A notice as a sentence in the active language, with the week it is
    about (a Monday) and whether it has been read."""
    monday = None
    text = ""
    if notice.kind == NoticeKind.WEEK_CHANGED and notice.version is not None:
        day = notice.version.takes_effect_on
        monday = monday_of(day) if day else None
        text = _("A new timetable takes effect on %(date)s, and your week changes.") % {
            "date": formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""
        }
    elif notice.change is not None:
        change = notice.change
        entry = change.entry
        monday = monday_of(change.on_date)
        values = {
            "date": formats.date_format(change.on_date, "SHORT_DATE_FORMAT"),
            "period": entry.period,
            "lesson": _lesson_words(entry),
            "teacher": (
                change.substitute.short_name if change.substitute is not None else ""
            ),
            "room": change.room.name if change.room is not None else "",
        }
        if notice.kind == NoticeKind.SUBSTITUTION:
            text = (
                _(
                    "On %(date)s you teach lesson %(period)d (%(lesson)s) for an "
                    "absent colleague."
                )
                % values
            )
        elif change.is_cancelled:
            text = _("On %(date)s lesson %(period)d (%(lesson)s) is cancelled.") % (
                values
            )
        elif change.substitute_id and change.room_id:
            text = (
                _(
                    "On %(date)s lesson %(period)d (%(lesson)s) is taught by "
                    "%(teacher)s in room %(room)s."
                )
                % values
            )
        elif change.substitute_id:
            text = (
                _(
                    "On %(date)s lesson %(period)d (%(lesson)s) is taught by "
                    "%(teacher)s."
                )
                % values
            )
        else:
            text = (
                _(
                    "On %(date)s lesson %(period)d (%(lesson)s) is held in room "
                    "%(room)s."
                )
                % values
            )
        if change.note:
            text = _("%(text)s Note: %(note)s") % {"text": text, "note": change.note}

    return {"text": text, "monday": monday, "is_new": notice.read_at is None}


def calendar_feed_of(*, actor: Membership) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(membership=actor).first()


def calendar_feed_by_token(token: str) -> CalendarFeed:
    """The feed with a secret; an unknown secret or an ended role is missing."""
    feed = (
        CalendarFeed.objects.filter(token=token, membership__is_active=True)
        .select_related("membership", "membership__user", "membership__organisation")
        .first()
    )
    if feed is None or len(token) < 20:
        raise Http404
    return feed
