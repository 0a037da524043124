"""Reads about a school's frame, always narrowed to the actor's school.

An object of another school raises Http404, exactly like a missing one.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from sabaq.accounts.models import Membership, Role, User
from sabaq.people.models import Enrolment
from sabaq.people.selectors import class_students
from sabaq.schools.alphabet import person_key
from sabaq.schools.models import (
    Holiday,
    InstructionLanguage,
    LessonLength,
    Quarter,
    Room,
    SchoolClass,
    SchoolSubject,
    SchoolYear,
    Shift,
    Subgroup,
    SubgroupMember,
    Subject,
    SubjectArea,
    YearStatus,
)

CLASS_SIZE_NORM = 25
"""The sanitary rules' largest class; bigger classes are allowed with a warning."""

SPLIT_THRESHOLD = 24
SPLIT_THRESHOLD_SMALL_SCHOOL = 16
"""Students from which the state standard splits a class (ГОСО, Order No. 348)."""

GRADUATION_GRADE = 11
"""Students of this grade and above finish school at the year's end."""


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


def day_in_year(year: SchoolYear, today: datetime.date | None = None) -> datetime.date:
    """Today, moved into the year: its first day before it, its last after it.

    Pages of a year show who is in a class on this day.
    """
    day = today or timezone.localdate()
    return min(max(day, year.starts_on), year.ends_on)


# School years


def school_years(*, actor: Membership) -> QuerySet[SchoolYear]:
    return (
        SchoolYear.objects.filter(school_id=actor.organisation_pk)
        .prefetch_related(
            Prefetch("quarters", queryset=Quarter.objects.order_by("number")),
            "holidays",
            Prefetch(
                "lesson_lengths",
                queryset=LessonLength.objects.order_by("starts_on", "grade_from"),
            ),
        )
        .annotate(class_count=Count("classes"))
        .order_by("-starts_on")
    )


def school_year_get(*, actor: Membership, year_id: object) -> SchoolYear:
    """A year of the actor's school with its calendar loaded."""
    return _get(school_years(actor=actor), year_id)


def current_year(
    *, actor: Membership, today: datetime.date | None = None
) -> SchoolYear | None:
    """The year that includes today; else the latest open one; else the latest."""
    day = today or timezone.localdate()
    years = list(school_years(actor=actor))
    for year in years:
        if year.starts_on <= day <= year.ends_on:
            return year
    open_years = [year for year in years if year.status == YearStatus.OPEN]
    candidates = open_years or years

    return candidates[0] if candidates else None


def latest_year(*, actor: Membership) -> SchoolYear | None:
    return school_years(actor=actor).first()


# Shifts and bells


def shifts(*, actor: Membership) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(school_id=actor.organisation_pk)
        .prefetch_related("periods")
        .annotate(class_count=Count("classes", distinct=True))
        .order_by("number")
    )


def shift_get(*, actor: Membership, shift_id: object) -> Shift:
    return _get(shifts(actor=actor), shift_id)


# Rooms


def rooms(*, actor: Membership, active_only: bool = False) -> QuerySet[Room]:
    found = Room.objects.filter(school_id=actor.organisation_pk).prefetch_related(
        Prefetch("shifts", queryset=Shift.objects.order_by("number"))
    )
    if active_only:
        found = found.filter(is_active=True)

    return found.order_by("name")


def room_get(*, actor: Membership, room_id: object) -> Room:
    return _get(rooms(actor=actor), room_id)


# Subjects


def _name_order() -> str:
    language = (get_language() or "kk")[:2]
    return f"name_{language}" if language in ("kk", "ru", "en") else "name_kk"


def school_subjects(*, actor: Membership) -> QuerySet[Subject]:
    """The subjects the actor's school teaches, in the viewer's language order."""
    return Subject.objects.filter(
        pk__in=SchoolSubject.objects.filter(school_id=actor.organisation_pk).values(
            "subject_id"
        )
    ).order_by(_name_order(), "code")


def subjects_to_pick(*, actor: Membership) -> QuerySet[Subject]:
    """The national list and the school's own subjects, each marked `is_taught`."""
    school_id = actor.organisation_pk
    taught = SchoolSubject.objects.filter(school_id=school_id, subject=OuterRef("pk"))
    return (
        Subject.objects.filter(Q(school__isnull=True) | Q(school_id=school_id))
        .annotate(is_taught=Exists(taught))
        .order_by(_name_order(), "code")
    )


def subject_get(*, actor: Membership, subject_id: object) -> Subject:
    """A national subject or one of the actor's school's own."""
    return _get(subjects_to_pick(actor=actor), subject_id)


def own_subject_get(*, actor: Membership, subject_id: object) -> Subject:
    """A subject the actor's school added itself (national ones are not edited)."""
    return _get(Subject.objects.filter(school_id=actor.organisation_pk), subject_id)


# People the forms offer


