"""Reads about people's links to each other, scoped to the actor."""

from django.db.models import QuerySet

from sabaq.accounts.models import Membership, Role, User


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


def class_students(*, school_class, on_date=None) -> QuerySet[User]:
    """Students enrolled in a class on a date (today when not given)."""
    import datetime

    from django.db.models import Q

    day = on_date or datetime.date.today()
    return (
        User.objects.filter(
            enrolments__school_class=school_class,
            enrolments__starts_on__lte=day,
        )
        .filter(Q(enrolments__ends_on__isnull=True) | Q(enrolments__ends_on__gte=day))
        .distinct()
        .order_by("surname", "name", "patronymic")
    )
