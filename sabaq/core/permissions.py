from sabaq.accounts.models import Role
from sabaq.core.rules import PUBLIC, allow, rules

rules.register("core", {"audit_log": allow(Role.DIRECTOR, Role.DEPUTY_HEAD)})
rules.register("api", {"schema": PUBLIC, "docs": PUBLIC})
