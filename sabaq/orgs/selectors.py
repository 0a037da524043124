"""Reads about regions, districts and schools, scoped to the actor."""

from django.db.models import Case, Count, Q, QuerySet, When

from sabaq.accounts.models import Membership, Role, User
from sabaq.orgs.models import Organisation, OrganisationKind


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Every organisation a person's memberships let them see.

    A school role sees its school; a district officer the district and its
    schools; a region officer the region, its districts and their schools; a
    platform admin everything.
    """
    memberships = Membership.objects.filter(user=user, is_active=True)
    if memberships.filter(role=Role.PLATFORM_ADMIN).exists():
        return Organisation.objects.select_related("parent").order_by("kind", "name_kk")

    org_ids = memberships.values("organisation_id")
    return (
        Organisation.objects.filter(
            Q(pk__in=org_ids)
            | Q(parent_id__in=org_ids)
            | Q(parent__parent_id__in=org_ids)
        )
        .select_related("parent")
        .order_by("kind", "name_kk")
    )


def _schools_under(organisation_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.SCHOOL).filter(
        Q(parent_id=organisation_id) | Q(parent__parent_id=organisation_id)
    )


def schools_overview(*, actor: Membership) -> QuerySet[Organisation]:
    """Schools under an officer's district or region, with head counts only."""
    active = Q(memberships__is_active=True)
    return (
        _schools_under(actor.organisation_pk)
        .select_related("parent")
        .annotate(
            student_count=Count(
                "memberships", filter=active & Q(memberships__role=Role.STUDENT)
            ),
            teacher_count=Count(
                "memberships", filter=active & Q(memberships__role=Role.TEACHER)
            ),
        )
        .order_by("parent__name_kk", "name_kk")
    )


def platform_overview(*, actor: Membership) -> dict[str, int]:
    counts = dict(
        Organisation.objects.values_list("kind").annotate(n=Count("id")).order_by()
    )
    return {
        "regions": counts.get(OrganisationKind.REGION, 0),
        "districts": counts.get(OrganisationKind.DISTRICT, 0),
        "schools": counts.get(OrganisationKind.SCHOOL, 0),
        "people": User.objects.count(),
    }


def organisation_tree() -> list[dict]:
    """Regions with their districts and schools, for the platform admin."""
    organisations = list(Organisation.objects.order_by("name_kk"))
    children: dict[int | None, list[Organisation]] = {}
    for organisation in organisations:
        children.setdefault(organisation.parent_id, []).append(organisation)

    def branch(parent_id):
        return [
            {"organisation": org, "children": branch(org.pk)}
            for org in children.get(parent_id, [])
        ]

    return branch(None)


def organisation_get(
    *, organisation_id: object, kind: str | None = None
) -> Organisation:
    from django.http import Http404

    organisations = Organisation.objects.select_related("parent")
    if kind:
        organisations = organisations.filter(kind=kind)
    try:
        return organisations.get(pk=int(str(organisation_id)))
    except (Organisation.DoesNotExist, ValueError):
        raise Http404 from None


def school_admins(*, school: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            organisation=school,
            role__in=[Role.DIRECTOR, Role.DEPUTY_HEAD],
            is_active=True,
        )
        .select_related("user")
        # The director before the deputy heads.
        .order_by(Case(When(role=Role.DIRECTOR, then=0), default=1), "user__surname")
    )
