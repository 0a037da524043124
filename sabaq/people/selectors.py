"""Reads about students, staff and guardians, scoped to the actor's school.

Every list loads its relations up front (one query per relation, never one
per row), so a page's query count does not grow with the school.
"""

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Count, Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sabaq.accounts.models import STAFF_ROLES, Membership, Role, User
from sabaq.core.models import AuditEntry
from sabaq.orgs.models import Organisation, OrganisationKind
from sabaq.people.models import Enrolment, Guardianship, StaffRecord, StudentRecord
from sabaq.schools.models import (
    SchoolClass,
    SchoolSubject,
    SchoolYear,
    Subject,
    YearStatus,
)

_Row = TypeVar("_Row", bound=Model)

# How far ahead the deputy head is told of a coming attestation: six months.
ATTESTATION_NOTICE_DAYS = 183


def _as_id(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise Http404 from None


def prefetched_first(obj: object, attribute: str) -> Any:
    """The first of the rows a selector prefetched onto `obj`, or None."""
    rows = getattr(obj, attribute, None) or []
    return rows[0] if rows else None


# Parents


def children_in_school(*, actor: Membership) -> QuerySet[User]:
    """The children of a parent who study in the school of the parent's role."""
    return (
        User.objects.filter(
            guardians__guardian_id=actor.user_id,
            memberships__organisation_id=actor.organisation_pk,
            memberships__role=Role.STUDENT,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("surname", "name")
    )


# School years and classes


def current_school_year(
    *, school_id: int, today: datetime.date | None = None
) -> SchoolYear | None:
    """The year that includes today; else the latest open one; else the latest.

    The same choice as `schools.selectors.current_year`, which cannot be
    imported here: the schools app reads class lists from this module.
    """
    day = today or timezone.localdate()
    years = SchoolYear.objects.filter(school_id=school_id).order_by("-starts_on")

    return (
        years.filter(starts_on__lte=day, ends_on__gte=day).first()
        or years.filter(status=YearStatus.OPEN).first()
        or years.first()
    )


def school_classes(
    *, actor: Membership, year: SchoolYear | None = None
) -> QuerySet[SchoolClass]:
    """The classes of the current school year, with their current head count."""
    year = year or current_school_year(school_id=actor.organisation_pk)
    if year is None or year.school_id != actor.organisation_pk:
        return SchoolClass.objects.none()

    return (
        SchoolClass.objects.filter(year=year)
        .select_related("year")
        .annotate(
            student_count=Count(
                "enrolments", filter=Q(enrolments__ends_on__isnull=True)
            )
        )
        .order_by("grade", "letter")
    )


def class_students(
    *, school_class: SchoolClass, on_date: datetime.date | None = None
) -> QuerySet[User]:
    """Students enrolled in a class on a date (today when not given)."""
    day = on_date or timezone.localdate()
    # One filter() call, so that every condition applies to the same
    # enrolment row (two calls would join the enrolments twice).
    return (
        User.objects.filter(
            Q(enrolments__ends_on__isnull=True) | Q(enrolments__ends_on__gte=day),
            enrolments__school_class=school_class,
            enrolments__starts_on__lte=day,
        )
        .distinct()
        .order_by("surname", "name", "patronymic")
    )


# Students


def _active_role_holders(school_id: int, roles: frozenset[str] | set[str]):
    return Membership.objects.filter(
        organisation_id=school_id, role__in=roles, is_active=True
    ).values("user_id")


def _current_enrolments_here(school_id: int) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        ends_on__isnull=True, school_class__year__school_id=school_id
    )


def _word_matches(word: str, fields: list[str]) -> Q:
    """Any of the fields contains the word, whatever its letter case.

    SQLite folds the case of Latin letters only; the spellings people type
    (all small, all capitals, a capital first) cover Kazakh and Russian there.
    PostgreSQL folds Cyrillic itself.
    """
    spellings = {word, word.lower(), word.upper(), word.capitalize()}
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": word})
        for spelling in spellings - {word}:
            condition |= Q(**{f"{field}__contains": spelling})
    return condition


def _search(rows: QuerySet[_Row], search: str, prefix: str = "") -> QuerySet[_Row]:
    """Rows whose person (`prefix` leads to them) matches every word."""
    names = [f"{prefix}surname", f"{prefix}name", f"{prefix}patronymic"]
    for word in search.split()[:5]:
        rows = rows.filter(
            _word_matches(word, names) | Q(**{f"{prefix}iin__startswith": word})
        )
    return rows


def school_students(
    *,
    actor: Membership,
    school_class_id: int | None = None,
    without_class: bool = False,
    search: str = "",
) -> QuerySet[User]:
    """The school's current students, each with `open_records` (their file
    here, if any) and `current_enrolments` (their class here, if any)."""
    school_id = actor.organisation_pk
    students = User.objects.filter(
        pk__in=_active_role_holders(school_id, {Role.STUDENT})
    ).prefetch_related(
        Prefetch(
            "student_records",
            queryset=StudentRecord.objects.filter(
                school_id=school_id, is_archived=False
            ),
            to_attr="open_records",
        ),
        Prefetch(
            "enrolments",
            queryset=_current_enrolments_here(school_id).select_related("school_class"),
            to_attr="current_enrolments",
        ),
    )
    if school_class_id is not None:
        students = students.filter(
            pk__in=_current_enrolments_here(school_id)
            .filter(school_class_id=school_class_id)
            .values("student_id")
        )
    if without_class:
        students = students.exclude(
            pk__in=_current_enrolments_here(school_id).values("student_id")
        )

    return _search(students, search).order_by("surname", "name", "patronymic")


def student_counts(*, actor: Membership) -> dict[str, int]:
    """How many students study here, how many have no class, how many left."""
    school_id = actor.organisation_pk
    students = User.objects.filter(
        pk__in=_active_role_holders(school_id, {Role.STUDENT})
    ).annotate(
        in_class=Exists(
            _current_enrolments_here(school_id).filter(student_id=OuterRef("pk"))
        )
    )
    totals = students.aggregate(
        current=Count("pk"), without_class=Count("pk", filter=Q(in_class=False))
    )
    archived = StudentRecord.objects.filter(school_id=school_id, is_archived=True)

    return {
        "current": totals["current"],
        "without_class": totals["without_class"],
        "archived": archived.count(),
    }


def archived_student_records(
    *, actor: Membership, search: str = ""
) -> QuerySet[StudentRecord]:
    """Files of students who left the school: read-only, newest first."""
    records = StudentRecord.objects.filter(
        school_id=actor.organisation_pk, is_archived=True
    ).select_related("student", "transferred_to")
    records = _search(records, search, prefix="student__")

    return records.order_by("-withdrawn_on", "student__surname", "student__name")


def student_get(*, actor: Membership, student_id: object) -> User:
    """A student of the actor's school, current or one who left it.

    Anyone else is reported as missing, so ids of other schools' students
    cannot be probed.
    """
    school_id = actor.organisation_pk
    pk = _as_id(student_id)
    is_here = Q(pk__in=_active_role_holders(school_id, {Role.STUDENT})) | Q(
        pk__in=StudentRecord.objects.filter(school_id=school_id).values("student_id")
    )
    try:
        return User.objects.filter(is_here).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def is_current_student(*, actor: Membership, student: User) -> bool:
    return Membership.objects.filter(
        user=student,
        organisation_id=actor.organisation_pk,
        role=Role.STUDENT,
        is_active=True,
    ).exists()


def student_record_for(*, actor: Membership, student: User) -> StudentRecord | None:
    """The student's file here: the open one, else the newest archived one."""
    return (
        StudentRecord.objects.filter(school_id=actor.organisation_pk, student=student)
        .select_related("transferred_to", "school")
        .order_by("is_archived", "-withdrawn_on", "-pk")
        .first()
    )


def student_guardianships(
    *, actor: Membership, student: User
) -> QuerySet[Guardianship]:
    return (
        Guardianship.objects.filter(child=student)
        .select_related("guardian")
        .order_by("guardian__surname", "guardian__name")
    )


def student_guardianship_get(
    *, actor: Membership, student: User, guardian_id: object
) -> Guardianship:
    try:
        return student_guardianships(actor=actor, student=student).get(
            guardian_id=_as_id(guardian_id)
        )
    except Guardianship.DoesNotExist:
        raise Http404 from None


def student_enrolments(
    *, actor: Membership, student: User, until: datetime.date | None = None
) -> QuerySet[Enrolment]:
    """The student's classes in every school on Sabaq, oldest first.

    A school the student has left passes `until` (the day they left): it
    sees the history up to then, not their classes in the new school.
    """
    enrolments = Enrolment.objects.filter(student=student)
    if until is not None:
        enrolments = enrolments.filter(starts_on__lt=until)

    return enrolments.select_related("school_class__year__school").order_by(
        "starts_on", "pk"
    )


def student_schools(
    *, actor: Membership, student: User, until: datetime.date | None = None
) -> QuerySet[StudentRecord]:
    """The student's files in every school on Sabaq: where they studied when.

    Only the school, the dates and where they went are shown from another
    school's file; its contents stay that school's. `until` as above.
    """
    records = StudentRecord.objects.filter(student=student)
    if until is not None:
        records = records.filter(
            Q(school_id=actor.organisation_pk)
            | Q(admitted_on__lt=until)
            | Q(admitted_on__isnull=True, withdrawn_on__lt=until)
        )

    return records.select_related("school", "transferred_to").order_by(
        "admitted_on", "pk"
    )


def file_history(
    *,
    actor: Membership,
    person: User,
    records: list[StudentRecord] | list[StaffRecord],
    limit: int = 100,
) -> list[AuditEntry]:
    """The actor's school's audit entries about a person and their files."""
    about = Q(target_type=User._meta.label_lower, target_id=str(person.pk))
    if records:
        about |= Q(
            target_type=records[0]._meta.label_lower,
            target_id__in=[str(record.pk) for record in records],
        )

    return list(
        AuditEntry.objects.filter(about, school_id=actor.organisation_pk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


# Transfers


def destination_schools(
    *, actor: Membership, search: str = "", limit: int = 200
) -> QuerySet[Organisation]:
    """Schools a student can be transferred to: by name anywhere on Sabaq,
    or without a search the schools of the actor's region (at most `limit`;
    with `limit=0` every other school, for checking a choice)."""
    school = Organisation.objects.select_related("parent").get(pk=actor.organisation_pk)
    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL).exclude(
        pk=school.pk
    )
    if not limit:
        return schools
    words = search.split()[:5]
    for word in words:
        schools = schools.filter(_word_matches(word, ["name_kk", "name_ru", "name_en"]))
    if not words:
        region_id = school.parent.parent_id if school.parent else None
        schools = schools.filter(parent__parent_id=region_id)
    shown = list(schools.order_by("name_kk").values_list("pk", flat=True)[:limit])

    return Organisation.objects.filter(pk__in=shown).order_by("name_kk")


# Staff


def staff_members(*, actor: Membership, search: str = "") -> QuerySet[User]:
    """The school's staff, each with `school_memberships` (roles here) and
    `staff_files` (their file here with its subjects, if any)."""
    school_id = actor.organisation_pk
    people = User.objects.filter(
        pk__in=_active_role_holders(school_id, STAFF_ROLES)
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(
                organisation_id=school_id, is_active=True
            ).order_by("role"),
            to_attr="school_memberships",
        ),
        Prefetch(
            "staff_records",
            queryset=StaffRecord.objects.filter(school_id=school_id).prefetch_related(
                "subjects"
            ),
            to_attr="staff_files",
        ),
    )

    return _search(people, search).order_by("surname", "name", "patronymic")


def staff_member_get(*, actor: Membership, staff_id: object) -> User:
    """A staff member of the actor's school; anyone else is missing."""
    try:
        return staff_members(actor=actor).get(pk=_as_id(staff_id))
    except User.DoesNotExist:
        raise Http404 from None


def staff_record_for(*, actor: Membership, person: User) -> StaffRecord | None:
    return (
        StaffRecord.objects.filter(school_id=actor.organisation_pk, person=person)
        .prefetch_related("subjects")
        .first()
    )


def is_school_head(*, school_id: int, person: User) -> bool:
    """Director and deputy heads are attested every 3 years, not every 5."""
    return Membership.objects.filter(
        user=person,
        organisation_id=school_id,
        role__in=[Role.DIRECTOR, Role.DEPUTY_HEAD],
        is_active=True,
    ).exists()


def attestations_due(
    *,
    actor: Membership,
    within_days: int = ATTESTATION_NOTICE_DAYS,
    today: datetime.date | None = None,
) -> QuerySet[StaffRecord]:
    """Staff files whose attestation is due within the days given, or overdue.

    The deputy head is told six months ahead, time to send the papers.
    """
    day = today or timezone.localdate()
    school_id = actor.organisation_pk

    return (
        StaffRecord.objects.filter(
            school_id=school_id,
            attestation_due_on__isnull=False,
            attestation_due_on__lte=day + datetime.timedelta(days=within_days),
            left_on__isnull=True,
            person_id__in=_active_role_holders(school_id, STAFF_ROLES),
        )
        .select_related("person")
        .order_by("attestation_due_on", "person__surname", "person__name")
    )


def subjects_for_staff(
    *, actor: Membership, taught_only: bool = False, keep: Iterable[Subject] = ()
) -> list[Subject]:
    """Subjects a teacher may be given, by name in the viewer's language.

    With `taught_only`, the subjects the school has chosen to teach, when it
    has chosen any (plus those in `keep`, already given to someone); else
    the national list and the school's own subjects.
    """
    school_id = actor.organisation_pk
    subjects = Subject.objects.filter(Q(school__isnull=True) | Q(school_id=school_id))
    if taught_only:
        taught = SchoolSubject.objects.filter(school_id=school_id)
        if taught.exists():
            subjects = subjects.filter(
                Q(pk__in=taught.values("subject_id"))
                | Q(pk__in=[subject.pk for subject in keep])
            )

    return sorted(subjects, key=lambda subject: subject.name.casefold())