def school_teachers(*, actor: Membership) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Membership.objects.filter(
            organisation_id=actor.organisation_pk,
            role=Role.TEACHER,
            is_active=True,
        ).values("user_id")
    ).order_by("surname", "name", "patronymic")


# Classes


def _student_count_at(day: datetime.date) -> Count:
    # One Count with one filter keeps the date conditions on the same
    # enrolment row (two .filter() calls would join enrolments twice).
    current = Q(enrolments__starts_on__lte=day) & (
        Q(enrolments__ends_on__isnull=True) | Q(enrolments__ends_on__gte=day)
    )
    return Count("enrolments__student", filter=current, distinct=True)


def classes(
    *, actor: Membership, year: SchoolYear, on_date: datetime.date | None = None
) -> QuerySet[SchoolClass]:
    """The classes of one year with `student_count` on a day of that year."""
    day = on_date or day_in_year(year)
    return (
        SchoolClass.objects.filter(year=year, year__school_id=actor.organisation_pk)
        .select_related("year", "shift", "class_teacher", "home_room")
        .annotate(
            student_count=_student_count_at(day),
            subgroup_count=Count("subgroups", distinct=True),
        )
        .order_by("grade", "letter")
    )


def class_get(*, actor: Membership, class_id: object) -> SchoolClass:
    return _get(
        SchoolClass.objects.filter(year__school_id=actor.organisation_pk)
        .select_related("year", "year__school", "shift", "class_teacher", "home_room")
        .prefetch_related("year__quarters"),
        class_id,
    )


def _check_own(actor: Membership, school_class: SchoolClass) -> None:
    if school_class.year.school_id != actor.organisation_pk:
        raise Http404


def students_of_class(
    *,
    actor: Membership,
    school_class: SchoolClass,
    on_date: datetime.date | None = None,
) -> list[User]:
    """The students of a class on a day, in Kazakh alphabetical order."""
    _check_own(actor, school_class)
    day = on_date or day_in_year(school_class.year)
    return sorted(
        class_students(school_class=school_class, on_date=day), key=person_key
    )


@dataclass
class SubjectSplit:
    """A class's subgroups for one subject, with who is where on a day."""

    subject: Subject
    groups: list[Subgroup]
    unassigned: list[User] = field(default_factory=list)
    """Students of the class who are in none of the groups on that day."""

    @property
    def group_of(self) -> dict[int, Subgroup]:
        return {
            member.student_id: group
            for group in self.groups
            for member in _current_members(group)
        }


def _current_members(subgroup: Subgroup) -> list[SubgroupMember]:
    # Set by the `_members_on` prefetch, which the model does not declare.
    return subgroup.current_members  # type: ignore[attr-defined]


