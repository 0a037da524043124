"""Writes about students, staff and guardians: personal files, guardians,
classes, transfers and exports.

Every function here is for the director and deputy heads of the school the
file belongs to, runs in one transaction, validates before it writes (a
ValidationError keyed by field leaves everything as it was) and leaves an
audit entry with the values before and after. Imports are in `imports.py`.
"""

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sabaq.accounts.models import (
    SCHOOL_ADMIN_ROLES,
    STAFF_ROLES,
    Membership,
    Role,
    User,
)
from sabaq.accounts.services import (
    membership_add,
    person_create,
    person_update,
)
from sabaq.core.errors import ApplicationError
from sabaq.core.excel import workbook_bytes
from sabaq.core.models import AuditEntry
from sabaq.core.services import audit_actions_register, audit_record, snapshot
from sabaq.core.validators import normalize_phone, parse_iin
from sabaq.orgs.models import Organisation, OrganisationKind
from sabaq.people import selectors
from sabaq.people.models import (
    Enrolment,
    Guardianship,
    HealthGroup,
    Relation,
    StaffRecord,
    StudentRecord,
)
from sabaq.schools.models import SchoolClass, Subject

logger = logging.getLogger(__name__)

audit_actions_register(
    {
        "people.guardian_link": gettext_lazy("Guardian linked to a child"),
        "people.guardian_unlink": gettext_lazy("Guardian unlinked from a child"),
        "people.enrolment_add": gettext_lazy("Student enrolled in a class"),
        "people.enrolment_end": gettext_lazy("Student left a class"),
        "people.student_record_create": gettext_lazy("Student's file opened"),
        "people.student_record_update": gettext_lazy("Student's file changed"),
        "people.student_transfer_out": gettext_lazy("Student left the school"),
        "people.student_transfer_in": gettext_lazy("Student came from another school"),
        "people.staff_record_create": gettext_lazy("Staff file opened"),
        "people.staff_record_update": gettext_lazy("Staff file changed"),
        "people.personal_data_export": gettext_lazy("Personal data exported"),
        "people.students_import": gettext_lazy("Students imported"),
        "people.staff_import": gettext_lazy("Staff imported"),
        "people.guardians_import": gettext_lazy("Guardians imported"),
    }
)

# What the student's file keeps besides the account (names, IIN, phone).
STUDENT_RECORD_FIELDS = [
    "file_number",
    "birth_date",
    "sex",
    "address",
    "citizenship",
    "language",
    "health_group",
    "special_needs",
    "social_category",
    "admitted_on",
    "admission_order",
    "admitted_from",
]
WITHDRAWAL_FIELDS = [
    "withdrawn_on",
    "withdrawal_order",
    "withdrawal_destination",
    "transferred_to",
    "is_archived",
]
# Copied into the new school's file when a student moves within Sabaq; the
# file number and the admission order are the new school's own.
TRANSFER_COPIED_FIELDS = [
    "birth_date",
    "sex",
    "address",
    "citizenship",
    "language",
    "health_group",
    "special_needs",
    "social_category",
]
ACCOUNT_FIELDS = ["surname", "name", "patronymic", "iin", "phone"]
STAFF_RECORD_FIELDS = [
    "position",
    "category",
    "category_given_on",
    "attestation_due_on",
    "education",
    "hired_on",
    "load_rate",
]
# Qualification attestation: every 5 years, heads of schools every 3 (Law
# on the status of a teacher, art. 15; Law on education, art. 44).
ATTESTATION_YEARS = 5
HEAD_ATTESTATION_YEARS = 3
LOAD_RATE_MIN = Decimal("0.5")
LOAD_RATE_MAX = Decimal("40")
# Bulk exports of personal data are rate-limited per person (requirement 28).
EXPORTS_PER_HOUR = 10

Errors = dict[str, list[str]]


# Checks shared by every service


def _school_id_of_admin(actor: Membership) -> int:
    """The actor's school, if the actor keeps its files; else refuse."""
    if actor.role not in SCHOOL_ADMIN_ROLES:
        raise PermissionDenied
    return actor.organisation_pk


def _school(actor: Membership) -> Organisation:
    if actor.organisation is None:
        raise PermissionDenied
    return actor.organisation


def _has_role(person: User, school_id: int, roles: Iterable[str]) -> bool:
    return Membership.objects.filter(
        user=person, organisation_id=school_id, role__in=list(roles), is_active=True
    ).exists()


def _day(value: datetime.date) -> str:
    return date_format(value, "d.m.Y")


