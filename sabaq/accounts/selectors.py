"""Reads about people and memberships, always narrowed to what the actor may see."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from sabaq.accounts.models import SCHOOL_ADMIN_ROLES, Membership, Role, User

SESSION_KEY = "sabaq_membership_id"
API_HEADER = "HTTP_X_SABAQ_MEMBERSHIP"


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organisation", "organisation__parent")
        .order_by("organisation__name_kk", "role")
    )


def membership_get_for_user(user: User, membership_id: object) -> Membership | None:
    try:
        pk = int(str(membership_id))
    except (TypeError, ValueError):
        return None
    return memberships_of(user).filter(pk=pk).first()


def membership_for_session(request) -> Membership | None:
    """The active membership kept in the session, or the only one a person has."""
    user = request.user
    if not user.is_authenticated:
        return None

    membership_id = request.session.get(SESSION_KEY)
    if membership_id is not None:
        membership = membership_get_for_user(user, membership_id)
        if membership is not None:
            return membership
        del request.session[SESSION_KEY]

    only = list(memberships_of(user)[:2])
    if len(only) == 1:
        request.session[SESSION_KEY] = only[0].pk
        return only[0]

    return None


def membership_for_api_request(request) -> Membership | None:
    """An API caller names its membership in a header, or uses the session's."""
    header = request.META.get(API_HEADER)
    if header:
        return membership_get_for_user(request.user, header)
    session_membership = getattr(request._request, "membership", None)
    if session_membership is not None:
        return session_membership
    only = list(memberships_of(request.user)[:2])

    return only[0] if len(only) == 1 else None


def school_people(
    *, actor: Membership, role: str | None = None, search: str = ""
) -> QuerySet[User]:
    """People with a role in the actor's school, with those roles prefetched."""
    school_memberships = Membership.objects.filter(
        organisation_id=actor.organisation_pk, is_active=True
    )
    if role:
        school_memberships = school_memberships.filter(role=role)

    people = User.objects.filter(
        pk__in=school_memberships.values("user_id")
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(
                organisation_id=actor.organisation_pk, is_active=True
            ),
            to_attr="school_memberships",
        )
    )
    for word in search.split():
        people = people.filter(
            Q(surname__icontains=word)
            | Q(name__icontains=word)
            | Q(login__icontains=word)
            | Q(iin__startswith=word)
        )

    return people.order_by("surname", "name", "patronymic")


def school_person_get(*, actor: Membership, person_id: object) -> User:
    """A person of the actor's school; anyone else is reported as missing."""
    try:
        return school_people(actor=actor).get(pk=int(str(person_id)))
    except (User.DoesNotExist, ValueError):
        raise Http404 from None


def school_role_counts(*, actor: Membership) -> dict[str, int]:
    rows = (
        Membership.objects.filter(organisation_id=actor.organisation_pk, is_active=True)
        .values_list("role")
        .order_by()
    )
    counts: dict[str, int] = {}
    for (role,) in rows:
        counts[role] = counts.get(role, 0) + 1

    return counts


def can_manage_people(actor: Membership | None) -> bool:
    return actor is not None and actor.role in SCHOOL_ADMIN_ROLES


def is_platform_admin(actor: Membership | None) -> bool:
    return actor is not None and actor.role == Role.PLATFORM_ADMIN