def _members_on(day: datetime.date) -> Prefetch:
    return Prefetch(
        "members",
        queryset=SubgroupMember.objects.filter(starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("student"),
        to_attr="current_members",
    )


def class_splits(
    *,
    actor: Membership,
    school_class: SchoolClass,
    students: list[User],
    on_date: datetime.date | None = None,
) -> list[SubjectSplit]:
    """The class's subgroups, subject by subject, with members on a day."""
    _check_own(actor, school_class)
    day = on_date or day_in_year(school_class.year)
    subgroups = (
        Subgroup.objects.filter(school_class=school_class)
        .select_related("subject", "teacher")
        .prefetch_related(_members_on(day))
        .order_by("subject_id", "number")
    )
    splits: dict[int, SubjectSplit] = {}
    for subgroup in subgroups:
        members = _current_members(subgroup)
        members.sort(key=lambda m: person_key(m.student))
        split = splits.setdefault(
            subgroup.subject_id, SubjectSplit(subject=subgroup.subject, groups=[])
        )
        split.groups.append(subgroup)
    for split in splits.values():
        placed = split.group_of
        split.unassigned = [s for s in students if s.pk not in placed]

    return sorted(splits.values(), key=lambda split: split.subject.name)


def class_split_get(
    *,
    actor: Membership,
    school_class: SchoolClass,
    subject_id: object,
    students: list[User],
) -> SubjectSplit:
    wanted = _pk(subject_id)
    splits = class_splits(actor=actor, school_class=school_class, students=students)
    for split in splits:
        if split.subject.pk == wanted:
            return split
    raise Http404


def _split_is_asked_for(subject: Subject, school_class: SchoolClass) -> bool:
    # The state standard's list (ГОСО, Order No. 348; domain-kz.md §3.5).
    grade = school_class.grade
    if not subject.grade_from <= grade <= subject.grade_to:
        return False
    if subject.area == SubjectArea.KAZAKH:
        return school_class.language != InstructionLanguage.KAZAKH
    if subject.area == SubjectArea.FOREIGN:
        return True
    if subject.area == SubjectArea.INFORMATICS:
        return grade >= 2
    if subject.area == SubjectArea.ART_WORK:
        # Art work is on the list of basic secondary school (grades 5-9).
        return grade >= 5

    return False


def split_threshold(school) -> int:
    return SPLIT_THRESHOLD_SMALL_SCHOOL if school.is_small_school else SPLIT_THRESHOLD


def split_suggestions(
    *,
    actor: Membership,
    school_class: SchoolClass,
    student_count: int,
    split_subject_ids: set[int],
) -> list[Subject]:
    """Subjects the state standard splits for this class that are not split yet."""
    _check_own(actor, school_class)
    if student_count < split_threshold(school_class.year.school):
        return []

    return [
        subject
        for subject in school_subjects(actor=actor)
        if subject.pk not in split_subject_ids
        and _split_is_asked_for(subject, school_class)
    ]


# Subgroups


def subgroups(
    *,
    actor: Membership,
    year: SchoolYear | None = None,
    school_class: SchoolClass | None = None,
    on_date: datetime.date | None = None,
) -> QuerySet[Subgroup]:
    """Subgroups of the actor's school with `current_members` on a day."""
    found = Subgroup.objects.filter(school_class__year__school_id=actor.organisation_pk)
    if year is not None:
        found = found.filter(school_class__year=year)
    if school_class is not None:
        found = found.filter(school_class=school_class)
    day = on_date or (day_in_year(year) if year is not None else timezone.localdate())

    return (
        found.select_related(
            "school_class", "school_class__year", "subject", "teacher"
        )
        .prefetch_related(_members_on(day))
        .order_by(
            "school_class__year", "school_class__grade", "school_class__letter",
            "subject__code", "number",
        )
    )  # fmt: skip


def subgroup_get(*, actor: Membership, subgroup_id: object) -> Subgroup:
    return _get(
        Subgroup.objects.filter(
            school_class__year__school_id=actor.organisation_pk
        ).select_related("school_class", "school_class__year", "subject", "teacher"),
        subgroup_id,
    )


def subgroup_members(*, subgroup: Subgroup) -> QuerySet[SubgroupMember]:
    """Everyone who has been in a subgroup, with their dates."""
    return subgroup.members.select_related("student").order_by(
        "starts_on", "student__surname", "student__name"
    )


# Year rollover


@dataclass
class RolloverClass:
    """What the rollover does with one class and its current students."""

    school_class: SchoolClass
    students: list[User]
    leaving: list[User]
    """Still enrolled but no longer students of the school: their enrolment ends."""

    @property
    def graduates(self) -> bool:
        return self.school_class.grade >= GRADUATION_GRADE

    @property
    def next_grade(self) -> int | None:
        return None if self.graduates else self.school_class.grade + 1


@dataclass
class RolloverPlan:
    year: SchoolYear
    classes: list[RolloverClass]

    @property
    def moving(self) -> list[RolloverClass]:
        return [entry for entry in self.classes if not entry.graduates]

    @property
    def graduating(self) -> list[RolloverClass]:
        return [entry for entry in self.classes if entry.graduates]

    @property
    def student_count(self) -> int:
        return sum(len(entry.students) for entry in self.moving)

    @property
    def graduate_count(self) -> int:
        return sum(len(entry.students) for entry in self.graduating)

    @property
    def leaving_count(self) -> int:
        return sum(len(entry.leaving) for entry in self.classes)


def rollover_plan(*, actor: Membership, year: SchoolYear) -> RolloverPlan:
    """Every class of a year with the students it holds now (open enrolments)."""
    if year.school_id != actor.organisation_pk:
        raise Http404
    year_classes = list(
        SchoolClass.objects.filter(year=year)
        .select_related("shift", "class_teacher", "home_room")
        .order_by("grade", "letter")
    )
    enrolments = Enrolment.objects.filter(
        school_class__year=year, ends_on__isnull=True
    ).select_related("student")
    students_here = set(
        Membership.objects.filter(
            organisation_id=year.school_id, role=Role.STUDENT, is_active=True
        ).values_list("user_id", flat=True)
    )
    by_class: dict[int, list[User]] = {}
    for enrolment in enrolments:
        by_class.setdefault(enrolment.school_class_id, []).append(enrolment.student)

    entries = []
    for school_class in year_classes:
        enrolled = sorted(by_class.get(school_class.pk, []), key=person_key)
        entries.append(
            RolloverClass(
                school_class=school_class,
                students=[s for s in enrolled if s.pk in students_here],
                leaving=[s for s in enrolled if s.pk not in students_here],
            )
        )

    return RolloverPlan(year=year, classes=entries)


# Rows inside a year


def holiday_get(*, actor: Membership, holiday_id: object) -> Holiday:
    return _get(
        Holiday.objects.filter(year__school_id=actor.organisation_pk).select_related(
            "year"
        ),
        holiday_id,
    )


def lesson_length_get(*, actor: Membership, rule_id: object) -> LessonLength:
    return _get(
        LessonLength.objects.filter(
            year__school_id=actor.organisation_pk
        ).select_related("year"),
        rule_id,
    )