def _add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _merge_model_errors(
    errors: Errors, instance: models.Model, exclude: list[str]
) -> None:
    """Add the field checks a model knows (lengths, choices), without queries,
    for the fields that have no message yet."""
    try:
        instance.full_clean(
            exclude=exclude, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, list(messages))


def _raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day some years later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# Cleaning a student's file (shared with the import)


@dataclass(frozen=True)
class StudentFields:
    """A student's account fields and file fields, checked and normalised."""

    account: dict[str, Any]
    record: dict[str, Any]


def student_fields_clean(
    *,
    surname: str,
    name: str,
    patronymic: str = "",
    iin: str = "",
    phone: str = "",
    birth_date: datetime.date | None = None,
    sex: str = "",
    address: str = "",
    citizenship: str = "",
    language: str = "",
    health_group: str = HealthGroup.BASIC,
    special_needs: str = "",
    social_category: str = "",
    file_number: str = "",
    admitted_on: datetime.date | None = None,
    admission_order: str = "",
    admitted_from: str = "",
) -> StudentFields:
    """Check a student's details; raise ValidationError keyed by field.

    The birth date and sex come from the IIN when there is one; a typed
    date or sex that says otherwise is refused rather than silently
    replaced, because one of the two is a typo someone must look at.
    """
    errors: Errors = {}
    account = {
        "surname": surname.strip(),
        "name": name.strip(),
        "patronymic": patronymic.strip(),
        "iin": None,
        "phone": "",
    }
    if not account["surname"]:
        _add_error(errors, "surname", _("Enter the surname."))
    if not account["name"]:
        _add_error(errors, "name", _("Enter the name."))
    if phone.strip():
        try:
            account["phone"] = normalize_phone(phone)
        except ValidationError as error:
            errors["phone"] = list(error.messages)

    record = {
        "file_number": file_number.strip(),
        "birth_date": birth_date,
        "sex": sex,
        "address": address.strip(),
        "citizenship": citizenship.strip(),
        "language": language,
        "health_group": health_group or HealthGroup.BASIC,
        "special_needs": special_needs.strip(),
        "social_category": social_category,
        "admitted_on": admitted_on,
        "admission_order": admission_order.strip(),
        "admitted_from": admitted_from.strip(),
    }
    if iin.strip():
        try:
            details = parse_iin(iin)
        except ValidationError as error:
            errors["iin"] = list(error.messages)
        else:
            account["iin"] = details.iin
            if birth_date is not None and birth_date != details.birth_date:
                _add_error(
                    errors,
                    "birth_date",
                    _(
                        "The date of birth %(typed)s contradicts the IIN, "
                        "which gives %(derived)s. Correct the date of birth "
                        "or the IIN."
                    )
                    % {
                        "typed": _day(birth_date),
                        "derived": _day(details.birth_date),
                    },
                )
            if sex and sex != details.sex:
                labels = dict(StudentRecord._meta.get_field("sex").flatchoices)
                _add_error(
                    errors,
                    "sex",
                    _(
                        "The sex “%(typed)s” contradicts the IIN, which gives "
                        "“%(derived)s”. Correct the sex or the IIN."
                    )
                    % {
                        "typed": labels.get(sex, sex),
                        "derived": labels[details.sex],
                    },
                )
            record["birth_date"] = details.birth_date
            record["sex"] = details.sex

    if birth_date is not None and birth_date > timezone.localdate():
        _add_error(errors, "birth_date", _("The date of birth is in the future."))
    _merge_model_errors(
        errors, User(**{**account, "iin": None}), exclude=["login", "password", "iin"]
    )
    _merge_model_errors(
        errors,
        StudentRecord(**record),
        exclude=["school", "student", "transferred_to"],
    )
    _raise_if(errors)

    return StudentFields(account=account, record=record)


# Students' files


def _check_file_open(record: StudentRecord) -> None:
    if record.is_archived:
        raise ValidationError(
            _(
                "This personal file is archived: the student left the school "
                "on %(date)s. It can no longer be changed."
            )
            % {"date": _day(record.withdrawn_on) if record.withdrawn_on else "—"},
            code="archived",
        )


def _check_current_student(actor: Membership, student: User) -> int:
    school_id = _school_id_of_admin(actor)
    if _has_role(student, school_id, [Role.STUDENT]):
        return school_id
    if StudentRecord.objects.filter(school_id=school_id, student=student).exists():
        raise ValidationError(
            _(
                "This student has left the school; their file is archived "
                "and can no longer be changed."
            ),
            code="archived",
        )
    raise PermissionDenied


