from sabaq.accounts.selectors import memberships_of


def active_membership(request):
    """The active membership and the others a person can switch to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def other_memberships():
        active_id = getattr(getattr(request, "membership", None), "pk", None)
        return [m for m in memberships_of(user) if m.pk != active_id]

    return {
        "membership": getattr(request, "membership", None),
        "other_memberships": other_memberships,
    }
