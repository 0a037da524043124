from sabaq.accounts.models import Role
from sabaq.core.rules import PUBLIC, SIGNED_IN, allow, rules

school_admin = allow(Role.DIRECTOR, Role.DEPUTY_HEAD)

rules.register(
    "accounts",
    {
        "login": PUBLIC,
        "language_set": PUBLIC,
        "logout": SIGNED_IN,
        "home": SIGNED_IN,
        "role_choose": SIGNED_IN,
        "password_change": SIGNED_IN,
        "profile": SIGNED_IN,
        "person_list": school_admin,
        "person_create": school_admin,
        "person_detail": school_admin,
        "person_edit": school_admin,
        "person_password_reset": school_admin,
        "login_slips": school_admin,
    },
)
rules.register(
    "api",
    {
        "token": PUBLIC,
        "me": SIGNED_IN,
        "memberships": SIGNED_IN,
    },
)