def _account_update(actor: Membership, student: User, account: dict) -> None:
    """Change the student's names, IIN or phone through the accounts service."""
    changed = any(getattr(student, field) != account[field] for field in account)
    if not changed:
        return
    person_update(
        actor=actor,
        person=student,
        surname=account["surname"],
        name=account["name"],
        patronymic=account["patronymic"],
        iin=account["iin"] or "",
        phone=account["phone"],
        email=student.email,
        language=student.language,
    )


def _check_iin_free_for_student(
    iin: str | None, school_id: int, student: User | None = None
) -> User | None:
    """The account the IIN belongs to, if it may become a student here."""
    if not iin:
        return None
    existing = User.objects.filter(iin=iin).first()
    if existing is None or existing == student:
        return existing
    if student is not None:
        raise ValidationError({"iin": _("Another person already has this IIN.")})
    studies_elsewhere = (
        Membership.objects.filter(user=existing, role=Role.STUDENT, is_active=True)
        .exclude(organisation_id=school_id)
        .exists()
    )
    if studies_elsewhere:
        raise ValidationError(
            {
                "iin": _(
                    "A student with this IIN studies at another school on "
                    "Sabaq. Ask that school to transfer them to yours."
                )
            }
        )
    if _has_role(existing, school_id, [Role.STUDENT]) or (
        StudentRecord.objects.filter(
            school_id=school_id, student=existing, is_archived=False
        ).exists()
    ):
        raise ValidationError(
            {"iin": _("A student with this IIN already studies at your school.")}
        )
    return existing


@transaction.atomic
def student_add(
    *,
    actor: Membership,
    surname: str,
    name: str,
    patronymic: str = "",
    iin: str = "",
    phone: str = "",
    school_class: SchoolClass | None = None,
    starts_on: datetime.date | None = None,
    **file_fields: Any,
) -> StudentRecord:
    """A new student: the account with the student role, the file and,
    when a class is given, the enrolment — all or nothing.

    A person who already has an account (found by IIN) keeps it and their
    password; a new account gets its first password from a login slip.
    """
    school_id = _school_id_of_admin(actor)
    fields = student_fields_clean(
        surname=surname,
        name=name,
        patronymic=patronymic,
        iin=iin,
        phone=phone,
        **file_fields,
    )
    _check_iin_free_for_student(fields.account["iin"], school_id)
    if school_class is not None and school_class.year.school_id != school_id:
        raise PermissionDenied

    created = person_create(
        actor=actor,
        organisation=_school(actor),
        role=Role.STUDENT,
        surname=fields.account["surname"],
        name=fields.account["name"],
        patronymic=fields.account["patronymic"],
        iin=fields.account["iin"] or "",
        phone=fields.account["phone"],
    )
    student = created.person
    record = StudentRecord.objects.create(
        school_id=school_id, student=student, **fields.record
    )
    audit_record(
        actor=actor.user,
        action="people.student_record_create",
        school=actor.organisation,
        target=record,
        after=snapshot(record, STUDENT_RECORD_FIELDS),
    )
    if school_class is not None:
        enrolment_add(
            actor=actor,
            student=student,
            school_class=school_class,
            starts_on=starts_on or timezone.localdate(),
        )
    logger.info("Student %s added to school %s", student.pk, school_id)

    return record


@transaction.atomic
def student_record_create(
    *,
    actor: Membership,
    student: User,
    surname: str,
    name: str,
    patronymic: str = "",
    iin: str = "",
    phone: str = "",
    **file_fields: Any,
) -> StudentRecord:
    """Open a file for a student of the school who has none yet."""
    school_id = _check_current_student(actor, student)
    if StudentRecord.objects.filter(
        school_id=school_id, student=student, is_archived=False
    ).exists():
        raise ValidationError(_("This student already has a personal file here."))
    fields = student_fields_clean(
        surname=surname,
        name=name,
        patronymic=patronymic,
        iin=iin,
        phone=phone,
        **file_fields,
    )
    _check_iin_free_for_student(fields.account["iin"], school_id, student)

    _account_update(actor, student, fields.account)
    record = StudentRecord.objects.create(
        school_id=school_id, student=student, **fields.record
    )
    audit_record(
        actor=actor.user,
        action="people.student_record_create",
        school=actor.organisation,
        target=record,
        after=snapshot(record, STUDENT_RECORD_FIELDS),
    )

    return record


