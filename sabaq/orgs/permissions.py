from sabaq.accounts.models import Role
from sabaq.core.rules import SIGNED_IN, allow, rules

platform_admin = allow(Role.PLATFORM_ADMIN)

rules.register(
    "orgs",
    {
        "organisation_list": platform_admin,
        "region_create": platform_admin,
        "district_create": platform_admin,
        "school_create": platform_admin,
        "school_detail": platform_admin,
    },
)
rules.register("api", {"organisations": SIGNED_IN})
