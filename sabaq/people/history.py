"""A personal file's history in the viewer's language.

Audit entries keep codes and ids (`health_group: "special"`, `class: 12`);
this turns them into the field names and values a deputy head reads
(«Денсаулық тобы: Негізгі → Арнайы», «Сынып: 5 «Ә»»), fetching the classes,
people and schools the entries name with one query each.
"""

import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sabaq.accounts.models import Language, Role, User
from sabaq.core.models import AuditEntry
from sabaq.core.services import audit_action_label
from sabaq.orgs.models import Organisation
from sabaq.people.models import Relation, StaffRecord, StudentRecord
from sabaq.schools.models import SchoolClass, Subject

# Keys that audit entries use besides model fields.
_EXTRA_LABELS = {
    "class": _("Class"),
    "starts_on": _("From"),
    "ends_on": _("Until"),
    "guardian": _("Guardian"),
    "relation": _("Relation"),
    "role": _("Role"),
    "organisation": _("Organisation"),
    "from_school": _("Came from"),
    "subjects": _("May teach"),
    "rows": _("Rows"),
    "kind": _("What"),
}
_CHOICES_OUTSIDE_MODELS = {"relation": Relation, "role": Role, "language": Language}
_MODELS = {
    User._meta.label_lower: User,
    StudentRecord._meta.label_lower: StudentRecord,
    StaffRecord._meta.label_lower: StaffRecord,
}


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


class _Names:
    """Names of the classes, people, schools and subjects entries refer to."""

    def __init__(self, entries: list[AuditEntry]) -> None:
        ids: dict[str, set[Any]] = {
            "class": set(),
            "guardian": set(),
            "organisation": set(),
            "subjects": set(),
        }
        for entry in entries:
            for values in (entry.before or {}, entry.after or {}):
                if values.get("class"):
                    ids["class"].add(values["class"])
                if values.get("guardian"):
                    ids["guardian"].add(values["guardian"])
                for key in ("organisation", "from_school", "transferred_to"):
                    if values.get(key):
                        ids["organisation"].add(values[key])
                ids["subjects"].update(values.get("subjects") or [])
        self.classes = (
            {c.pk: str(c) for c in SchoolClass.objects.filter(pk__in=ids["class"])}
            if ids["class"]
            else {}
        )
        self.people = (
            {u.pk: u.full_name for u in User.objects.filter(pk__in=ids["guardian"])}
            if ids["guardian"]
            else {}
        )
        self.organisations = (
            {
                o.pk: o.name
                for o in Organisation.objects.filter(pk__in=ids["organisation"])
            }
            if ids["organisation"]
            else {}
        )
        self.subjects = (
            {s.code: s.name for s in Subject.objects.filter(code__in=ids["subjects"])}
            if ids["subjects"]
            else {}
        )


def _shown(model, key: str, value: Any, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key == "class":
        return names.classes.get(value, "—")
    if key == "guardian":
        return names.people.get(value, "—")
    if key in ("organisation", "from_school", "transferred_to"):
        return names.organisations.get(value, "—")
    if key == "subjects":
        return ", ".join(names.subjects.get(code, code) for code in value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    field = _field(model, key)
    choices = dict(field.flatchoices) if field is not None and field.choices else None
    if choices is None and key in _CHOICES_OUTSIDE_MODELS:
        choices = dict(_CHOICES_OUTSIDE_MODELS[key].choices)
    if choices is not None:
        return str(choices.get(value, value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return date_format(datetime.date.fromisoformat(value), "d.m.Y")
        except ValueError:
            return value
    return str(value)


def _label(model, key: str) -> str:
    field = _field(model, key)
    if field is not None:
        return capfirst(str(field.verbose_name))
    return str(_EXTRA_LABELS.get(key, key))


def history_rows(entries: list[AuditEntry]) -> list[dict[str, Any]]:
    """Each entry as who, when, what, and the fields that changed."""
    names = _Names(entries)
    rows = []
    for entry in entries:
        model = _MODELS.get(entry.target_type)
        before = entry.before or {}
        after = entry.after or {}
        changes = []
        for key in list(dict.fromkeys([*after, *before])):
            old, new = before.get(key), after.get(key)
            if entry.before is not None and old == new:
                continue
            if entry.before is None and new in (None, "", []):
                continue
            changes.append(
                {
                    "field": _label(model, key),
                    "before": _shown(model, key, old, names)
                    if entry.before is not None
                    else None,
                    "after": _shown(model, key, new, names)
                    if entry.after is not None
                    else None,
                }
            )
        rows.append(
            {
                "entry": entry,
                "action": audit_action_label(entry.action),
                "changes": changes,
            }
        )

    return rows