@transaction.atomic
def student_record_update(
    *,
    actor: Membership,
    record: StudentRecord,
    surname: str,
    name: str,
    patronymic: str = "",
    iin: str = "",
    phone: str = "",
    **file_fields: Any,
) -> StudentRecord:
    """Change a student's file and the names, IIN and phone of their account.

    An archived file (the student left) is refused: it is the school's
    record of what was true when they left.
    """
    school_id = _school_id_of_admin(actor)
    if record.school_id != school_id:
        raise PermissionDenied
    _check_file_open(record)
    student = record.student
    _check_current_student(actor, student)
    fields = student_fields_clean(
        surname=surname,
        name=name,
        patronymic=patronymic,
        iin=iin,
        phone=phone,
        **file_fields,
    )
    _check_iin_free_for_student(fields.account["iin"], school_id, student)

    _account_update(actor, student, fields.account)
    before = snapshot(record, STUDENT_RECORD_FIELDS)
    for field, value in fields.record.items():
        setattr(record, field, value)
    after = snapshot(record, STUDENT_RECORD_FIELDS)
    if after != before:
        record.save(update_fields=STUDENT_RECORD_FIELDS)
        audit_record(
            actor=actor.user,
            action="people.student_record_update",
            school=actor.organisation,
            target=record,
            before=before,
            after=after,
        )

    return record


# Classes


@transaction.atomic
def enrolment_add(
    *,
    actor: Membership,
    student: User,
    school_class: SchoolClass,
    starts_on: datetime.date,
) -> Enrolment:
    """Put a student of the actor's school into a class from a date.

    A current enrolment in another class ends the day before, so the class
    history has no overlap and no hole.
    """
    school_id = _school_id_of_admin(actor)
    if school_class.year.school_id != school_id:
        raise PermissionDenied
    if school_class.year.is_closed:
        raise ValidationError(
            {"school_class": _("This school year is closed and cannot be changed.")}
        )
    if not _has_role(student, school_id, [Role.STUDENT]):
        raise ValidationError(
            {"student": _("This person is not a student of the school.")}
        )

    current = Enrolment.objects.filter(student=student, ends_on__isnull=True).first()
    if current is not None:
        if current.school_class_id == school_class.pk:
            return current
        if current.starts_on >= starts_on:
            raise ValidationError(
                {
                    "starts_on": _(
                        "The student's current class starts on or after this date."
                    )
                }
            )
        current.ends_on = starts_on - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on"])
        audit_record(
            actor=actor.user,
            action="people.enrolment_end",
            school=actor.organisation,
            target=student,
            after={"class": current.school_class_id, "ends_on": str(current.ends_on)},
        )

    enrolment = Enrolment.objects.create(
        student=student, school_class=school_class, starts_on=starts_on
    )
    audit_record(
        actor=actor.user,
        action="people.enrolment_add",
        school=actor.organisation,
        target=student,
        after={"class": school_class.pk, "starts_on": str(starts_on)},
    )

    return enrolment


@transaction.atomic
def enrolment_end(
    *, actor: Membership, student: User, ends_on: datetime.date
) -> Enrolment | None:
    """End a student's current class in the actor's school; `ends_on` is
    their last day in it. Their subgroups of that class end with it.

    Returns the ended enrolment, or None when they were in no class here.
    """
    school_id = _school_id_of_admin(actor)
    current = (
        Enrolment.objects.select_for_update()
        .filter(
            student=student,
            ends_on__isnull=True,
            school_class__year__school_id=school_id,
        )
        .select_related("school_class__year")
        .first()
    )
    if current is None:
        return None
    if ends_on < current.starts_on:
        raise ValidationError(
            {
                "ends_on": _(
                    "The student joined their class on %(date)s; the last "
                    "day in it cannot come before."
                )
                % {"date": _day(current.starts_on)}
            }
        )

    current.ends_on = ends_on
    current.save(update_fields=["ends_on"])
    audit_record(
        actor=actor.user,
        action="people.enrolment_end",
        school=actor.organisation,
        target=student,
        after={"class": current.school_class_id, "ends_on": str(ends_on)},
    )
    _subgroups_leave(actor, student, current.school_class, ends_on)

    return current


def _subgroups_leave(
    actor: Membership, student: User, school_class: SchoolClass, last_day: datetime.date
) -> None:
    """Take the student out of the class's subgroups after their last day.

    The subgroups are the schools app's; its service does the writing.
    Memberships already ending by then, or a year that is over or closed,
    need nothing.
    """
    # Imported here: schools.services itself imports this module.
    from sabaq.schools.models import SubgroupMember
    from sabaq.schools.services import subgroup_member_remove

    year = school_class.year
    first_day_away = last_day + datetime.timedelta(days=1)
    if year.is_closed or not year.starts_on <= first_day_away <= year.ends_on:
        return
    subjects = (
        SubgroupMember.objects.filter(
            student=student, subgroup__school_class=school_class
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=last_day))
        .values_list("subgroup__subject", flat=True)
        .distinct()
    )
    for subject in Subject.objects.filter(pk__in=list(subjects)):
        subgroup_member_remove(
            actor=actor,
            student=student,
            school_class=school_class,
            subject=subject,
            on_date=first_day_away,
        )


