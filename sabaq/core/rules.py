"""The rule book: who may open which URL, declared by each app in one place.

Every URL name must have a rule. `RuleEnforcementMiddleware` applies the rules
to pages and `core.api.RulePermission` to the API, so no view checks roles by
itself; views only narrow what they fetch to the active school (selectors).
Each app writes its table in its own `permissions.py`:

    rules.register("accounts", {
        "login": PUBLIC,
        "person_list": allow(Role.DIRECTOR, Role.DEPUTY_HEAD),
    })
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    public: bool = False
    """Anyone, logged in or not."""

    signed_in: bool = False
    """Any logged-in person, whatever their role."""

    roles: frozenset[str] = field(default_factory=frozenset)
    """The roles of the active membership that may open the URL."""

    def grants(self, *, authenticated: bool, role: str | None) -> bool:
        if self.public:
            return True
        if not authenticated:
            return False
        if self.signed_in:
            return True
        return role is not None and role in self.roles


PUBLIC = Rule(public=True)
SIGNED_IN = Rule(signed_in=True)


def allow(*roles: str) -> Rule:
    return Rule(roles=frozenset(str(role) for role in roles))


class RuleBook:
    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def register(self, namespace: str, table: Mapping[str, Rule]) -> None:
        for url_name, rule in table.items():
            key = f"{namespace}:{url_name}" if namespace else url_name
            if key in self._rules and self._rules[key] != rule:
                raise ValueError(f"Two different rules for the URL name {key}.")
            self._rules[key] = rule

    def get(self, view_name: str) -> Rule | None:
        return self._rules.get(view_name)

    def items(self) -> Iterable[tuple[str, Rule]]:
        return self._rules.items()


rules = RuleBook()
