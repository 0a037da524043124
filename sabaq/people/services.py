"""Writes about people's links: guardians of children."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sabaq.accounts.models import SCHOOL_ADMIN_ROLES, Membership, Role, User
from sabaq.core.services import audit_actions_register, audit_record
from sabaq.people.models import Enrolment, Guardianship, Relation

audit_actions_register(
    {
        "people.guardian_link": gettext_lazy("Guardian linked to a child"),
        "people.enrolment_add": gettext_lazy("Student enrolled in a class"),
        "people.enrolment_end": gettext_lazy("Student left a class"),
    }
)


@transaction.atomic
def guardian_link(
    *, actor: Membership, guardian: User, child: User, relation: str
) -> Guardianship:
    """Make `guardian` a legal representative of a student of the actor's school."""
    if actor.role not in SCHOOL_ADMIN_ROLES:
        raise PermissionDenied
    is_student_here = Membership.objects.filter(
        user=child,
        organisation_id=actor.organisation_pk,
        role=Role.STUDENT,
        is_active=True,
    ).exists()
    if not is_student_here:
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
def enrolment_add(
    *, actor: Membership, student: User, school_class, starts_on
) -> Enrolment:
    """Put a student of the actor's school into a class from a date.

    A current enrolment in another class ends the day before, so the class
    history has no overlap and no hole.
    """
    import datetime

    if actor.role not in SCHOOL_ADMIN_ROLES:
        raise PermissionDenied
    if school_class.year.school_id != actor.organisation_pk:
        raise PermissionDenied
    if school_class.year.is_closed:
        raise ValidationError(
            {"school_class": _("This school year is closed and cannot be changed.")}
        )
    if not Membership.objects.filter(
        user=student,
        organisation_id=actor.organisation_pk,
        role=Role.STUDENT,
        is_active=True,
    ).exists():
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