# Guardians


@transaction.atomic
def guardian_link(
    *, actor: Membership, guardian: User, child: User, relation: str
) -> Guardianship:
    """Make `guardian` a legal representative of a student of the actor's school."""
    school_id = _school_id_of_admin(actor)
    if not _has_role(child, school_id, [Role.STUDENT]):
        raise PermissionDenied
    if relation not in Relation.values:
        raise ValidationError(
            {"relation": _("Choose how this person is related to the child.")}
        )
    if guardian.pk == child.pk:
        raise ValidationError({"guardian": _("A child cannot be their own guardian.")})

    guardianship, created = Guardianship.objects.get_or_create(
        guardian=guardian, child=child, defaults={"relation": relation}
    )
    if created:
        audit_record(
            actor=actor.user,
            action="people.guardian_link",
            school=actor.organisation,
            target=child,
            after={"guardian": guardian.pk, "relation": relation},
        )

    return guardianship


@transaction.atomic
def guardian_add(
    *,
    actor: Membership,
    child: User,
    relation: str,
    iin: str = "",
    surname: str = "",
    name: str = "",
    patronymic: str = "",
    phone: str = "",
) -> Guardianship:
    """Link a parent or other legal representative to a student.

    A person who already has an account (found by IIN, perhaps a parent in
    another school or a teacher here) is linked as they are and given the
    parent role in this school, so one login shows all their children.
    Anyone else gets a new account with the parent role; their first
    password comes from a login slip.
    """
    school_id = _check_current_student(actor, child)
    errors: Errors = {}
    if relation not in Relation.values:
        _add_error(
            errors, "relation", _("Choose how this person is related to the child.")
        )
    iin_value = None
    if iin.strip():
        try:
            iin_value = parse_iin(iin).iin
        except ValidationError as error:
            errors["iin"] = list(error.messages)
    existing = User.objects.filter(iin=iin_value).first() if iin_value else None
    if existing is not None:
        if existing.pk == child.pk:
            _add_error(errors, "iin", _("This is the child's own IIN."))
        elif Guardianship.objects.filter(guardian=existing, child=child).exists():
            _add_error(errors, "iin", _("This person is already linked to the child."))
    else:
        if not surname.strip():
            _add_error(errors, "surname", _("Enter the surname."))
        if not name.strip():
            _add_error(errors, "name", _("Enter the name."))
    _raise_if(errors)

    if existing is not None:
        membership_add(
            actor=actor,
            person=existing,
            organisation=_school(actor),
            role=Role.PARENT,
        )
        guardian = existing
    else:
        guardian = person_create(
            actor=actor,
            organisation=_school(actor),
            role=Role.PARENT,
            surname=surname,
            name=name,
            patronymic=patronymic,
            iin=iin_value or "",
            phone=phone,
        ).person
    logger.debug("Guardian %s linked in school %s", guardian.pk, school_id)

    return guardian_link(actor=actor, guardian=guardian, child=child, relation=relation)


def _membership_end(
    *, actor: Membership, membership: Membership, school: Organisation
) -> None:
    # TODO: accounts has no membership_end service yet (its audit label
    # exists); this writes the same audit entry and should call it once added.
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(
        actor=actor.user,
        action="accounts.membership_end",
        school=school,
        target=membership.user,
        before={"role": membership.role, "organisation": school.pk},
    )


def _parent_roles_end_without_children(
    *, actor: Membership, guardians: Sequence[User], school: Organisation
) -> None:
    """Take the parent role here from guardians who have no child here any more.

    Their other roles (a teacher who is also a parent) stay.
    """
    memberships = Membership.objects.filter(
        user__in=guardians, organisation=school, role=Role.PARENT, is_active=True
    ).select_related("user")
    for membership in memberships:
        has_child_here = Guardianship.objects.filter(
            guardian=membership.user,
            child__memberships__organisation=school,
            child__memberships__role=Role.STUDENT,
            child__memberships__is_active=True,
        ).exists()
        if not has_child_here:
            _membership_end(actor=actor, membership=membership, school=school)


