"""Reads owned by core: the audit log of a school."""

from django.db.models import QuerySet

from sabaq.accounts.models import Membership
from sabaq.core.models import AuditEntry


def audit_entries(*, actor: Membership, action: str = "") -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(school_id=actor.organisation_pk).select_related(
        "actor"
    )
    if action:
        entries = entries.filter(action=action)
    return entries


def audit_actions_used(*, actor: Membership) -> list[str]:
    return list(
        AuditEntry.objects.filter(school_id=actor.organisation_pk)
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )
