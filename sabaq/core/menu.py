"""The main menu, built from what each app registers and the rule book allows.

An app lists its entry points in its `navigation.py`:

    menu.register("accounts:person_list", _("People"), order=20)

and a person sees an entry only when the rules grant its URL to their role.
"""

from dataclasses import dataclass

from django.urls import reverse

from sabaq.core.rules import rules


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str
    order: int


class Menu:
    def __init__(self) -> None:
        self._entries: dict[str, MenuEntry] = {}

    def register(self, url_name: str, label, *, order: int = 50) -> None:
        self._entries[url_name] = MenuEntry(url_name=url_name, label=label, order=order)

    def for_role(self, role: str | None) -> list[dict]:
        visible = []
        for entry in sorted(self._entries.values(), key=lambda e: e.order):
            rule = rules.get(entry.url_name)
            if rule is None or rule.public or rule.signed_in:
                continue
            if rule.grants(authenticated=True, role=role):
                visible.append(
                    {
                        "url_name": entry.url_name,
                        "label": entry.label,
                        "url": reverse(entry.url_name),
                    }
                )
        return visible


menu = Menu()