@transaction.atomic
def guardian_unlink(*, actor: Membership, guardianship: Guardianship) -> None:
    """Remove a guardian from a student of the school."""
    child = guardianship.child
    _check_current_student(actor, child)
    before = {"guardian": guardianship.guardian_id, "relation": guardianship.relation}
    guardian = guardianship.guardian
    guardianship.delete()
    audit_record(
        actor=actor.user,
        action="people.guardian_unlink",
        school=actor.organisation,
        target=child,
        before=before,
    )
    _parent_roles_end_without_children(
        actor=actor, guardians=[guardian], school=_school(actor)
    )


# Transfers


def _membership_give(
    *, actor: Membership, person: User, school: Organisation, role: str
) -> None:
    """A role in a school the actor does not run, given as part of a transfer.

    `accounts.membership_add` only lets a school's own admins give its roles;
    a transfer is the one write the old school makes in the new one.
    """
    membership, created = Membership.objects.get_or_create(
        user=person, organisation=school, role=role
    )
    if not created and membership.is_active:
        return
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit_record(
        actor=actor.user,
        action="accounts.membership_add",
        school=school,
        target=person,
        after={"role": role, "organisation": school.pk},
    )


@transaction.atomic
def student_transfer(
    *,
    actor: Membership,
    student: User,
    transferred_on: datetime.date | None,
    order_number: str,
    destination: Organisation | None = None,
    destination_name: str = "",
) -> StudentRecord:
    """A student leaves the school, for a school on Sabaq or elsewhere.

    The student keeps one account. This school's file is archived
    (read-only) with the date, order and destination, the class ends and
    the student role here ends. A school on Sabaq gets the student role and
    a file of its own with the personal details copied; its deputy head
    then finds the student among those without a class. Guardians follow
    the child: they get the parent role there and lose it here once no
    child of theirs is left.
    """
    school_id = _check_current_student(actor, student)
    school = _school(actor)
    errors: Errors = {}
    if transferred_on is None:
        _add_error(errors, "transferred_on", _("Enter the date the student leaves."))
    if not order_number.strip():
        _add_error(errors, "order_number", _("Enter the number of the order."))
    destination_name = destination_name.strip()
    if destination is None and not destination_name:
        _add_error(
            errors,
            "destination",
            _("Choose the school on Sabaq, or write where the student goes."),
        )
    if destination is not None:
        if destination.kind != OrganisationKind.SCHOOL or destination.pk == school_id:
            _add_error(errors, "destination", _("Choose another school."))
        elif _has_role(student, destination.pk, [Role.STUDENT]):
            _add_error(
                errors,
                "destination",
                _("The student already studies at that school."),
            )
    current = Enrolment.objects.filter(
        student=student,
        ends_on__isnull=True,
        school_class__year__school_id=school_id,
    ).first()
    if (
        current is not None
        and transferred_on is not None
        and transferred_on <= current.starts_on
    ):
        _add_error(
            errors,
            "transferred_on",
            _(
                "The student joined their class on %(date)s; the leaving date "
                "must come after it."
            )
            % {"date": _day(current.starts_on)},
        )
    _raise_if(errors)
    assert transferred_on is not None  # checked above

    # The leaving date is the first day away: the class ends the day before,
    # and the new school may enrol the student from that date.
    enrolment_end(
        actor=actor,
        student=student,
        ends_on=transferred_on - datetime.timedelta(days=1),
    )

    record = StudentRecord.objects.filter(
        school_id=school_id, student=student, is_archived=False
    ).first() or StudentRecord(school_id=school_id, student=student)
    # A student without a file still leaves one behind: the school's trace
    # of when and where they went.
    before = (
        snapshot(record, STUDENT_RECORD_FIELDS + WITHDRAWAL_FIELDS)
        if record.pk
        else None
    )
    record.withdrawn_on = transferred_on
    record.withdrawal_order = order_number.strip()
    record.withdrawal_destination = "" if destination else destination_name
    record.transferred_to = destination
    record.is_archived = True
    record.save()
    audit_record(
        actor=actor.user,
        action="people.student_transfer_out",
        school=school,
        target=record,
        before=before,
        after=snapshot(record, STUDENT_RECORD_FIELDS + WITHDRAWAL_FIELDS),
    )

    student_role = Membership.objects.get(
        user=student, organisation_id=school_id, role=Role.STUDENT, is_active=True
    )
    _membership_end(actor=actor, membership=student_role, school=school)
    guardians = list(User.objects.filter(wards__child=student))

    if destination is not None:
        _membership_give(
            actor=actor, person=student, school=destination, role=Role.STUDENT
        )
        new_record = StudentRecord.objects.create(
            school=destination,
            student=student,
            admitted_on=transferred_on,
            **{field: getattr(record, field) for field in TRANSFER_COPIED_FIELDS},
        )
        audit_record(
            actor=actor.user,
            action="people.student_transfer_in",
            school=destination,
            target=new_record,
            after={
                **snapshot(new_record, STUDENT_RECORD_FIELDS),
                "from_school": school_id,
            },
        )
        for guardian in guardians:
            _membership_give(
                actor=actor, person=guardian, school=destination, role=Role.PARENT
            )
    _parent_roles_end_without_children(actor=actor, guardians=guardians, school=school)
    logger.info(
        "Student %s left school %s for %s",
        student.pk,
        school_id,
        destination.pk if destination else "a school outside Sabaq",
    )

    return record


