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
