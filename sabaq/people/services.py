"""Writes about people's links: guardians of children."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sabaq.accounts.models import SCHOOL_ADMIN_ROLES, Membership, Role, User
from sabaq.core.services import audit_actions_register, audit_record
from sabaq.people.models import Guardianship, Relation

audit_actions_register(
    {"people.guardian_link": gettext_lazy("Guardian linked to a child")}
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