# Staff files


@dataclass(frozen=True)
class StaffFields:
    record: dict[str, Any]
    subjects: list[Subject]


def staff_fields_clean(
    *,
    school_id: int,
    is_head: bool,
    position: str,
    category: str = "",
    category_given_on: datetime.date | None = None,
    attestation_due_on: datetime.date | None = None,
    education: str = "",
    subjects: Sequence[Subject] = (),
    hired_on: datetime.date | None = None,
    load_rate: Decimal | None = None,
) -> StaffFields:
    """Check a staff file; fill the attestation date when it is left empty.

    The next attestation is due 5 years after the category was given (3 for
    the director and deputy heads); an earlier date may be typed, a later
    one may not.
    """
    errors: Errors = {}
    record: dict[str, Any] = {
        "position": position.strip(),
        "category": category,
        "category_given_on": category_given_on,
        "attestation_due_on": attestation_due_on,
        "education": education.strip(),
        "hired_on": hired_on,
        "load_rate": Decimal("16") if load_rate is None else load_rate,
    }
    if not record["position"]:
        _add_error(errors, "position", _("Enter the position."))
    if category_given_on is not None and not category:
        _add_error(errors, "category", _("Choose the category given on that date."))
    if category_given_on is not None and category_given_on > timezone.localdate():
        _add_error(
            errors, "category_given_on", _("The category date is in the future.")
        )
    years = HEAD_ATTESTATION_YEARS if is_head else ATTESTATION_YEARS
    if category_given_on is not None:
        latest = years_later(category_given_on, years)
        if attestation_due_on is None:
            record["attestation_due_on"] = latest
        elif attestation_due_on <= category_given_on:
            _add_error(
                errors,
                "attestation_due_on",
                _("The next attestation must come after the category was given."),
            )
        elif attestation_due_on > latest:
            _add_error(
                errors,
                "attestation_due_on",
                _(
                    "The next attestation is due at the latest %(years)d years "
                    "after the category was given: by %(date)s."
                )
                % {"years": years, "date": _day(latest)},
            )
    rate = record["load_rate"]
    if not (LOAD_RATE_MIN <= rate <= LOAD_RATE_MAX):
        _add_error(
            errors,
            "load_rate",
            _("Enter the weekly load in hours, from %(low)s to %(high)s.")
            % {"low": LOAD_RATE_MIN, "high": LOAD_RATE_MAX},
        )
    foreign = [s for s in subjects if s.school_id not in (None, school_id)]
    if foreign:
        _add_error(errors, "subjects", _("Choose subjects of your school's list."))
    _merge_model_errors(
        errors, StaffRecord(**record), exclude=["school", "person", "load_rate"]
    )
    _raise_if(errors)

    return StaffFields(record=record, subjects=list(subjects))


def _subject_codes(subjects: Iterable[Subject]) -> list[str]:
    return sorted(subject.code for subject in subjects)


def staff_snapshot(record: StaffRecord, subjects: Iterable[Subject]) -> dict:
    return {
        **snapshot(record, STAFF_RECORD_FIELDS),
        "subjects": _subject_codes(subjects),
    }


@transaction.atomic
def staff_record_create(
    *, actor: Membership, person: User, **fields: Any
) -> StaffRecord:
    """Open the file of a director, deputy head or teacher of the school."""
    school_id = _school_id_of_admin(actor)
    if not _has_role(person, school_id, STAFF_ROLES):
        raise PermissionDenied
    if StaffRecord.objects.filter(school_id=school_id, person=person).exists():
        raise ValidationError(_("This person already has a staff file here."))
    cleaned = staff_fields_clean(
        school_id=school_id,
        is_head=selectors.is_school_head(school_id=school_id, person=person),
        **fields,
    )

    record = StaffRecord.objects.create(
        school_id=school_id, person=person, **cleaned.record
    )
    record.subjects.set(cleaned.subjects)
    audit_record(
        actor=actor.user,
        action="people.staff_record_create",
        school=actor.organisation,
        target=record,
        after=staff_snapshot(record, cleaned.subjects),
    )

    return record


