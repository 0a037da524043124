"""Writes owned by core: the audit log."""

from collections.abc import Mapping
from typing import Any

from django.db import models

from sabaq.core.models import AuditEntry

_ACTION_LABELS: dict[str, Any] = {}


def audit_actions_register(labels: Mapping[str, Any]) -> None:
    """Give action codes a translated label for the audit log page."""
    _ACTION_LABELS.update(labels)


def audit_action_label(code: str) -> Any:
    return _ACTION_LABELS.get(code, code)


def audit_record(
    *,
    actor: Any,
    action: str,
    school: Any = None,
    target: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log; call it inside the service's transaction."""
    actor_id = getattr(actor, "pk", None) if actor is not None else None

    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        school=school,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
    )


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of some fields, as JSON-friendly data for before/after."""
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(instance, field)
        if isinstance(value, models.Model):
            value = value.pk
        elif value is not None and not isinstance(value, str | int | float | bool):
            value = str(value)
        values[field] = value
    return values
