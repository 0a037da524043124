"""Writes about organisations: the platform admin builds the tree."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sabaq.accounts.models import Membership, Role
from sabaq.core.services import audit_actions_register, audit_record, snapshot
from sabaq.orgs.models import Organisation, OrganisationKind

audit_actions_register(
    {"orgs.organisation_create": gettext_lazy("Organisation created")}
)

_PARENT_KIND = {
    OrganisationKind.REGION: None,
    OrganisationKind.DISTRICT: OrganisationKind.REGION,
    OrganisationKind.SCHOOL: OrganisationKind.DISTRICT,
}


@transaction.atomic
def organisation_create(
    *,
    actor: Membership,
    kind: str,
    parent: Organisation | None,
    name_kk: str,
    name_ru: str,
    name_en: str = "",
    address: str = "",
) -> Organisation:
    if actor.role != Role.PLATFORM_ADMIN:
        raise PermissionDenied
    if kind not in _PARENT_KIND:
        raise ValidationError({"kind": _("Choose a region, a district or a school.")})
    expected_parent = _PARENT_KIND[OrganisationKind(kind)]
    if (parent.kind if parent else None) != expected_parent:
        raise ValidationError(
            {"parent": _("A district belongs to a region and a school to a district.")}
        )

    errors = {}
    if not name_kk.strip():
        errors["name_kk"] = [_("Enter the name in Kazakh.")]
    if not name_ru.strip():
        errors["name_ru"] = [_("Enter the name in Russian.")]
    if errors:
        raise ValidationError(errors)
    if Organisation.objects.filter(
        kind=kind, parent=parent, name_kk__iexact=name_kk.strip()
    ).exists():
        raise ValidationError(
            {"name_kk": _("There is already one with this name here.")}
        )

    organisation = Organisation.objects.create(
        kind=kind,
        parent=parent,
        name_kk=name_kk.strip(),
        name_ru=name_ru.strip(),
        name_en=name_en.strip(),
        address=address.strip(),
    )
    audit_record(
        actor=actor.user,
        action="orgs.organisation_create",
        school=organisation if kind == OrganisationKind.SCHOOL else None,
        target=organisation,
        after=snapshot(
            organisation, ["kind", "parent", "name_kk", "name_ru", "name_en"]
        ),
    )

    return organisation