@transaction.atomic
def staff_record_update(
    *, actor: Membership, record: StaffRecord, **fields: Any
) -> StaffRecord:
    school_id = _school_id_of_admin(actor)
    if record.school_id != school_id:
        raise PermissionDenied
    cleaned = staff_fields_clean(
        school_id=school_id,
        is_head=selectors.is_school_head(school_id=school_id, person=record.person),
        **fields,
    )

    before = staff_snapshot(record, record.subjects.all())
    for field, value in cleaned.record.items():
        setattr(record, field, value)
    after = staff_snapshot(record, cleaned.subjects)
    if after != before:
        record.save(update_fields=STAFF_RECORD_FIELDS)
        record.subjects.set(cleaned.subjects)
        audit_record(
            actor=actor.user,
            action="people.staff_record_update",
            school=actor.organisation,
            target=record,
            before=before,
            after=after,
        )

    return record


@transaction.atomic
def staff_add(
    *,
    actor: Membership,
    surname: str,
    name: str,
    patronymic: str = "",
    iin: str = "",
    phone: str = "",
    email: str = "",
    **fields: Any,
) -> StaffRecord:
    """A new teacher: the account with the teacher role and the staff file.

    A person who already has an account (found by IIN) keeps it and their
    password and gets the teacher role here.
    """
    school_id = _school_id_of_admin(actor)
    errors: Errors = {}
    try:
        staff_fields_clean(school_id=school_id, is_head=False, **fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not surname.strip():
        _add_error(errors, "surname", _("Enter the surname."))
    if not name.strip():
        _add_error(errors, "name", _("Enter the name."))
    iin_value = iin.strip()
    if iin_value:
        try:
            iin_value = parse_iin(iin_value).iin
        except ValidationError as error:
            errors["iin"] = list(error.messages)
    existing = (
        User.objects.filter(iin=iin_value).first()
        if iin_value and "iin" not in errors
        else None
    )
    if (
        existing is not None
        and StaffRecord.objects.filter(school_id=school_id, person=existing).exists()
    ):
        _add_error(
            errors, "iin", _("A staff member with this IIN already has a file here.")
        )
    _raise_if(errors)

    if existing is not None and _has_role(existing, school_id, STAFF_ROLES):
        person = existing
    else:
        person = person_create(
            actor=actor,
            organisation=_school(actor),
            role=Role.TEACHER,
            surname=surname,
            name=name,
            patronymic=patronymic,
            iin=iin_value,
            phone=phone,
            email=email,
        ).person

    return staff_record_create(actor=actor, person=person, **fields)


# Bulk export of personal data


ExportKind = Literal["students", "staff"]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    rows: int


def _check_export_rate(actor: Membership) -> None:
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = AuditEntry.objects.filter(
        school_id=actor.organisation_pk,
        actor_id=actor.user_id,
        action="people.personal_data_export",
        created_at__gte=since,
    ).count()
    if recent >= EXPORTS_PER_HOUR:
        raise ApplicationError(
            _(
                "You have exported personal data %(count)d times in the last "
                "hour, the most allowed. Try again later."
            )
            % {"count": recent}
        )


@transaction.atomic
def personal_data_export(*, actor: Membership, kind: ExportKind) -> ExportFile:
    """The school's students' or staff files as one Excel sheet.

    Only for the director and deputy heads, a limited number of times an
    hour, and always written to the audit log with the number of rows: a
    bulk export is how personal data leaks, so each one can be answered for.
    The columns are those of the import template, so a fixed sheet can be
    imported back.
    """
    from sabaq.people import imports

    _school_id_of_admin(actor)
    _check_export_rate(actor)

    if kind == "students":
        headers, rows = imports.students_export_rows(actor=actor)
        title = _("Students")
    else:
        headers, rows = imports.staff_export_rows(actor=actor)
        title = _("Staff")
    content = workbook_bytes(title=title, headers=headers, rows=rows)
    audit_record(
        actor=actor.user,
        action="people.personal_data_export",
        school=actor.organisation,
        after={"kind": kind, "rows": len(rows)},
    )
    logger.info(
        "Personal data export of %s rows (%s) in school %s",
        len(rows),
        kind,
        actor.organisation_pk,
    )
    stamp = timezone.localdate().isoformat()

    return ExportFile(filename=f"{kind}-{stamp}.xlsx", content=content, rows=len(rows))
